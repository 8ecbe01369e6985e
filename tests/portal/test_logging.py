import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from portal.logging import RedactLinkTokensFilter, redact_link_tokens
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]


def test_email_link_tokens_are_redacted():
    line = 'GET /reminders/taken/eyJ1Ijo0Mn0:1abc:xyz/ 200 "/reminders/unsubscribe/AbC-_9/"'
    assert redact_link_tokens(line) == (
        'GET /reminders/taken/[redacted]/ 200 "/reminders/unsubscribe/[redacted]/"'
    )


def test_log_records_with_a_token_are_redacted():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Bad Request: %s",
        ("/reminders/skip/secret-token/",), None,
    )  # fmt: skip
    RedactLinkTokensFilter().filter(record)
    assert record.getMessage() == "Bad Request: /reminders/skip/[redacted]/"


def test_a_bad_link_is_logged_without_its_token(db):
    stdout_handler = next(
        h for h in logging.getLogger().handlers
        if any(isinstance(f, RedactLinkTokensFilter) for f in h.filters)
    )  # fmt: skip
    captured = io.StringIO()
    previous = stdout_handler.setStream(captured)
    try:
        Client().get(reverse("reminders:taken", args=["not-a-real-token-abc123"]))
    finally:
        stdout_handler.setStream(previous)
    assert "/reminders/taken/[redacted]/" in captured.getvalue()
    assert "not-a-real-token-abc123" not in captured.getvalue()


def test_gunicorn_access_log_redacts_tokens():
    import datetime
    import runpy
    from pathlib import Path
    from types import SimpleNamespace

    from gunicorn.config import Config

    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    logger = conf["RedactingLogger"](Config())
    path = "/reminders/unsubscribe/tok3n-value/"
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://mail.example" + path,
    }
    atoms = logger.atoms(
        SimpleNamespace(status="200 OK", sent=10, headers=[]), SimpleNamespace(headers=[]),
        environ, datetime.timedelta(milliseconds=5),
    )  # fmt: skip
    assert "tok3n-value" not in f"{atoms['U']} {atoms['r']} {atoms['f']}"
    assert atoms["U"] == "/reminders/unsubscribe/[redacted]/"


# What runserver's request handler and Django's request logging emit, with a token in each.
EMIT_AS_DJANGO_DOES = """
import logging, django
django.setup()
logging.getLogger("django.server").info(
    '"%s" %s %s', "GET /reminders/taken/tok3n-server/ HTTP/1.1", 200, 1234,
    extra={"status_code": 200},
)
logging.getLogger("django.request").warning(
    "Not Found: %s", "/reminders/unsubscribe/tok3n-request/", extra={"status_code": 404},
)
"""


@pytest.mark.parametrize("debug", ["true", "false"], ids=["development", "production"])
def test_django_server_and_request_lines_are_redacted_once(debug):
    """Logging configured as the settings configure it (Django's defaults, then LOGGING)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DEBUG": debug,
        "SECRET_KEY": "logging-test-only-secret-key",
        "LOG_LEVEL": "INFO",
    }
    result = subprocess.run(
        [sys.executable, "-c", EMIT_AS_DJANGO_DOES],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert "tok3n" not in output
    assert output.count("/reminders/taken/[redacted]/") == 1
    assert output.count("/reminders/unsubscribe/[redacted]/") == 1


def test_gunicorn_error_log_redacts_tokens(capsys):
    import runpy

    from gunicorn.config import Config

    conf = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    logger = conf["RedactingLogger"](Config())
    logger.error("Error handling request %s", "/reminders/skip/tok3n-value/")
    written = capsys.readouterr()
    assert "tok3n-value" not in written.out + written.err
    assert "/reminders/skip/[redacted]/" in written.out + written.err


def test_a_refused_request_is_one_line_without_a_traceback(db, settings):
    settings.ADMIN_REQUIRE_MFA = False
    stdout_handler = next(
        h for h in logging.getLogger().handlers
        if any(isinstance(f, RedactLinkTokensFilter) for f in h.filters)
    )  # fmt: skip
    client = Client()
    client.force_login(UserFactory(is_staff=True))  # staff, but no permission on users
    captured = io.StringIO()
    previous = stdout_handler.setStream(captured)
    try:
        assert client.get("/admin/accounts/user/").status_code == 403
    finally:
        stdout_handler.setStream(previous)
    assert "Forbidden (Permission denied): /admin/accounts/user/" in captured.getvalue()
    assert "Traceback" not in captured.getvalue()


def test_share_calendar_and_snooze_tokens_are_redacted():
    line = "GET /share/s3cr3t/ /calendar/abc123.ics /reminders/snooze/tok/"
    assert redact_link_tokens(line) == (
        "GET /share/[redacted]/ /calendar/[redacted] /reminders/snooze/[redacted]/"
    )
