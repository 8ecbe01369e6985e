"""Log records carry UTC timestamps and the id of the request they belong to."""

import contextvars
import logging
import re
import time

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


# The signed tokens in email links act on a user's behalf for hours or weeks: a log line
# (an access log, "Bad Request: /reminders/taken/<token>/") must never carry one.
EMAIL_LINK_TOKEN = re.compile(r"(/reminders/(?:taken|skip|unsubscribe)/)[^/\s\"?]+")
# The API's personal access tokens (api/services.py: "rw_" + 43 URL-safe characters) travel
# in a header no log prints; should one be pasted into a URL or a message, it is cut too.
API_TOKEN = re.compile(r"\brw_[A-Za-z0-9_-]{16,}")


def redact_email_link_tokens(text: str) -> str:
    """Email-link tokens and API tokens, replaced by "[redacted]"."""
    return API_TOKEN.sub("rw_[redacted]", EMAIL_LINK_TOKEN.sub(r"\1[redacted]", text))


class RedactEmailLinkTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_email_link_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
