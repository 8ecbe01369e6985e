"""Form fields shared by tracker and reminders forms: local date-times and the dose question."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.evening import local_to_instant
from tracker.models import Form, Unit

LOCAL_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time in the active (the user's) zone, as an aware UTC instant.

    Django's DateTimeField rejects a local time that happens twice or not at all when the
    clocks change, so nobody could log a dose at 01:30 on the night the clocks fall back.
    This field resolves it with the project's one rule (tracker.evening.local_to_instant):
    ambiguous → first occurrence; in the spring-forward gap → the minute the clocks jump.
    Dates before `earliest` are refused first (year-1 dates cannot change zone).
    """

    def __init__(self, *, earliest: datetime.date | None = None, earliest_message="", **kwargs):
        kwargs.setdefault("input_formats", LOCAL_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(
                attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
            ),
        )
        error_messages = {"invalid": _("Enter a date and time such as 2026-03-08 21:30.")}
        error_messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(error_messages=error_messages, **kwargs)
        self.earliest = earliest
        self.earliest_message = earliest_message

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                return value
            wall = value
        else:
            # BaseTemporalField parses with input_formats and leaves the result naive.
            wall = BaseTemporalField.to_python(self, value)
        if self.earliest is not None and wall.date() < self.earliest:
            raise ValidationError(self.earliest_message or self.error_messages["invalid"])
        try:
            return local_to_instant(wall, timezone.get_current_timezone())
        except OverflowError:  # e.g. 9999-12-31 23:59 east of UTC
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


# The dose fields (form, amount, unit), defined once: the tracker's dose and product forms,
# the "I took it" page and onboarding all ask the same question with the same messages.
def dose_form_field(*, label=None, required=True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label or _("Form"),
        choices=Form.choices,
        required=required,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def amount_mg_field(*, label=None, required=True, help_text="") -> forms.DecimalField:
    return forms.DecimalField(
        label=label or _("Amount (mg)"),
        required=required,
        help_text=help_text,
        min_value=Decimal("0.1"),
        # 5 whole digits: the "below 100,000 mg" message below is then exactly the limit.
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "inputmode": "decimal", "step": "0.1"}
        ),
        error_messages={
            "min_value": _("Enter an amount above 0 mg."),
            "invalid": _("Enter a number of milligrams, such as 200."),
            "max_digits": _("Enter an amount below 100,000 mg."),
            "max_whole_digits": _("Enter an amount below 100,000 mg."),
            "max_decimal_places": _("Use at most one decimal place."),
        },
    )


def unit_field(*, label=None, required=True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label or _("The amount is"),
        choices=Unit.choices,
        required=required,
        initial=Unit.ELEMENTAL,
        widget=forms.RadioSelect,  # crispy gives each radio its form-check-input class
    )


def dose_initial(*, taken_at: datetime.datetime, dose=None) -> dict:
    """A dose form's prefill: `taken_at` to the minute, and an earlier dose's form, amount
    (as it was entered: compound mg if given so, else elemental) and unit; without one,
    glycinate in elemental mg."""
    initial = {"taken_at": taken_at.replace(second=0, microsecond=0)}
    if dose is None:
        initial.update(form=Form.GLYCINATE, unit=Unit.ELEMENTAL)
    else:
        compound = dose.compound_mg is not None
        initial.update(
            form=dose.form,
            amount_mg=dose.compound_mg if compound else dose.elemental_mg,
            unit=Unit.COMPOUND if compound else Unit.ELEMENTAL,
        )
    return initial
