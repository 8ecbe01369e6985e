"""The personal experiment's writes: plan, start (randomize and lock), amend, look, stop.

Starting freezes the protocol: `protocol_of` builds its canonical form and `fingerprint_of`
hashes it (SHA-256 of sorted, compact JSON), so the same protocol always gives the same
fingerprint and any change gives another. Changes after that are amendments, never edits.
"""

import datetime
import hashlib
import json
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker import crossover, nof1
from tracker.evening import evening_of
from tracker.models import (
    Experiment,
    ExperimentAmendment,
    ExperimentCapsule,
    ExperimentLook,
    ExperimentStatus,
    Outcome,
    SavedProduct,
)
from tracker.models.experiment import MIN_ANALYSED_NIGHTS, PAIRS_RANGE, PERIOD_NIGHTS_RANGE
from tracker.services import rules
from tracker.services.doses import elemental_mg_of

ANALYSIS_METHOD = (
    "Paired t on the within-pair differences of period means (nights after the washout), "
    "df = pairs - 1; 95% interval at the planned end, 99.9% at any earlier look "
    "(Haybittle-Peto). Guyatt et al. Ann Intern Med 1990;112:293-299."
)
MAX_START_AHEAD = datetime.timedelta(days=60)  # a plan further out is a typo
AMENDABLE = ("smallest_change", "dose_elemental_mg", "pairs")


def _check_design(*, outcome, smallest_change, pairs, period_nights, washout_nights) -> None:
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose one of the listed outcomes.")
    low, high = rules.SMALLEST_CHANGE_RANGE
    if not isinstance(smallest_change, Decimal) or not low <= smallest_change <= high:
        errors["smallest_change"] = rules.SMALLEST_CHANGE_MESSAGE
    if not PAIRS_RANGE[0] <= pairs <= PAIRS_RANGE[1]:
        errors["pairs"] = _("Choose between %(low)s and %(high)s pairs.") % {
            "low": PAIRS_RANGE[0],
            "high": PAIRS_RANGE[1],
        }
    if not PERIOD_NIGHTS_RANGE[0] <= period_nights <= PERIOD_NIGHTS_RANGE[1]:
        errors["period_nights"] = _("Choose between %(low)s and %(high)s nights per period.") % {
            "low": PERIOD_NIGHTS_RANGE[0],
            "high": PERIOD_NIGHTS_RANGE[1],
        }
    elif not 0 <= washout_nights <= period_nights - MIN_ANALYSED_NIGHTS:
        errors["washout_nights"] = _(
            "Leave at least %(n)s nights of each period for the comparison."
        ) % {"n": MIN_ANALYSED_NIGHTS}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def experiment_plan(
    *,
    user,
    outcome: str,
    smallest_change: Decimal,
    pairs: int,
    period_nights: int,
    washout_nights: int,
    start_evening: datetime.date,
    blinded: bool = False,
    now: datetime.datetime | None = None,
) -> Experiment:
    """Save the plan (editable until started). The dose is the user's "My magnesium"."""
    now = now or timezone.now()
    _check_design(
        outcome=outcome,
        smallest_change=smallest_change,
        pairs=pairs,
        period_nights=period_nights,
        washout_nights=washout_nights,
    )
    tonight = evening_of(now, user.zone, user.wake_time)
    first_allowed = _first_startable_evening(now, user.zone)
    if not first_allowed <= start_evening <= first_allowed + MAX_START_AHEAD:
        raise ValidationError(
            {"start_evening": _("Choose tonight or an evening in the next 60 days.")}
        )
    product = SavedProduct.objects.filter(user=user).first()
    if product is None:
        raise ValidationError(_("Save your magnesium first: the experiment uses it."))
    open_ones = Experiment.objects.select_for_update().filter(
        user=user, status__in=[ExperimentStatus.PLANNING, ExperimentStatus.RUNNING]
    )
    running = open_ones.filter(status=ExperimentStatus.RUNNING).first()
    if running is not None:
        if not crossover.is_finished(running, tonight=tonight):
            raise ValidationError(_("An experiment is already running."))
        # Its last night is over: close it, so the new plan is the one open experiment.
        running.status = ExperimentStatus.FINISHED
        running.save(update_fields=["status", "updated_at"])
    experiment = open_ones.filter(status=ExperimentStatus.PLANNING).first() or Experiment(user=user)
    experiment.outcome = outcome
    experiment.smallest_change = smallest_change
    experiment.pairs = pairs
    experiment.period_nights = period_nights
    experiment.washout_nights = washout_nights
    experiment.start_evening = start_evening
    experiment.blinded = blinded
    experiment.dose_form = product.form
    experiment.dose_elemental_mg = elemental_mg_of(
        form=product.form, amount_mg=product.amount_mg, unit=product.unit
    )
    try:
        with transaction.atomic():
            experiment.save()
    except IntegrityError:
        # Two first plans saved at once: the other one is the user's plan now.
        raise ValidationError(_("Your plan was just saved in another window.")) from None
    return experiment


