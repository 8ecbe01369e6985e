import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from portal.errors import HealthDataExceptionReporterFilter
from portal.logging import RequestIdFilter, UTCFormatter


def test_every_response_has_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "img-src 'self' data:" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_admin_login_is_under_the_same_policy(client, db):
    response = client.get("/admin/login/", follow=True)
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_pages_for_a_signed_in_user_are_not_stored(user_client):
    response = user_client.get(reverse("accounts:profile"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_request_id_is_echoed_and_sanitised(client, db):
    assert client.get("/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    generated = client.get("/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert generated != "<script>" and len(generated) == 32


@pytest.mark.parametrize("path", ["/tracker/nights/new/", "/reminders/", "/accounts/profile/"])
def test_error_reports_scrub_health_data(path):
    request = RequestFactory().post(path, {"severity": "7", "notes": "legs awful"})
    reporter = HealthDataExceptionReporterFilter()
    assert set(reporter.get_post_parameters(request).values()) == {"********************"}


def test_error_reports_keep_public_post_data():
    request = RequestFactory().post("/articles/", {"q": "iron"})
    assert HealthDataExceptionReporterFilter().get_post_parameters(request)["q"] == "iron"


def test_log_lines_carry_utc_timestamps_and_request_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", None, None)
    RequestIdFilter().filter(record)
    line = UTCFormatter("%(asctime)s [%(request_id)s] %(message)s").format(record)
    assert line.split(" ")[0].endswith("Z")
    assert "[-] msg" in line
