"""API writes: personal access tokens (the Idempotency-Key store is tracker's)."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import PersonalAccessToken, Scope

# Every secret starts with this, so a leaked one is recognisable (and redacted from logs:
# portal/logging.py knows the same prefix).
TOKEN_PREFIX = "rw_"  # noqa: S105 - a public marker, not a secret  # nosec B105
PREFIX_SHOWN = 10  # characters of the secret kept to tell tokens apart ("rw_AbC1234…")
EXPIRY_DAYS = (30, 90, 365)
# "last used" is bookkeeping, not data: written at most once a minute per token.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


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
