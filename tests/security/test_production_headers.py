"""The headers and cookies production sends: the security settings are read from a fresh
process with production's environment (DEBUG=false, as `make lint`'s `check --deploy` runs
it), applied here, and checked on real responses over HTTPS."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]
NAMES = (
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", "X_FRAME_OPTIONS", "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE",
    "DEBUG",
)  # fmt: skip
READ = "import json; from django.conf import settings as s; import django; django.setup(); "


@pytest.fixture(scope="module")
def production() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DEBUG"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": "headers-test-only-0123456789abcdefghijklmnopqrstuvwxyz-0123456789",
        "ALLOWED_HOSTS": "restwell.example",
        "SITE_URL": "https://restwell.example",
    }
    code = READ + f"print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def https(settings, production):
    for name, value in production.items():
        if name != "DEBUG":
            setattr(settings, name, value)
    settings.ALLOWED_HOSTS = ["restwell.example"]
    return Client(headers={"host": "restwell.example"})


def test_production_settings_are_the_strict_ones(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000


def test_plain_http_is_sent_to_https(https, db):
    response = https.get("/privacy/")
    assert response.status_code == 301
    assert response["Location"] == "https://restwell.example/privacy/"


@pytest.mark.parametrize("path", ["/", "/privacy/", "/accounts/login/", "/admin/login/"])
def test_every_page_carries_the_security_headers(https, db, path):
    response = https.get(path, secure=True)
    assert response.status_code in (200, 302)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy


def test_cookies_are_secure_http_only_and_same_site(https, user):
    page = https.get(reverse("account_login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = https.post(
        reverse("account_login"),
        {"login": user.email, "password": DEFAULT_PASSWORD,
         "csrfmiddlewaretoken": csrf.value},
        secure=True, HTTP_REFERER="https://restwell.example/accounts/login/",
    )  # fmt: skip
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