def _first_startable_evening(now: datetime.datetime, zone) -> datetime.date:
    """Today's date where the user is: before the day's start (tracker.evening) "tonight"
    (evening_of) is still last night's evening, already under way, which cannot be randomized
    any more."""
    return now.astimezone(zone).date()


def protocol_of(experiment: Experiment) -> dict:
    """The frozen protocol: everything the result depends on, in plain values."""
    return {
        "outcome": experiment.outcome,
        "smallest_change": str(experiment.smallest_change),
        "pairs": experiment.pairs,
        "period_nights": experiment.period_nights,
        "washout_nights": experiment.washout_nights,
        "start_evening": experiment.start_evening.isoformat(),
        "schedule": [
            {
                "period": number,
                "pair": period.pair + 1,
                "magnesium": period.magnesium,
                "first_evening": period.first.isoformat(),
                "last_evening": period.last.isoformat(),
            }
            for number, period in enumerate(crossover.periods(experiment), start=1)
        ],
        "dose": {"form": experiment.dose_form, "elemental_mg": str(experiment.dose_elemental_mg)},
        "blinded": experiment.blinded,
        "analysis": ANALYSIS_METHOD,
        "registered_at": experiment.locked_at.isoformat(),
        # A random value kept from a blinded user until the end: without it the fingerprint
        # (of otherwise known fields) could be matched against each possible order.
        "nonce": experiment.protocol["nonce"] if experiment.protocol else secrets.token_hex(16),
    }


