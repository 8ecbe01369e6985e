"""Writes for the other medicines list, 'My iron', the lab log and the personal-trial phases."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker import reference
from tracker.models import IronFrequency, IronProduct, LabResult, MedicineKind, OtherMedicine, Trial
from tracker.services import rules


@transaction.atomic
def medicine_add(
    *, user, kind: str, name: str = "", usual_time: datetime.time | None = None
) -> OtherMedicine:
    if kind not in MedicineKind.values:
        raise ValidationError({"kind": _("Choose a medicine from the list.")})
    name = (name or "").strip()
    if len(name) > 80:
        raise ValidationError({"name": _("Keep the name under 80 characters.")})
    return OtherMedicine.objects.create(user=user, kind=kind, name=name, usual_time=usual_time)


@transaction.atomic
def medicine_delete(*, medicine: OtherMedicine) -> None:
    medicine.delete()


def _optional_decimal(value, field: str, top: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite() or not 0 <= number <= top:
        raise ValidationError({field: rules.range_message(top)})
    return number.quantize(Decimal("0.1"))


@transaction.atomic
def iron_product_set(
    *, user, name: str, elemental_mg, frequency: str, usual_time: datetime.time | None = None
) -> IronProduct:
    """Save 'My iron' (one per user): what it is, elemental iron per dose, how often."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError({"name": rules.IRON_NAME_MESSAGE})
    try:
        amount = Decimal(str(elemental_mg))
    except (InvalidOperation, ValueError):
        raise ValidationError({"elemental_mg": rules.iron_amount_message()}) from None
    if not amount.is_finite() or not 0 < amount <= reference.IRON_DOSE_TYPO_LIMIT_MG.value:
        raise ValidationError({"elemental_mg": rules.iron_amount_message()})
    if frequency not in IronFrequency.values:
        raise ValidationError({"frequency": _("Choose how often you take it.")})
    product, _created = IronProduct.objects.update_or_create(
        user=user,
        defaults={
            "name": name,
            "elemental_mg": amount.quantize(Decimal("0.1")),
            "frequency": frequency,
            "usual_time": usual_time,
        },
    )
    return product


@transaction.atomic
def iron_product_clear(*, user) -> None:
    IronProduct.objects.filter(user=user).delete()


@transaction.atomic
def lab_record(
    *,
    user,
    taken_on: datetime.date,
    ferritin_ng_ml=None,
    tsat_percent=None,
    note: str = "",
    morning_no_iron: bool | None = None,
) -> LabResult:
    ferritin = _optional_decimal(ferritin_ng_ml, "ferritin_ng_ml", rules.FERRITIN_MAX)
    tsat = _optional_decimal(tsat_percent, "tsat_percent", rules.TSAT_MAX)
    if ferritin is None and tsat is None:
        raise ValidationError(
            {"ferritin_ng_ml": _("Enter a ferritin value, a transferrin saturation, or both.")}
        )
    if taken_on < rules.EARLIEST_DATE:
        raise ValidationError({"taken_on": rules.EARLIEST_DATE_MESSAGE})
    if taken_on > timezone.localdate(timezone=user.zone):
        raise ValidationError({"taken_on": _("That date is in the future.")})
    return LabResult.objects.create(
        user=user,
        taken_on=taken_on,
        ferritin_ng_ml=ferritin,
        tsat_percent=tsat,
        note=(note or "").strip()[:200],
        morning_no_iron=morning_no_iron,
    )


@transaction.atomic
def lab_delete(*, lab: LabResult) -> None:
    lab.delete()


@transaction.atomic
def trial_set(
    *,
    user,
    baseline_start: datetime.date,
    baseline_end: datetime.date,
    magnesium_start: datetime.date,
    magnesium_end: datetime.date | None = None,
) -> Trial:
    """Save the trial phases (inclusive evenings). Phases must be in order and not overlap."""
    if baseline_end < baseline_start:
        raise ValidationError({"baseline_end": _("The baseline must end after it starts.")})
    if magnesium_start <= baseline_end:
        raise ValidationError(
            {"magnesium_start": _("Start the magnesium phase after the baseline ends.")}
        )
    if magnesium_end is not None and magnesium_end < magnesium_start:
        raise ValidationError({"magnesium_end": _("The magnesium phase must end after it starts.")})
    trial, _created = Trial.objects.update_or_create(
        user=user,
        defaults={
            "baseline_start": baseline_start,
            "baseline_end": baseline_end,
            "magnesium_start": magnesium_start,
            "magnesium_end": magnesium_end,
        },
    )
    return trial


@transaction.atomic
def trial_clear(*, user) -> None:
    Trial.objects.filter(user=user).delete()
