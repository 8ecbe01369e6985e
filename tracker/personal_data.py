"""What the tracker stores about a user (registered for the account's JSON export)."""

import datetime

from django.utils import timezone

from accounts.export_registry import exporter, iso
from tracker import crossover, selectors
from tracker.evening import evening_of
from tracker.models import (
    Dose,
    EveningSkip,
    Experiment,
    ExperimentAmendment,
    ExperimentCapsule,
    ExperimentLook,
    IronProduct,
    LabResult,
    NightLog,
    OtherMedicine,
    SavedProduct,
    SleepImport,
    Trial,
)


def _num(value):
    # Fixed-point, as str() of a Decimal may not be ("1E+2"): readers expect plain numbers.
    return f"{value:f}" if value is not None else None


def _json(value):
    """A night's field as JSON: dates and instants in ISO 8601, lists and numbers as they are."""
    return iso(value) if isinstance(value, datetime.date) else value


@exporter("tracker.nightlog")
def export_nights(user) -> list[dict]:
    return [
        {name: _json(getattr(night, name)) for name in NightLog.ENTRY_FIELDS}
        for night in NightLog.objects.filter(user=user).order_by("evening")
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
            "morning_no_iron": r.morning_no_iron,
        }
        for r in LabResult.objects.filter(user=user).order_by("taken_on", "pk")
    ]


@exporter("tracker.ironproduct")
def export_iron_product(user) -> list[dict]:
    return [
        {
            "name": p.name,
            "elemental_mg": _num(p.elemental_mg),
            "frequency": p.frequency,
            "usual_time": iso(p.usual_time),
        }
        for p in IronProduct.objects.filter(user=user)
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


@exporter("tracker.experiment")
def export_experiments(user) -> list[dict]:
    now = timezone.now()
    rows = []
    for e in Experiment.objects.filter(user=user).select_related("user").order_by("created_at"):
        allocation, protocol = _experiment_protocol(e, now=now)
        rows.append(
            {
                "id": e.pk,
                "status": e.status,
                "outcome": e.outcome,
                "smallest_change": _num(e.smallest_change),
                "pairs": e.pairs,
                "period_nights": e.period_nights,
                "washout_nights": e.washout_nights,
                "start_evening": iso(e.start_evening),
                "dose_form": e.dose_form,
                "dose_elemental_mg": _num(e.dose_elemental_mg),
                "blinded": e.blinded,
                "allocation_magnesium_first": allocation,
                "protocol": protocol,
                "fingerprint": e.fingerprint,
                "registered_at": iso(e.locked_at),
                "stopped_at": iso(e.stopped_at),
                "result": _experiment_result(e, now=now),
            }
        )
    return rows


def _experiment_result(experiment, *, now) -> dict | None:
    """The verdict and its figures once the planned end has passed (or it was stopped)."""
    if experiment.orders is None:
        return None
    tonight = crossover.reading_evening(
        experiment, tonight=evening_of(now, experiment.user.zone, experiment.user.wake_time)
    )
    if not crossover.is_over(experiment, tonight=tonight):
        return None
    result = crossover.analysis(
        experiment, selectors.experiment_log(experiment=experiment), tonight=tonight
    )
    return {
        "verdict": str(result.verdict),
        "interim": result.interim,
        "confidence": result.confidence,
        "estimate": result.estimate,
        "low": result.low,
        "high": result.high,
        "nights_analysed": result.nights_analysed,
        "pairs_used": result.pairs_used,
        "lag1_autocorrelation": result.autocorrelation,
        "effective_nights": result.effective_nights,
    }


def _experiment_protocol(experiment, *, now) -> tuple[list | None, dict | None]:
    """The allocation and protocol, except for a blinded experiment still running: its key
    (which periods were magnesium, and the protocol's secret nonce) is withheld until then."""
    if not experiment.blinded or experiment.protocol is None:
        return experiment.orders, experiment.protocol
    tonight = crossover.reading_evening(
        experiment, tonight=evening_of(now, experiment.user.zone, experiment.user.wake_time)
    )
    if crossover.is_over(experiment, tonight=tonight):
        return experiment.orders, experiment.protocol
    hidden = {key: value for key, value in experiment.protocol.items() if key != "nonce"}
    hidden["schedule"] = [
        {key: value for key, value in period.items() if key != "magnesium"}
        for period in experiment.protocol["schedule"]
    ]
    return None, hidden


@exporter("tracker.experimentamendment")
def export_experiment_amendments(user) -> list[dict]:
    return [
        {
            "experiment": a.experiment_id,
            "made_at": iso(a.made_at),
            "changes": a.changes,
            "reason": a.reason,
            "fingerprint": a.fingerprint,
        }
        for a in ExperimentAmendment.objects.filter(experiment__user=user)
    ]


@exporter("tracker.experimentlook")
def export_experiment_looks(user) -> list[dict]:
    return [
        {
            "experiment": look.experiment_id,
            "looked_at": iso(look.looked_at),
            "pairs_complete": look.pairs_complete,
            "verdict": look.verdict,
            "estimate": look.estimate,
            "low": look.low,
            "high": look.high,
        }
        for look in ExperimentLook.objects.filter(experiment__user=user)
    ]


@exporter("tracker.experimentcapsule")
def export_experiment_capsules(user) -> list[dict]:
    return [
        {"experiment": c.experiment_id, "evening": iso(c.evening), "taken_at": iso(c.taken_at)}
        for c in ExperimentCapsule.objects.filter(experiment__user=user)
    ]


@exporter("tracker.sleepimport")
def export_sleep_imports(user) -> list[dict]:
    """Unconfirmed suggestions from an imported sleep export (deleted a week after upload)."""
    return [
        {
            "source": item.source,
            "records": item.records,
            "created_at": iso(item.created_at),
            "expires_at": iso(item.expires_at),
            "nights": [
                {
                    "evening": iso(s.evening),
                    "device": s.device,
                    "in_bed_at": iso(s.in_bed_at),
                    "asleep_at": iso(s.asleep_at),
                    "final_wake_at": iso(s.final_wake_at),
                    "out_of_bed_at": iso(s.out_of_bed_at),
                    "asleep_min": s.asleep_min,
                    "waso_min": s.waso_min,
                    "applied_at": iso(s.applied_at),
                    "applied_fields": s.applied_fields,
                }
                for s in item.suggestions.order_by("evening")
            ],
        }
        for item in SleepImport.objects.filter(user=user).order_by("pk")
    ]
