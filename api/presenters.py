"""Rows as the API shows them: local dates, date-times with the user's offset, plain numbers."""

import zoneinfo

from tracker import reference
from tracker.models import Dose, NightLog
from tracker.summary import Summary

NIGHT_INSTANTS = ("symptoms_started_at", "in_bed_at", "tried_sleep_at", "final_wake_at",
                  "out_of_bed_at")  # fmt: skip


def _local(instant, zone: zoneinfo.ZoneInfo):
    return instant.astimezone(zone) if instant is not None else None


def night(row: NightLog, zone: zoneinfo.ZoneInfo) -> dict:
    data = {name: getattr(row, name) for name in ("id", *NightLog.ENTRY_FIELDS)}
    for name in NIGHT_INSTANTS:
        data[name] = _local(data[name], zone)
    data["evening"] = row.evening.isoformat()
    return data


def dose(row: Dose, zone: zoneinfo.ZoneInfo) -> dict:
    return {
        "id": row.pk,
        "taken_at": _local(row.taken_at, zone),
        "evening": row.evening.isoformat(),
        "form": row.form,
        "elemental_mg": float(row.elemental_mg),
        "compound_mg": float(row.compound_mg) if row.compound_mg is not None else None,
        "note": row.note,
    }


def _round(value, places=1):
    return round(value, places) if value is not None else None


def dashboard(summary: Summary, *, days: int) -> dict:
    return {
        "days": days,
        "start": summary.start.isoformat(),
        "end": summary.end.isoformat(),
        "nights_logged": summary.nights_logged,
        "moderate_score": reference.MODERATE_SEVERITY_SCORE.value,
        "moderate_nights": summary.moderate_nights,
        "moderate_nights_per_week": _round(summary.moderate_nights_per_week),
        "any_symptom_nights": summary.any_symptom_nights,
        "any_symptom_nights_per_week": _round(summary.any_symptom_nights_per_week),
        "clinically_significant": summary.clinically_significant,
        "mean_severity": _round(summary.mean_severity),
        "mean_quality": _round(summary.mean_quality),
        "sleep_efficiency_percent": _round(summary.efficiency),
        "efficiency_nights": summary.efficiency_nights,
        "mean_total_sleep_min": _round(summary.mean_total_sleep_min, 0),
        "evenings_counted": summary.evenings_counted,
        "evenings_dosed": summary.evenings_dosed,
        "evenings_skipped": summary.evenings_skipped,
        "adherence_percent": _round(summary.adherence_percent),
        "mean_evening_mg": _round(summary.mean_evening_mg),
        "streak": summary.streak,
    }