def fingerprint_of(protocol: dict) -> str:
    canonical = json.dumps(protocol, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _freeze(experiment: Experiment) -> None:
    experiment.protocol = protocol_of(experiment)
    experiment.fingerprint = fingerprint_of(experiment.protocol)


@transaction.atomic
def experiment_start(
    *, experiment: Experiment, now: datetime.datetime | None = None, rng=None
) -> Experiment:
    """Draw the order within each pair (the OS's CSPRNG unless a test passes `rng`) and
    freeze the protocol with its timestamp and fingerprint."""
    now = now or timezone.now()
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if experiment.status != ExperimentStatus.PLANNING:
        raise ValidationError(_("This experiment has already started."))
    if experiment.start_evening < _first_startable_evening(now, experiment.user.zone):
        raise ValidationError(
            {"start_evening": _("The first evening has passed. Choose a new start and save.")}
        )
    experiment.orders = nof1.draw_orders(experiment.pairs, rng)
    experiment.locked_at = now
    experiment.status = ExperimentStatus.RUNNING
    _freeze(experiment)
    experiment.save()
    return experiment


@transaction.atomic
def experiment_amend(
    *,
    experiment: Experiment,
    reason: str,
    now: datetime.datetime | None = None,
    rng=None,
    **changes,
) -> ExperimentAmendment:
    """Change a running experiment openly: the change, its reason and the new fingerprint
    are recorded and shown beside the result. More pairs get their own random order."""
    now = now or timezone.now()
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    tonight = evening_of(now, experiment.user.zone, experiment.user.wake_time)
    if experiment.status != ExperimentStatus.RUNNING or crossover.is_finished(
        experiment, tonight=tonight
    ):
        # After the end the result is read: changing the plan then would change the verdict.
        raise ValidationError(_("Only a running experiment can be amended."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say in a few words why you change the plan.")})
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise ValueError(f"not amendable: {sorted(unknown)}")
    # Stored as the database keeps them (one decimal), so the change log and the frozen
    # protocol read "250.0", never what was typed ("2.5e2").
    changes = {
        name: value.quantize(Decimal("0.1")) if isinstance(value, Decimal) else value
        for name, value in changes.items()
    }
    before = {name: getattr(experiment, name) for name in changes}
    changed = {name: value for name, value in changes.items() if before[name] != value}
    if not changed:
        raise ValidationError(_("Nothing changed."))
    pairs = changed.get("pairs", experiment.pairs)
    if pairs < experiment.pairs:
        raise ValidationError({"pairs": _("Pairs can be added, not removed.")})
    _check_design(
        outcome=experiment.outcome,
        smallest_change=changed.get("smallest_change", experiment.smallest_change),
        pairs=pairs,
        period_nights=experiment.period_nights,
        washout_nights=experiment.washout_nights,
    )
    if changed.get("dose_elemental_mg") is not None and changed["dose_elemental_mg"] <= 0:
        raise ValidationError({"dose_elemental_mg": _("Enter an amount above 0 mg.")})
    if pairs > experiment.pairs:
        experiment.orders = experiment.orders + nof1.draw_orders(pairs - experiment.pairs, rng)
    for name, value in changed.items():
        setattr(experiment, name, value)
    _freeze(experiment)
    experiment.save()
    return ExperimentAmendment.objects.create(
        experiment=experiment,
        made_at=now,
        changes={name: [str(before[name]), str(value)] for name, value in changed.items()},
        reason=reason[:300],
        fingerprint=experiment.fingerprint,
    )


@transaction.atomic
def experiment_look(
    *, experiment: Experiment, log, now: datetime.datetime | None = None
) -> ExperimentLook:
    """ "Look now anyway": record the look and what it showed (read with the interim boundary)."""
    now = now or timezone.now()
    tonight = evening_of(now, experiment.user.zone, experiment.user.wake_time)
    if experiment.status != ExperimentStatus.RUNNING or crossover.is_finished(
        experiment, tonight=tonight
    ):
        raise ValidationError(_("There is no running experiment to look at early."))
    result = crossover.analysis(experiment, log, tonight=tonight)
    return ExperimentLook.objects.create(
        experiment=experiment,
        looked_at=now,
        pairs_complete=crossover.pairs_complete(experiment, tonight=tonight),
        verdict=result.verdict,
        estimate=result.estimate,
        low=result.low,
        high=result.high,
    )


@transaction.atomic
def experiment_stop(*, experiment: Experiment, now: datetime.datetime | None = None) -> None:
    """End early; what is logged stays and is read with the interim boundary."""
    now = now or timezone.now()
    if crossover.is_finished(
        experiment, tonight=evening_of(now, experiment.user.zone, experiment.user.wake_time)
    ):
        raise ValidationError(_("The experiment is already over: its result is ready."))
    updated = Experiment.objects.filter(pk=experiment.pk, status=ExperimentStatus.RUNNING).update(
        status=ExperimentStatus.STOPPED, stopped_at=now, updated_at=now
    )
    if not updated:
        raise ValidationError(_("There is no running experiment to stop."))


@transaction.atomic
def experiment_discard(*, experiment: Experiment) -> None:
    """Delete a plan that has not started. A started experiment stays as the record it is
    (deleting it would let anyone draw again until a result pleases); deleting the account
    deletes it with everything else."""
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if experiment.status != ExperimentStatus.PLANNING:
        raise ValidationError(_("A started experiment stays on your record."))
    experiment.delete()


@transaction.atomic
def experiment_capsule_record(
    *,
    experiment: Experiment,
    now: datetime.datetime | None = None,
    evening: datetime.date | None = None,
) -> ExperimentCapsule:
    """Blinded: the evening's capsule is taken (tonight's unless `evening` is given, as for
    a reminder's link). Safe to repeat: one per evening."""
    now = now or timezone.now()
    evening = evening or evening_of(now, experiment.user.zone, experiment.user.wake_time)
    if not experiment.blinded or crossover.tonight_plan(experiment, evening=evening) is None:
        raise ValidationError(_("There is no capsule to log tonight."))
    capsule, _created = ExperimentCapsule.objects.get_or_create(
        experiment=experiment, evening=evening, defaults={"taken_at": now}
    )
    return capsule


def experiment_key_show(*, experiment: Experiment, now: datetime.datetime | None = None) -> None:
    """Blinded: the helper's sheet (which packets hold magnesium) is shown; count it, so the
    report can say how often the key was seen before the end."""
    if not experiment.blinded or experiment.status != ExperimentStatus.RUNNING:
        raise ValidationError(_("Only a running blinded experiment has a helper's sheet."))
    Experiment.objects.filter(pk=experiment.pk).update(
        key_shown_at=now or timezone.now(), key_shown_count=F("key_shown_count") + 1
    )
