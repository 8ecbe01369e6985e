"""Sleep import writes: store an upload's suggestions, apply the nights the user ticks.

Applying fills only a night's *empty* diary fields: what the user typed is never replaced.
The tracker records when sleep started, not when the user began trying, so "fell asleep"
goes into "tried to sleep" only when that is empty, and then "minutes to fall asleep" is left
for the user; when they typed "tried to sleep" themselves, the minutes to fall asleep are
the gap between that and the tracker's first sleep (if that field is empty too).
"""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from tracker import reference
from tracker.choices import LATENCY_MAX, WASO_MAX
from tracker.models import NightLog, SleepImport, SleepSuggestion
from tracker.services.nights import night_time_errors
from tracker.sleep_import import ImportResult

# NightLog field <- suggestion field, in diary order.
FILLS = (
    ("in_bed_at", "in_bed_at"),
    ("tried_sleep_at", "asleep_at"),
    ("final_wake_at", "final_wake_at"),
    ("out_of_bed_at", "out_of_bed_at"),
    ("waso_min", "waso_min"),
)


@dataclasses.dataclass
class ApplyOutcome:
    applied: list[tuple[datetime.date, list[str]]] = dataclasses.field(default_factory=list)
    nothing_to_fill: list[datetime.date] = dataclasses.field(default_factory=list)
    not_logged: list[datetime.date] = dataclasses.field(default_factory=list)
    refused: list[tuple[datetime.date, str]] = dataclasses.field(default_factory=list)


@transaction.atomic
def sleep_import_store(*, user, result: ImportResult, now=None) -> SleepImport:
    """Keep one upload's suggestions (replacing the user's earlier, unfinished import)."""
    now = now or timezone.now()
    SleepImport.objects.filter(user=user).delete()
    stored = SleepImport.objects.create(
        user=user,
        source=result.kind,
        records=result.records,
        left_out=result.left_out,
        expires_at=now + datetime.timedelta(days=reference.SLEEP_IMPORT_KEEP_DAYS),
    )
    SleepSuggestion.objects.bulk_create(
        SleepSuggestion(
            sleep_import=stored,
            evening=night.evening,
            device=night.source,
            in_bed_at=night.in_bed_at,
            asleep_at=night.asleep_at,
            final_wake_at=night.final_wake_at,
            out_of_bed_at=night.out_of_bed_at,
            asleep_min=night.asleep_min,
            waso_min=night.waso_min,
        )
        for night in result.nights
    )
    return stored


def fills_for(night: NightLog, suggestion: SleepSuggestion) -> dict:
    """The NightLog fields this suggestion would fill: only empty ones, only known values."""
    fills = {}
    for target, origin in FILLS:
        value = getattr(suggestion, origin)
        if value is not None and getattr(night, target) is None:
            fills[target] = value
    if fills.get("waso_min", 0) > WASO_MAX:
        del fills["waso_min"]
    typed_try = night.tried_sleep_at
    if typed_try and suggestion.asleep_at and night.sleep_latency_min is None:
        latency = round((suggestion.asleep_at - typed_try).total_seconds() / 60)
        if 0 <= latency <= LATENCY_MAX:
            fills["sleep_latency_min"] = latency
    return fills


@transaction.atomic
def sleep_suggestions_apply(
    *, sleep_import: SleepImport, evenings: list[datetime.date], now=None
) -> ApplyOutcome:
    """Copy the chosen nights' suggested times into the diary's empty fields. A night not yet
    logged is left alone (it needs the legs score and sleep quality first); a night whose
    times would then break the diary's rules is left unchanged, with the rule's message."""
    now = now or timezone.now()
    outcome = ApplyOutcome()
    suggestions = sleep_import.suggestions.filter(evening__in=evenings).order_by("evening")
    nights = {
        night.evening: night
        for night in NightLog.objects.select_for_update().filter(
            user=sleep_import.user, evening__in=evenings
        )
    }
    for suggestion in suggestions:
        night = nights.get(suggestion.evening)
        if night is None:
            outcome.not_logged.append(suggestion.evening)
            continue
        fills = fills_for(night, suggestion)
        if not fills:
            outcome.nothing_to_fill.append(suggestion.evening)
            continue
        instants = {
            name: fills.get(name, getattr(night, name))
            for name in ("in_bed_at", "tried_sleep_at", "final_wake_at", "out_of_bed_at")
        }
        errors = night_time_errors(
            instants,
            sleep_latency_min=fills.get("sleep_latency_min", night.sleep_latency_min),
            waso_min=fills.get("waso_min", night.waso_min),
            now=now,
        )
        if errors:
            outcome.refused.append((suggestion.evening, next(iter(errors.values()))))
            continue
        for name, value in fills.items():
            setattr(night, name, value)
        night.save(update_fields=[*fills, "updated_at"])
        suggestion.applied_at = now
        suggestion.applied_fields = sorted(set(suggestion.applied_fields) | set(fills))
        suggestion.save(update_fields=["applied_at", "applied_fields"])
        outcome.applied.append((suggestion.evening, list(fills)))
    return outcome


@transaction.atomic
def sleep_import_delete(*, sleep_import: SleepImport) -> None:
    sleep_import.delete()


def sleep_imports_purge(*, now=None) -> int:
    """Delete every import past its expiry (the beat runs this daily)."""
    _total, deleted = SleepImport.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted.get(SleepImport._meta.label, 0)
