"""The shared layout's invariant pieces ({% invariant %}, portal/templatetags/layout.py):
rendered once per language and section, never carrying one person's details to another."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import override_settings
from django.utils import translation

from portal import pwa
from portal.templatetags import layout
from portal.templatetags.layout import nav_section
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _current(page: str) -> list[str]:
    """The main navigation's entries marked as the current page."""
    nav = re.search(r'<nav class="app-nav".*?</nav>', page, re.S).group(0)
    return re.findall(r'aria-current="page">([^<]+)<', nav)


def test_the_navigation_marks_each_section_after_another_was_rendered(client):
    client.force_login(UserFactory())
    for path, current in [
        ("/tracker/", "Dashboard"),
        ("/articles/", "Articles"),
        ("/tracker/nights/", "Log"),
        ("/tracker/", "Dashboard"),
        ("/reminders/", "Reminders"),
        ("/accounts/profile/", "Account"),
        ("/tracker/log/", "Log"),
    ]:
        assert _current(client.get(path, follow=True).text) == [current], path


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/tracker/", "dashboard"),
        ("/tracker/nights/12/edit/", "log"),
        ("/tracker/doses/new/", "log"),
        ("/tracker/log/", "log"),
        ("/tracker/report/", ""),
        ("/articles/some-article/", "articles"),
        ("/reminders/", "reminders"),
        ("/accounts/email/", "account"),
        ("/", ""),
    ],
)
def test_nav_section(path, section):
    assert nav_section(path) == section


def test_signed_out_pages_have_no_navigation_or_offline_queue_after_signed_in_ones(client):
    user = UserFactory()
    client.force_login(user)
    assert 'class="app-nav"' in client.get("/articles/").text
    client.logout()
    with override_settings(ARTICLES_PUBLIC=True):
        page = client.get("/articles/").text
    assert 'class="app-nav"' not in page
    assert "data-offline-queue" not in page
    assert "Skip to main content" in page
    assert "Privacy notice" in page


def test_the_offline_queue_names_each_viewer_though_its_words_are_reused(client):
    first, second = UserFactory(), UserFactory()
    for user in (first, second, first):
        client.force_login(user)
        page = client.get("/tracker/").text
        viewer = re.search(r'data-viewer="([^"]+)"', page).group(1)
        assert viewer == pwa.viewer_tag(user)
        assert 'data-login-url="/accounts/login/"' in page


def test_each_language_gets_its_own_text():
    template = engines["django"].from_string(
        "{% load i18n layout %}{% invariant %}{% translate 'Privacy notice' %}|"
        "{% get_current_language as code %}{{ code }}{% endinvariant %}"
    )
    with override_settings(LANGUAGES=[("en", "English"), ("de", "Deutsch")]):
        with translation.override("en"):
            assert template.render({}) == "Privacy notice|en"
        with translation.override("de"):
            assert template.render({}) == "Privacy notice|de"
        with translation.override("en"):
            assert template.render({}) == "Privacy notice|en"


def test_listed_values_vary_the_text_and_others_do_not():
    template = engines["django"].from_string(
        "{% load layout %}{% invariant kind %}{{ kind }} {{ other }}{% endinvariant %}"
    )
    assert template.render({"kind": "a", "other": "1"}) == "a 1"
    assert template.render({"kind": "b", "other": "2"}) == "b 2"
    # Not listed, so the first rendering stands: only invariant content belongs inside.
    assert template.render({"kind": "a", "other": "3"}) == "a 1"


def test_a_changed_setting_forgets_the_texts():
    template = engines["django"].from_string(
        "{% load layout %}{% invariant %}{% url 'privacy' %}{% endinvariant %}"
    )
    assert template.render({}) == "/privacy/"
    assert len(layout._rendered)
    with override_settings(SITE_URL="https://elsewhere.example"):
        assert not len(layout._rendered)


def test_no_django_template_comment_spans_lines():
    """`{# … #}` ends at its line in Django's templates: a comment left open there is printed
    into the page as text ({% comment %} spans lines). Jinja2's comments may span lines."""
    root = Path(settings.BASE_DIR) / "templates"
    open_comments = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*")
        if path.suffix in {".html", ".txt", ".xml", ".svg"}
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert open_comments == []
