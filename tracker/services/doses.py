"""Dose, saved-product and skip writes. Amounts are converted to elemental mg here."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker import reference
from tracker.amounts import mg_text
from tracker.evening import evening_of
from tracker.models import Dose, EveningSkip, Form, SavedProduct, Unit
from tracker.services import rules

TENTH = Decimal("0.1")


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter a number of milligrams.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number of milligrams.")})
    return number


def elemental_mg_of(*, form: str, amount_mg, unit: str) -> Decimal:
    """Convert an amount to elemental mg (rounded to 0.1 mg), validating form and unit."""
    if form not in Form.values:
        raise ValidationError({"form": _("Choose one of the listed forms.")})
    if unit not in Unit.values:
        raise ValidationError({"unit": _("Choose elemental or compound milligrams.")})
    amount = _decimal(amount_mg, "amount_mg")
    if amount <= 0:
        raise ValidationError({"amount_mg": _("Enter an amount above 0 mg.")})
    if unit == Unit.ELEMENTAL:
        elemental = amount
    else:
        fraction = reference.elemental_fraction(form)
        if fraction is None:
            raise ValidationError(
                {"unit": _("For 'other' forms, enter the elemental mg printed on the label.")}
            )
        elemental = amount * fraction
    return elemental.quantize(TENTH, rounding=ROUND_HALF_UP)


def _check_taken_at(taken_at: datetime.datetime, *, now: datetime.datetime | None) -> None:
    if not isinstance(taken_at, datetime.datetime) or timezone.is_naive(taken_at):
        raise ValidationError({"taken_at": _("Enter the date and time you took it.")})
    if taken_at.date() < rules.EARLIEST_DATE:
        raise ValidationError({"taken_at": rules.EARLIEST_DATE_MESSAGE})
    now = now or timezone.now()
    limit = datetime.timedelta(minutes=reference.DOSE_FUTURE_TOLERANCE_MINUTES)
    if taken_at > now + limit:
        raise ValidationError(
            {"taken_at": _("That time is more than an hour from now. Check the date and time.")}
        )


def _dose_values(*, user, taken_at, form, amount_mg, unit, note, now) -> dict:
    _check_taken_at(taken_at, now=now)
    elemental = elemental_mg_of(form=form, amount_mg=amount_mg, unit=unit)
    if elemental > reference.SINGLE_DOSE_TYPO_LIMIT_MG.value:
        raise ValidationError(
            {
                "amount_mg": _(
                    "That is %(mg)s mg elemental in one dose, above %(limit)s mg — probably a "
                    "typo. Check the label: most print elemental magnesium per serving."
                )
                % {
                    "mg": mg_text(elemental),
                    "limit": mg_text(reference.SINGLE_DOSE_TYPO_LIMIT_MG.value),
                }
            }
        )
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("Keep the note under 200 characters.")})
    return {
        "taken_at": taken_at,
        "evening": evening_of(taken_at, user.zone, user.wake_time),
        "form": form,
        "elemental_mg": elemental,
        "compound_mg": (
            _decimal(amount_mg, "amount_mg").quantize(TENTH) if unit == Unit.COMPOUND else None
        ),
        "note": note,
    }


@transaction.atomic
def dose_record(
    *,
    user,
    taken_at: datetime.datetime,
    form: str,
    amount_mg,
    unit: str,
    note: str = "",
    remember: bool = False,
    now: datetime.datetime | None = None,
) -> Dose:
    """Record a dose; the amount is converted to elemental mg and the evening derived.

    `remember` also saves form, amount and unit as "My magnesium", in the same transaction:
    either both are saved or neither.
    """
    values = _dose_values(
        user=user, taken_at=taken_at, form=form, amount_mg=amount_mg, unit=unit, note=note, now=now
    )
    if remember:
        saved_product_set(user=user, form=form, amount_mg=amount_mg, unit=unit)
    return Dose.objects.create(user=user, **values)


@transaction.atomic
def dose_update(
    *,
    dose: Dose,
    taken_at: datetime.datetime,
    form: str,
    amount_mg,
    unit: str,
    note: str = "",
    remember: bool = False,
    now: datetime.datetime | None = None,
) -> Dose:
    """Change a dose (and, with `remember`, "My magnesium" too), in one transaction."""
    values = _dose_values(
        user=dose.user,
        taken_at=taken_at,
        form=form,
        amount_mg=amount_mg,
        unit=unit,
        note=note,
        now=now,
    )
    if remember:
        saved_product_set(user=dose.user, form=form, amount_mg=amount_mg, unit=unit)
    for name, value in values.items():
        setattr(dose, name, value)
    dose.save()
    return dose


@transaction.atomic
def dose_delete(*, dose: Dose) -> None:
    dose.delete()


# How long "Undo" stays offered after a one-tap dose: long enough to notice a double tap or
# the wrong button, short enough that it never removes a dose someone relies on.
UNDO_WINDOW = datetime.timedelta(minutes=10)


@transaction.atomic
def dose_undo(*, dose: Dose, now: datetime.datetime | None = None) -> None:
    """Remove a dose logged a moment ago; later, deleting it is a deliberate act elsewhere."""
    now = now or timezone.now()
    if dose.created_at < now - UNDO_WINDOW:
        raise ValidationError(
            _(
                "It is too late to undo that dose. If it is wrong, edit or delete it in "
                "your list of doses."
            )
        )
    dose.delete()


# Not atomic itself: it only reads the product before dose_record's own transaction, and a
# second one around it cost a savepoint and its release on every tap.
def dose_record_saved_product(
    *,
    user,
    tapped_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> Dose:
    """The one-tap 'I took my magnesium now' with the user's saved product.

    `tapped_at`: when the button was pressed, if the browser said so — a tap queued offline
    arrives later but was taken then. Never later than now (a device clock running ahead).
    """
    product = SavedProduct.objects.filter(user=user).first()
    if product is None:
        raise ValidationError(_("Save your product first, then one tap logs it."))
    now = now or timezone.now()
    return dose_record(
        user=user,
        taken_at=min(tapped_at, now) if tapped_at else now,
        form=product.form,
        amount_mg=product.amount_mg,
        unit=product.unit,
        now=now,
    )


@transaction.atomic
def saved_product_set(*, user, form: str, amount_mg, unit: str) -> SavedProduct:
    """Save (or replace) 'My magnesium'. Validates like a dose, so one tap never fails."""
    elemental = elemental_mg_of(form=form, amount_mg=amount_mg, unit=unit)
    if elemental > reference.SINGLE_DOSE_TYPO_LIMIT_MG.value:
        raise ValidationError(
            {
                "amount_mg": _("That is above %(limit)s mg elemental per dose — probably a typo.")
                % {"limit": reference.SINGLE_DOSE_TYPO_LIMIT_MG.value}
            }
        )
    product, _created = SavedProduct.objects.update_or_create(
        user=user,
        defaults={
            "form": form,
            "amount_mg": _decimal(amount_mg, "amount_mg").quantize(TENTH),
            "unit": unit,
        },
    )
    return product


def evening_skip_record(*, user, evening: datetime.date) -> EveningSkip:
    """Mark an evening as deliberately skipped. Safe to repeat: returns the existing skip."""
    if not isinstance(evening, datetime.date) or isinstance(evening, datetime.datetime):
        raise ValidationError({"evening": _("Enter a date.")})
    try:
        with transaction.atomic():
            skip, _created = EveningSkip.objects.get_or_create(user=user, evening=evening)
    except IntegrityError:
        # A concurrent request created it between our SELECT and INSERT.
        skip = EveningSkip.objects.get(user=user, evening=evening)
    return skip
