"""Reads for the shares page and the shared report."""

import datetime

from django.utils import timezone

from sharing.models import ShareLink
from sharing.services import TOKEN_SHAPE, token_digest
from tracker.pdf import report_pdf_html


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


def share_report_pdf_html(job) -> str | None:
    """The report a share link's reader downloads (a tracker.pdf_jobs job made through the
    link), or None when the link no longer opens: revoked or expired since it was asked."""
    link = ShareLink.objects.select_related("user").filter(pk=job.link).first()
    now = timezone.now()
    if link is None or not link.is_active(now) or link.user_id != job.owner:
        return None
    return report_pdf_html(
        user=link.user,
        start=link.start,
        end=link.end,
        now=now,
        shared=True,
        include_experiment=link.include_experiment,
    )
