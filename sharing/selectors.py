"""Reads for the shares page and the shared report."""

import datetime

from sharing.models import ShareLink
from sharing.services import TOKEN_SHAPE, token_digest


def share_rows(*, user, now: datetime.datetime) -> list[dict]:
    """The user's links, newest first, each with its state and openings (two queries)."""
    links = ShareLink.objects.filter(user=user).prefetch_related("views")
    return [
        {
            "link": link,
            "active": link.is_active(now),
            "expired": link.revoked_at is None and now >= link.expires_at,
            "views": list(link.views.all()),
        }
        for link in links
    ]


def share_get(*, user, pk: int) -> ShareLink | None:
    return ShareLink.objects.filter(user=user, pk=pk).first()


def share_by_token(*, token: str) -> ShareLink | None:
    """The link a token opens (revoked and expired ones too: the page says which), or None
    for a token that was never issued or was changed on the way."""
    if not TOKEN_SHAPE.match(token):
        return None
    return ShareLink.objects.select_related("user").filter(token_hash=token_digest(token)).first()
