"""The installable web app over HTTP: manifest, service worker, offline copies, sign-out."""

import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib import messages
from django.urls import reverse
from PIL import Image

from portal import pwa
from tests.factories import DEFAULT_PASSWORD

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _get_static(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def test_manifest_names_the_app_its_start_and_its_icons(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Restwell"
    assert manifest["short_name"] == "Restwell"
    assert manifest["start_url"] == "/tracker/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    icons = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, _purpose), src in icons.items():
        image = Image.open(io.BytesIO(_get_static(client, src)))
        assert f"{image.width}x{image.height}" == sizes
    assert [shortcut["url"] for shortcut in manifest["shortcuts"]] == [
        "/tracker/nights/new/",
        "/tracker/doses/new/",
    ]


def test_manifest_colours_are_the_themes_own():
    css = (BASE_DIR / "static" / "css" / "restwell.css").read_text()
    assert f"--bs-body-bg: {pwa.THEME_COLORS['light']};" in css
    assert f"--bs-body-bg: {pwa.THEME_COLORS['dark']};" in css
    assert pwa.manifest()["background_color"] == pwa.THEME_COLORS["light"]


def test_every_page_links_the_manifest_and_the_home_screen_icon(client, db):
    html = client.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in html
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in html
    for colour in pwa.THEME_COLORS.values():
        assert f'<meta name="theme-color" content="{colour}"' in html
    assert "js/pwa.js" in html


def test_service_worker_is_served_from_the_root_for_the_whole_site(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    first_line, source = response.text.split("\n", 1)
    config = json.loads(re.fullmatch(r"self\.RESTWELL = (.*);", first_line).group(1))
    js = BASE_DIR / "static" / "js"
    assert source == (js / "sw.js").read_text() + "\n" + (js / "sw-push.js").read_text()
    assert config["pages"] == ["/tracker/", "/tracker/nights/new/", "/tracker/doses/new/"]
    assert config["offline"] == "/offline/" and "/offline/" in config["shell"]
    for url in config["shell"]:
        assert client.get(url).status_code == 200, url
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])


def test_policy_allows_our_own_worker_and_manifest_only(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy


def _version(settings) -> str:
    settings.DEBUG = True  # built per request, not cached
    return json.loads(pwa.worker_script().split("\n", 1)[0][len("self.RESTWELL = ") : -1])[
        "version"
    ]


def test_worker_version_follows_the_static_manifest_hash(settings, monkeypatch):
    monkeypatch.setattr(pwa, "staticfiles_storage", SimpleNamespace(manifest_hash="aaa"))
    first = _version(settings)
    assert _version(settings) == first
    monkeypatch.setattr(pwa, "staticfiles_storage", SimpleNamespace(manifest_hash="bbb"))
    assert _version(settings) != first


def test_worker_version_without_a_manifest_follows_the_files(settings, monkeypatch, tmp_path):
    monkeypatch.setattr(pwa, "staticfiles_storage", SimpleNamespace())  # no collectstatic
    extra = tmp_path / "static"
    extra.mkdir()
    (extra / "note.css").write_text("a {}")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, extra]
    first = _version(settings)
    (extra / "note.css").write_text("a { color: red }")
    assert _version(settings) != first


def test_offline_page_is_plain_and_holds_nobodys_data(client, db):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "You are offline" in response.text
    assert pwa.VIEWER_HEADER not in response


@pytest.mark.parametrize("name", pwa.OFFLINE_PAGES)
def test_the_offline_pages_may_be_kept_for_their_viewer(user_client, user, name):
    response = user_client.get(reverse(name))
    assert response.status_code == 200
    assert response[pwa.OFFLINE_HEADER] == "copy"
    assert response[pwa.VIEWER_HEADER] == pwa.viewer_tag(user)
    assert "data-offline-banner hidden" in response.text  # what the worker un-hides


def test_viewer_tags_differ_between_people_and_reveal_no_id(user, other_user):
    assert pwa.viewer_tag(user) != pwa.viewer_tag(other_user)
    assert str(user.pk) != pwa.viewer_tag(user)
    assert re.fullmatch(r"[0-9a-f]{20}", pwa.viewer_tag(user))


def test_other_signed_in_pages_name_the_viewer_but_are_not_kept(user_client, user):
    response = user_client.get(reverse("tracker:night_list"))
    assert response[pwa.VIEWER_HEADER] == pwa.viewer_tag(user)
    assert pwa.OFFLINE_HEADER not in response


def test_signed_out_pages_name_no_viewer(client, db):
    for path in ("/", "/accounts/login/", "/privacy/"):
        response = client.get(path)
        assert pwa.VIEWER_HEADER not in response, path
        assert pwa.OFFLINE_HEADER not in response, path


def test_a_form_sent_back_with_errors_is_not_kept(user_client):
    response = user_client.post(reverse("tracker:night_new"), {"severity": "eleven"})
    assert response.status_code == 200
    assert pwa.OFFLINE_HEADER not in response


def test_a_page_with_a_flash_message_is_not_kept(rf, user):
    from django.contrib.messages.storage.session import SessionStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    request = rf.get("/tracker/")
    request.user = user
    request.session = SessionStore()
    request._messages = SessionStorage(request)
    view = pwa.offline_copy(lambda request: HttpResponse("page"))
    assert view(request)[pwa.OFFLINE_HEADER] == "copy"
    messages.success(request, "Night saved.")
    assert pwa.OFFLINE_HEADER not in view(request)


def test_signing_out_clears_this_browsers_caches_and_storage(user_client):
    assert "Clear-Site-Data" not in user_client.get("/accounts/logout/")
    response = user_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert user_client.get("/tracker/").status_code == 302  # signed out indeed


def test_deleting_the_account_clears_this_browser_too(client, user):
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert "Clear-Site-Data" not in client.post(reverse("accounts:delete"), {})
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_workers_background_fetch_leaves_the_csrf_cookie_alone(user_client):
    user_client.cookies["csrftoken"] = "a" * 32
    plain = user_client.get(reverse("tracker:night_new"))
    assert "csrftoken" in plain.cookies  # a page renews it (Django's default)
    user_client.cookies["csrftoken"] = "a" * 32
    kept = user_client.get(reverse("tracker:night_new"), HTTP_X_RESTWELL_KEEP="offline")
    assert kept[pwa.OFFLINE_HEADER] == "copy"
    assert "csrftoken" not in kept.cookies
