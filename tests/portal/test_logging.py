import io
import logging

from django.test import Client
from django.urls import reverse

from portal.logging import RedactEmailLinkTokensFilter, redact_email_link_tokens


def test_email_link_tokens_are_redacted():
    line = 'GET /reminders/taken/eyJ1Ijo0Mn0:1abc:xyz/ 200 "/reminders/unsubscribe/AbC-_9/"'
    assert redact_email_link_tokens(line) == (
        'GET /reminders/taken/[redacted]/ 200 "/reminders/unsubscribe/[redacted]/"'
    )


def test_log_records_with_a_token_are_redacted():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Bad Request: %s",
        ("/reminders/skip/secret-token/",), None,
    )  # fmt: skip
    RedactEmailLinkTokensFilter().filter(record)
    assert record.getMessage() == "Bad Request: /reminders/skip/[redacted]/"


def test_a_bad_link_is_logged_without_its_token(db):
    stdout_handler = next(
        h for h in logging.getLogger().handlers
        if any(isinstance(f, RedactEmailLinkTokensFilter) for f in h.filters)
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
