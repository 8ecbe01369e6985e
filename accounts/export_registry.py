"""The registry of personal data: each app declares what it stores about a user.

An app registers one exporter per model in its own `personal_data.py`; the accounts app
imports them all at start-up. tests/accounts/test_data_rights.py fails when a model with a
foreign key to the user is neither exported nor listed in NOT_EXPORTED with a reason.
"""

from collections.abc import Callable
from typing import Any

from django.utils import timezone

Exporter = Callable[[Any], list[dict]]
_exporters: dict[str, Exporter] = {}

# Models that point at a user but are not that user's personal data, with the reason.
NOT_EXPORTED = {
    "admin.logentry": "staff audit trail of admin edits, kept for accountability",
    "articles.article": "published educational content; the author link is cleared on deletion",
    "articles.historicalarticle": (
        "staff audit trail of article versions (who saved which text, for the review rules); "
        "the link to the person is cleared on deletion"
    ),
    "articles.historicalreference": (
        "staff audit trail of reference versions; the link is cleared on deletion"
    ),
    "tracker.idempotencykey": (
        "the replay store of the API and the offline queue: a copy of a write's answer for "
        "24 hours, deleted after that; the nights and doses it repeats are exported as themselves"
    ),
}


def exporter(model_label: str) -> Callable[[Exporter], Exporter]:
    """Register `fn(user) -> list of dicts` as the export of one model ("app_label.model")."""

    def register(fn: Exporter) -> Exporter:
        _exporters[model_label.lower()] = fn
        return fn

    return register


def registered_models() -> set[str]:
    return set(_exporters)


def export_for(user) -> dict:
    return {
        "format": "restwell-export/1",
        "exported_at": timezone.now().isoformat(),
        "data": {label: fn(user) for label, fn in sorted(_exporters.items())},
    }


def iso(value) -> str | None:
    """A date, time or datetime as ISO 8601 (None stays None): the export's one format."""
    return value.isoformat() if value is not None else None
