"""Idempotency keys for the web forms the offline queue can resend (static/js/offline-queue.js).

A form sent with a hidden `idempotency_key` (a UUID made in the browser when the form is
first submitted) is done once: the same key sent again with the same answers gets the first
answer again (the same redirect, with a note that nothing was logged twice); with different
answers it is refused with a clear message. Only a write that succeeded is remembered: a form
sent back with its errors gives the key back, so the corrected form can use it.

The queue sends `X-Restwell-Queue: 1` and gets JSON instead of a redirect (it has no page to
go to): `{"status": "saved" | "replayed" | "conflict" | "busy", "location", "messages"}`;
a form with errors is answered as usual (the page with the errors), for the queue to show.
"""

import functools
import re

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from tracker import services

FIELD = "idempotency_key"
QUEUE_HEADER = "X-Restwell-Queue"
# Not part of what the user answered: left out of the fingerprint.
UNSIGNED_FIELDS = ("csrfmiddlewaretoken", FIELD)
_VALID_KEY = re.compile(r"^[0-9A-Za-z-]{8,64}$")
_FORM = re.compile(r"<form\b.*?</form>", re.DOTALL)


def saved(response):
    """Mark a view's response as the answer to a write that succeeded (it is remembered)."""
    response.idempotent_saved = True
    return response


def _payload(request) -> dict:
    return {
        name: request.POST.getlist(name)
        for name in sorted(request.POST)
        if name not in UNSIGNED_FIELDS
    }


def _queued(request) -> bool:
    return request.headers.get(QUEUE_HEADER) == "1"


def _as_json(request, *, status: str, location: str = "", code: int = 200):
    # The flash messages the view left ("Dose logged: …") travel with the answer instead of
    # waiting for the next page.
    # (Without the Undo form a one-tap dose's message carries: it belongs on a page.)
    texts = [
        strip_tags(_FORM.sub("", str(message))).strip()
        for message in messages.get_messages(request)
    ]
    return JsonResponse({"status": status, "location": location, "messages": texts}, status=code)


def _refused(request, text: str, *, status: str, code: int):
    if _queued(request):
        messages.error(request, text)
        return _as_json(request, status=status, code=code)
    return render(request, "tracker/not_sent.html", {"reason": text}, status=code)


def idempotent_post(view):
    """Make a form view's POST safe to repeat with the same `idempotency_key`."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        key = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not key:
            return view(request, *args, **kwargs)
        if not _VALID_KEY.match(key):
            return _refused(
                request,
                _("This form carried a damaged key. Reload the page and send it again."),
                status="conflict",
                code=400,
            )
        fingerprint = services.idempotency_fingerprint(path=request.path, payload=_payload(request))
        claim, created = services.idempotency_reserve(
            user=request.user, key=key, fingerprint=fingerprint, now=timezone.now()
        )
        if not created:
            if claim.fingerprint != fingerprint:
                return _refused(
                    request,
                    _(
                        "This entry was already sent with different answers, so it was not "
                        "saved again. Open the form and enter it anew."
                    ),
                    status="conflict",
                    code=409,
                )
            if claim.status_code is None:
                return _refused(
                    request,
                    _("This entry is still being saved. It will be sent again in a moment."),
                    status="busy",
                    code=409,
                )
            messages.info(request, _("This entry was already saved; it is not logged twice."))
            location = claim.body["location"]
            if _queued(request):
                return _as_json(request, status="replayed", location=location)
            return redirect(location)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            services.idempotency_release(claim=claim)
            raise
        if not getattr(response, "idempotent_saved", False):
            services.idempotency_release(claim=claim)  # refused: the key may be used again
            return response
        location = response["Location"]
        services.idempotency_complete(
            claim=claim, status_code=response.status_code, body={"location": location}
        )
        if _queued(request):
            return _as_json(request, status="saved", location=location)
        return response

    return wrapped
