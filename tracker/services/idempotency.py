"""The idempotency-key store: one answer per (user, key), replayed for 24 hours.

Used by the JSON API's `Idempotency-Key` header (api/idempotency.py) and by the web forms
that the offline queue can resend (tracker/views/idempotent.py): a write that arrives twice
with the same key is done once, and the second arrival gets the first one's answer.
"""

import datetime
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from tracker.models import IdempotencyKey

# How long an answer is replayed for the same key (the hourly purge deletes older ones).
IDEMPOTENCY_WINDOW = datetime.timedelta(hours=24)


def idempotency_fingerprint(*, path: str, payload) -> str:
    """What makes two requests "the same": the path and the body, in a canonical form."""
    canonical = json.dumps({"path": path, "body": payload}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_reserve(
    *, user, key: str, fingerprint: str, now: datetime.datetime
) -> tuple[IdempotencyKey, bool]:
    """Claim `key` for this request (True), or return the earlier claim (False), whether its
    answer is stored or still being made.

    The claim is committed at once, so a concurrent request with the same key finds it.
    A claim older than the window is forgotten first, as the hourly purge would.
    """
    IdempotencyKey.objects.filter(
        user=user, key=key, created_at__lt=now - IDEMPOTENCY_WINDOW
    ).delete()
    try:
        with transaction.atomic():
            claim = IdempotencyKey.objects.create(
                user=user, key=key, fingerprint=fingerprint, created_at=now
            )
    except IntegrityError:
        # Taken a moment ago by a concurrent request (which may since have given it back).
        earlier = IdempotencyKey.objects.filter(user=user, key=key).first()
        return earlier or IdempotencyKey(user=user, key=key, fingerprint=fingerprint), False
    return claim, True


def idempotency_complete(*, claim: IdempotencyKey, status_code: int, body) -> None:
    claim.status_code, claim.body = status_code, body
    claim.save(update_fields=["status_code", "body"])


def idempotency_release(*, claim: IdempotencyKey) -> None:
    """Forget a claim whose request did not write, so the same key can be sent again."""
    IdempotencyKey.objects.filter(pk=claim.pk, status_code__isnull=True).delete()


def idempotency_keys_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete stored answers older than the window; returns how many."""
    now = now or timezone.now()
    deleted, _by_model = IdempotencyKey.objects.filter(
        created_at__lt=now - IDEMPOTENCY_WINDOW
    ).delete()
    return deleted
