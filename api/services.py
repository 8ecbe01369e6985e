"""API writes: personal access tokens and the Idempotency-Key replay store."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import IdempotencyKey, PersonalAccessToken, Scope

# Every secret starts with this, so a leaked one is recognisable (and redacted from logs:
# portal/logging.py knows the same prefix).
TOKEN_PREFIX = "rw_"  # noqa: S105 - a public marker, not a secret  # nosec B105
PREFIX_SHOWN = 10  # characters of the secret kept to tell tokens apart ("rw_AbC1234…")
EXPIRY_DAYS = (30, 90, 365)
# "last used" is bookkeeping, not data: written at most once a minute per token.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
# How long a write's response is replayed for the same Idempotency-Key.
IDEMPOTENCY_WINDOW = datetime.timedelta(hours=24)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user, name: str, scope: str, days: int, now: datetime.datetime | None = None
) -> tuple[PersonalAccessToken, str]:
    """A new token and its secret. The secret is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as “Phone app”.")})
    if len(name) > 80:
        raise ValidationError({"name": _("Keep the name under 80 characters.")})
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose read, or read and write.")})
    if days not in EXPIRY_DAYS:
        raise ValidationError({"days": _("Choose when the token expires.")})
    now = now or timezone.now()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:PREFIX_SHOWN],
        token_hash=token_hash(secret),
        scope=scope,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken, now: datetime.datetime | None = None) -> None:
    """Revoke a token for good. Safe to repeat: the first revocation time is kept."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])


def token_used_mark(*, token: PersonalAccessToken, now: datetime.datetime) -> None:
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def idempotency_reserve(
    *, user, key: str, fingerprint: str, now: datetime.datetime
) -> tuple[IdempotencyKey, bool]:
    """Claim `key` for this request (True), or return the earlier claim (False), whether its
    response is stored or still being made.

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
    """Forget a claim whose request failed unexpectedly, so the client can retry it."""
    IdempotencyKey.objects.filter(pk=claim.pk, status_code__isnull=True).delete()


def idempotency_keys_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete stored responses older than the window; returns how many."""
    now = now or timezone.now()
    deleted, _by_model = IdempotencyKey.objects.filter(
        created_at__lt=now - IDEMPOTENCY_WINDOW
    ).delete()
    return deleted
