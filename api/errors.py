"""The API's errors, each answered as JSON with a plain sentence.

Input errors: 422 `{"errors": {"field": ["message", ...]}}` (`__all__` for the request as a
whole), the same messages the web forms show. Everything else: `{"detail": "message"}`.
"""

from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError


class ApiError(HttpError):
    """An answer other than 2xx or 422, with its message and any headers it needs."""

    def __init__(self, status_code: int, message, headers: dict | None = None) -> None:
        super().__init__(status_code, str(message))
        self.headers = headers or {}


class InputErrors(Exception):
    """422: the input broke a rule; `errors` maps field names to their messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("invalid input")
        self.errors = errors

    @property
    def body(self) -> dict:
        return {"errors": self.errors}


def unauthorized(message) -> ApiError:
    return ApiError(401, message, {"WWW-Authenticate": 'Bearer realm="restwell"'})


NO_TOKEN = _(
    "Send your personal access token in the Authorization header: “Bearer rw_…”. Create one "
    "on your account page under API tokens."
)
UNKNOWN_TOKEN = _("This token is not valid. Check that it was copied whole.")
REVOKED_TOKEN = _("This token was revoked. Create a new one on your account page.")
EXPIRED_TOKEN = _("This token has expired. Create a new one on your account page.")
READ_ONLY_TOKEN = _(
    "This token can only read. Create a token with read and write access to log nights and doses."
)
NOT_FOUND = _("There is nothing at this address.")
RATE_LIMITED = _("Too many requests with this token. Wait a minute, then try again.")
UNAVAILABLE = _("Please try again in a minute.")
UNREADABLE = _("Send the request body as one JSON object, with the fields the API schema lists.")
