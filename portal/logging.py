"""Log records carry UTC timestamps and the id of the request they belong to."""

import contextvars
import logging
import re
import time

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class UTCFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's API
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


# A token in a link is the capability itself: the signed email links act on a user's behalf
# for hours or weeks, a share link opens a report, a calendar link reads the schedule. A log
# line (an access log, "Bad Request: /reminders/taken/<token>/") must never carry one.
LINK_TOKEN = re.compile(
    r"(/reminders/(?:taken|skip|unsubscribe|snooze)/|/share/|/calendar/)[^/\s\"?]+"
)
# The API's personal access tokens (api/services.py: "rw_" + 43 URL-safe characters) travel
# in a header no log prints; should one be pasted into a URL or a message, it is cut too.
API_TOKEN = re.compile(r"\brw_[A-Za-z0-9_-]{16,}")


def redact_link_tokens(text: str) -> str:
    """Link tokens and API tokens, replaced by "[redacted]"."""
    return API_TOKEN.sub("rw_[redacted]", LINK_TOKEN.sub(r"\1[redacted]", text))


class RedactLinkTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_link_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


# Refusals the product expects (a 403 it answers on purpose, a malformed request) are one
# line, not a traceback that reads like a crash and buries the real ones.
EXPECTED_REFUSALS = (PermissionDenied, BadRequest, SuspiciousOperation)


class ExpectedRefusalsWithoutTracebackFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], EXPECTED_REFUSALS):
            record.exc_info = record.exc_text = None
        return True
