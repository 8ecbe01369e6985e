"""Share links: create (the token is returned once), revoke, unlock with a passcode, record
an opening. Each rule has one message, which the form reuses.
"""

import datetime
import hashlib
import re
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sharing.models import ShareLink, ShareView
from tracker.evening import evening_of
from tracker.pages import REPORT_MAX_DAYS

DEFAULT_DAYS = 14
MAX_DAYS = 90
PASSCODE_MIN_LENGTH = 6
PASSCODE_MAX_LENGTH = 40
LABEL_MAX_LENGTH = 80
# 32 random bytes from the OS's CSPRNG, base64url: 43 characters, 256 bits.
TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def token_digest(token: str) -> str:
    """What the database keeps of a token. A plain SHA-256 is enough: the token is 256
    random bits, so (unlike a passcode) it cannot be guessed from its digest."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def share_rules(
    *, label: str, start: datetime.date, end: datetime.date, days: int, passcode: str, tonight
) -> dict[str, str]:
    """The input rules, as {field: message}; empty when everything is fine."""
    errors = {}
    if not label.strip():
        errors["label"] = _("Give the link a name, such as “Dr Lee, January visit”.")
    elif len(label.strip()) > LABEL_MAX_LENGTH:
        errors["label"] = _("Keep the name under %(n)s characters.") % {"n": LABEL_MAX_LENGTH}
    if start > tonight:
        errors["start"] = _("The first evening is in the future: nothing is logged there yet.")
    elif end < start:
        errors["end"] = _("The last evening is before the first.")
    elif (end - start).days >= REPORT_MAX_DAYS:
        errors["end"] = _("A link covers at most %(n)s evenings.") % {"n": REPORT_MAX_DAYS}
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("A link can last from 1 to %(n)s days.") % {"n": MAX_DAYS}
    if passcode and not PASSCODE_MIN_LENGTH <= len(passcode) <= PASSCODE_MAX_LENGTH:
        errors["passcode"] = _("A passcode needs %(low)s to %(high)s characters.") % {
            "low": PASSCODE_MIN_LENGTH,
            "high": PASSCODE_MAX_LENGTH,
        }
    return errors


@transaction.atomic
def share_create(
    *,
    user,
    label: str,
    start: datetime.date,
    end: datetime.date,
    days: int = DEFAULT_DAYS,
    passcode: str = "",
    include_experiment: bool = False,
    now: datetime.datetime | None = None,
) -> tuple[ShareLink, str]:
    """A new link and its token: the token is not stored, so this is the only time it exists."""
    now = now or timezone.now()
    errors = share_rules(
        label=label,
        start=start,
        end=end,
        days=days,
        passcode=passcode,
        tonight=evening_of(now, user.zone, user.wake_time),
    )
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink.objects.create(
        user=user,
        label=label.strip(),
        token_hash=token_digest(token),
        start=start,
        end=end,
        include_experiment=include_experiment,
        passcode_hash=make_password(passcode) if passcode else "",
        expires_at=now + datetime.timedelta(days=days),
    )
    return link, token


def share_revoke(*, link: ShareLink, now: datetime.datetime | None = None) -> None:
    """Revoke a link at once; revoking twice keeps the first time."""
    if link.revoked_at is None:
        link.revoked_at = now or timezone.now()
        link.save(update_fields=["revoked_at"])


def share_passcode_matches(*, link: ShareLink, passcode: str) -> bool:
    return not link.has_passcode or check_password(passcode, link.passcode_hash)


def share_view_record(*, link: ShareLink, now: datetime.datetime | None = None) -> ShareView:
    """One opening of the link: the time only, never who or from where."""
    return ShareView.objects.create(link=link, viewed_at=now or timezone.now())
