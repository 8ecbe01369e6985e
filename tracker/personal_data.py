"""What the tracker stores about a user (registered for the account's JSON export)."""

from accounts.export_registry import exporter
from tracker.models import Dose, EveningSkip, NightLog, SavedProduct


def _iso(value):
    return value.isoformat() if value is not None else None


def _num(value):
    return str(value) if value is not None else None


@exporter("tracker.nightlog")
def export_nights(user) -> list[dict]:
    return [
        {
            "evening": _iso(n.evening),
            "severity": n.severity,
            "sleep_quality": n.sleep_quality,
            "symptoms_started_at": _iso(n.symptoms_started_at),
            "in_bed_at": _iso(n.in_bed_at),
            "tried_sleep_at": _iso(n.tried_sleep_at),
            "sleep_latency_min": n.sleep_latency_min,
            "awakenings": n.awakenings,
            "waso_min": n.waso_min,
            "final_wake_at": _iso(n.final_wake_at),
            "out_of_bed_at": _iso(n.out_of_bed_at),
            "factors": list(n.factors),
            "tags": n.tags,
            "notes": n.notes,
        }
        for n in NightLog.objects.filter(user=user).order_by("evening")
    ]


@exporter("tracker.dose")
def export_doses(user) -> list[dict]:
    return [
        {
            "taken_at": _iso(d.taken_at),
            "evening": _iso(d.evening),
            "form": d.form,
            "elemental_mg": _num(d.elemental_mg),
            "compound_mg": _num(d.compound_mg),
            "note": d.note,
        }
        for d in Dose.objects.filter(user=user).order_by("taken_at", "pk")
    ]


@exporter("tracker.savedproduct")
def export_saved_product(user) -> list[dict]:
    return [
        {"form": p.form, "amount_mg": _num(p.amount_mg), "unit": p.unit}
        for p in SavedProduct.objects.filter(user=user)
    ]


@exporter("tracker.eveningskip")
def export_skips(user) -> list[dict]:
    return [
        {"evening": _iso(s.evening)}
        for s in EveningSkip.objects.filter(user=user).order_by("evening")
    ]
