"""Idempotency-Key for the API's writes: the same key and body answer the stored response.

A client that did not hear back (a dropped connection on a train) can resend a write with
the same `Idempotency-Key` header: within 24 hours the first response is replayed (with
`Idempotent-Replayed: true`) and nothing is written twice. The same key with a different
body is refused (422); a key whose first request is still running answers 409.
The store itself (tracker.services.idempotency) is shared with the web forms.
"""

import re
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from api.errors import ApiError, InputErrors
from tracker import services

HEADER = "Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")

Result = tuple[int, dict]


def _run(write: Callable[[], Result]) -> Result:
    try:
        return write()
    except InputErrors as error:  # a refused write is answered (and replayed) like any other
        return 422, error.body


def idempotent_write(
    request, *, key: str | None, payload: dict, write: Callable[[], Result]
) -> tuple[int, dict, bool]:
    """Run `write` once per key: (status, body, replayed)."""
    if key is None:
        return (*_run(write), False)
    if not _VALID_KEY.match(key):
        raise InputErrors(
            {HEADER: [_("Use a key of 1 to 255 visible characters, such as a new UUID.")]}
        )
    this_request = services.idempotency_fingerprint(path=request.path, payload=payload)
    claim, created = services.idempotency_reserve(
        user=request.auth.user, key=key, fingerprint=this_request, now=timezone.now()
    )
    if not created:
        if claim.fingerprint != this_request:
            raise InputErrors(
                {
                    HEADER: [
                        _(
                            "This key was already used for a different request. Send a new "
                            "key with each new request."
                        )
                    ]
                }
            )
        if claim.status_code is None:
            raise ApiError(
                409, _("A request with this key is still being handled. Try again in a moment.")
            )
        return claim.status_code, claim.body, True
    try:
        status, body = _run(write)
    except BaseException:
        services.idempotency_release(claim=claim)
        raise
    services.idempotency_complete(claim=claim, status_code=status, body=body)
    return status, body, False
