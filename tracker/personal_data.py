"""What the tracker stores about a user (registered for the account's JSON export)."""

from accounts.export_registry import exporter, iso
from tracker.models import (
    Dose,
    EveningSkip,
    LabResult,
    NightLog,
    OtherMedicine,
    SavedProduct,
    Trial,
)


def _num(value):
    return str(value) if value is not None else None


@exporter("tracker.nightlog")
def export_nights(user) -> list[dict]:
    return [
        {
            "evening": iso(n.evening),
            "severity": n.severity,
            "sleep_quality": n.sleep_quality,
            "symptoms_started_at": iso(n.symptoms_started_at),
            "in_bed_at": iso(n.in_bed_at),
            "tried_sleep_at": iso(n.tried_sleep_at),
            "sleep_latency_min": n.sleep_latency_min,
            "awakenings": n.awakenings,
            "waso_min": n.waso_min,
            "final_wake_at": iso(n.final_wake_at),
            "out_of_bed_at": iso(n.out_of_bed_at),
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
            "taken_at": iso(d.taken_at),
            "evening": iso(d.evening),
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
        {"evening": iso(s.evening)}
        for s in EveningSkip.objects.filter(user=user).order_by("evening")
    ]


@exporter("tracker.othermedicine")
def export_medicines(user) -> list[dict]:
    return [
        {"kind": m.kind, "name": m.name, "usual_time": iso(m.usual_time)}
        for m in OtherMedicine.objects.filter(user=user).order_by("pk")
    ]


@exporter("tracker.labresult")
def export_labs(user) -> list[dict]:
    return [
        {
            "taken_on": iso(r.taken_on),
            "ferritin_ng_ml": _num(r.ferritin_ng_ml),
            "tsat_percent": _num(r.tsat_percent),
            "note": r.note,
        }
        for r in LabResult.objects.filter(user=user).order_by("taken_on", "pk")
    ]


@exporter("tracker.trial")
def export_trial(user) -> list[dict]:
    return [
        {
            "baseline_start": iso(t.baseline_start),
            "baseline_end": iso(t.baseline_end),
            "magnesium_start": iso(t.magnesium_start),
            "magnesium_end": iso(t.magnesium_end),
        }
        for t in Trial.objects.filter(user=user)
    ]
