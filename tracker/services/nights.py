"""Night log writes: one diary entry per user per evening, times stored as aware instants."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.evening import evening_of, night_instant
from tracker.models import (
    AWAKENINGS_MAX,
    LATENCY_MAX,
    SEVERITY_MAX,
    WASO_MAX,
    Factor,
    NightLog,
    Stomach,
)
from tracker.services import rules

NIGHT_TIME_FIELDS = ("symptoms_started", "in_bed", "tried_sleep", "final_wake", "out_of_bed")
STOMACH_MESSAGE = gettext_lazy("Choose one of the answers about your stomach, or leave it empty.")


def night_time_errors(
    instants: dict, *, sleep_latency_min: int | None, waso_min: int | None, now
) -> dict[str, str]:
    """The diary times' rules (in order, not in the future, the awake minutes fit the night),
    keyed by form field. `instants` maps `<name>_at` to an aware instant or None. The night
    form and the sleep import both check a night through here: one rule, one message."""
    errors: dict[str, str] = {}
    order = [
        ("in_bed_at", _("went to bed")),
        ("tried_sleep_at", _("tried to sleep")),
        ("final_wake_at", _("woke for the last time")),
        ("out_of_bed_at", _("got up")),
    ]
    previous = None
    for name, label in order:
        value = instants[name]
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            errors[name.removesuffix("_at")] = _(
                "This is before the time you %(before)s. Times after midnight count as the "
                "next morning."
            ) % {"before": previous[0]}
        previous = (label, value)
    if instants["out_of_bed_at"] and instants["out_of_bed_at"] > now + datetime.timedelta(hours=1):
        errors["out_of_bed"] = _("That time has not come yet.")
    tried, woke = instants["tried_sleep_at"], instants["final_wake_at"]
    if tried and woke and not errors:
        awake = datetime.timedelta(minutes=(sleep_latency_min or 0) + (waso_min or 0))
        if awake > woke - tried:
            errors["waso_min"] = _(
                "Minutes to fall asleep plus minutes awake are longer than the night you "
                "described. Check the times."
            )
    return errors


def _night_values(
    *,
    user,
    evening,
    severity,
    sleep_quality,
    times: dict | None = None,
    sleep_latency_min: int | None = None,
    awakenings: int | None = None,
    waso_min: int | None = None,
    factors=(),
    tags: str = "",
    notes: str = "",
    symptoms_in_arms: bool = False,
    symptoms_earlier: bool = False,
    stomach: str = "",
    now: datetime.datetime | None = None,
) -> dict:
    errors: dict[str, str] = {}
    now = now or timezone.now()
    if not isinstance(evening, datetime.date) or isinstance(evening, datetime.datetime):
        raise ValidationError({"evening": _("Enter the date of the evening.")})
    if evening < rules.EARLIEST_DATE:
        raise ValidationError({"evening": rules.EARLIEST_DATE_MESSAGE})
    if evening > evening_of(now, user.zone, user.wake_time):
        errors["evening"] = _("That night has not happened yet. Choose today or an earlier date.")
    if not isinstance(severity, int) or not 0 <= severity <= SEVERITY_MAX:
        errors["severity"] = rules.SEVERITY_MESSAGE
    if not isinstance(sleep_quality, int) or not 1 <= sleep_quality <= 5:
        errors["sleep_quality"] = rules.QUALITY_MESSAGE
    for field, value, top in (
        ("sleep_latency_min", sleep_latency_min, LATENCY_MAX),
        ("awakenings", awakenings, AWAKENINGS_MAX),
        ("waso_min", waso_min, WASO_MAX),
    ):
        if value is not None and not 0 <= value <= top:
            errors[field] = rules.range_message(top)
    unknown = set(factors) - set(Factor.values)
    if unknown:
        errors["factors"] = _("Choose factors from the list.")
    if stomach and stomach not in Stomach.values:
        errors["stomach"] = str(STOMACH_MESSAGE)
    if errors:
        raise ValidationError(errors)

    times = times or {}
    instants = {
        f"{name}_at": night_instant(evening, times.get(name), user.zone)
        for name in NIGHT_TIME_FIELDS
    }
    errors.update(
        night_time_errors(instants, sleep_latency_min=sleep_latency_min, waso_min=waso_min, now=now)
    )
    if errors:
        raise ValidationError(errors)
    clean_tags = ", ".join(dict.fromkeys(t.strip() for t in (tags or "").split(",") if t.strip()))
    if len(clean_tags) > 200:
        raise ValidationError({"tags": _("Keep the tags under 200 characters.")})
    if len(notes or "") > 2000:
        raise ValidationError({"notes": _("Keep the notes under 2,000 characters.")})
    return {
        "evening": evening,
        "severity": severity,
        "sleep_quality": sleep_quality,
        "sleep_latency_min": sleep_latency_min,
        "awakenings": awakenings,
        "waso_min": waso_min,
        "factors": sorted(set(factors)),
        "tags": clean_tags,
        "notes": (notes or "").strip(),
        "symptoms_in_arms": bool(symptoms_in_arms),
        "symptoms_earlier": bool(symptoms_earlier),
        "stomach": stomach or "",
        **instants,
    }


def _taken(evening: datetime.date) -> ValidationError:
    return ValidationError(
        {"evening": ValidationError(rules.night_taken_message(evening), code=rules.NIGHT_TAKEN)}
    )


@transaction.atomic
def night_log(*, user, evening: datetime.date, **fields) -> NightLog:
    """Log a new night. A night already logged is refused (code NIGHT_TAKEN), never
    overwritten — unless the same answers arrive again (a double tap), which returns it.

    Fields: severity (0-10) and sleep_quality (1-5) required; optional `times` mapping
    symptoms_started / in_bed / tried_sleep / final_wake / out_of_bed to local wall-clock
    times (datetime.time) during that night, sleep_latency_min, awakenings, waso_min,
    factors, tags, notes, symptoms_in_arms, symptoms_earlier (the augmentation watch),
    stomach (a tracker.models.Stomach value, or "" for no answer); `now` for tests.
    """
    values = _night_values(user=user, evening=evening, **fields)
    # select_for_update serialises two submissions of the same night (a double tap).
    night = NightLog.objects.select_for_update().filter(user=user, evening=evening).first()
    if night is None:
        try:
            with transaction.atomic():
                return NightLog.objects.create(user=user, **values)
        except IntegrityError:
            night = NightLog.objects.get(user=user, evening=evening)
    if all(getattr(night, name) == value for name, value in values.items()):
        return night
    raise _taken(evening)


@transaction.atomic
def night_update(
    *,
    night: NightLog,
    evening: datetime.date,
    move: bool = False,
    seen_version: datetime.datetime | None = None,
    **fields,
) -> NightLog:
    """Edit a logged night. It keeps its date unless `move` says to change it (code
    NIGHT_MOVE asks), and it never moves onto another logged night (NIGHT_TAKEN): a tired
    thumb on the date field must not turn last night's entry into another night's.

    Two devices editing one night: the last save wins. `seen_version` is the `updated_at`
    the editing form was loaded with; when the night was saved since (elsewhere), this save
    still replaces it, and the returned night's `overwritten_at` says when that other change
    was made (None when there was none), for the page to tell the user.
    """
    # The row lock orders two saves of the same night: each compares with the one before.
    current = (
        NightLog.objects.select_for_update()
        .filter(pk=night.pk)
        .values_list("updated_at", flat=True)
        .first()
    )
    night.overwritten_at = (
        current if seen_version is not None and current and current != seen_version else None
    )
    if evening != night.evening:
        if NightLog.objects.filter(user=night.user, evening=evening).exclude(pk=night.pk).exists():
            raise _taken(evening)
        if not move:
            message = rules.night_move_message(current=night.evening, wanted=evening)
            raise ValidationError({"evening": ValidationError(message, code=rules.NIGHT_MOVE)})
    values = _night_values(user=night.user, evening=evening, **fields)
    for name, value in values.items():
        setattr(night, name, value)
    try:
        with transaction.atomic():
            night.save()
    except IntegrityError:  # another request logged that night a moment ago
        raise _taken(evening) from None
    return night


@transaction.atomic
def night_stomach_set(*, night: NightLog, stomach: str) -> NightLog:
    """Answer (or change, or clear with "") one logged night's stomach question alone: the
    dashboard asks it once the night is saved. One UPDATE, so it cannot undo another device's
    edit of the night's other answers."""
    if stomach and stomach not in Stomach.values:
        raise ValidationError({"stomach": str(STOMACH_MESSAGE)})
    night.stomach = stomach
    night.save(update_fields=["stomach", "updated_at"])
    return night


@transaction.atomic
def night_delete(*, night: NightLog) -> None:
    night.delete()
