from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import TimeZoneField
from tracker.fields import LocalDateTimeField

WEEKDAY_CHOICES = [
    ("0", _("Mon")),
    ("1", _("Tue")),
    ("2", _("Wed")),
    ("3", _("Thu")),
    ("4", _("Fri")),
    ("5", _("Sat")),
    ("6", _("Sun")),
]
MAX_MINUTES_BEFORE = 240


def weekdays_to_bits(values) -> int:
    return sum(1 << int(value) for value in values)


def bits_to_weekdays(bits: int) -> list[str]:
    return [str(day) for day in range(7) if bits & (1 << day)]


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ReminderSettingsForm(forms.Form):
    """One sentence-like form: "Email me 30 min before my 22:30 bedtime on M T W T F S S"."""

    evening_enabled = forms.BooleanField(
        label=_("Email me an evening reminder to take my magnesium"), required=False
    )
    minutes_before = forms.IntegerField(
        label=_("Minutes before bedtime"),
        min_value=0,
        max_value=MAX_MINUTES_BEFORE,
        error_messages={
            "min_value": _("Enter a number of minutes between 0 and 240."),
            "max_value": _("Enter a number of minutes between 0 and 240."),
            "invalid": _("Enter a number of minutes between 0 and 240."),
            "required": _("Enter a number of minutes between 0 and 240."),
        },
    )
    bedtime = forms.TimeField(label=_("My usual bedtime"), widget=_time_input())
    evening_days = forms.MultipleChoiceField(
        label=_("On these days"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    skip_if_logged = forms.BooleanField(
        label=_("Don't send it if I have already logged a dose that evening"), required=False
    )
    morning_enabled = forms.BooleanField(
        label=_('Email me a "How did you sleep?" reminder at my wake time'), required=False
    )
    wake_time = forms.TimeField(label=_("My usual wake time"), widget=_time_input())
    morning_days = forms.MultipleChoiceField(
        label=_("On these days"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    paused_until = forms.DateField(
        label=_("Pause all reminders until (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty to keep them running."),
    )

    def clean_paused_until(self):
        value = self.cleaned_data.get("paused_until")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date, or leave it empty."))
        return value

    def clean(self):
        data = super().clean()
        for kind in ("evening", "morning"):
            if data.get(f"{kind}_enabled") and not data.get(f"{kind}_days"):
                self.add_error(f"{kind}_days", _("Choose at least one day, or turn it off."))
        return data


class OnboardingForm(forms.Form):
    time_zone = TimeZoneField()
    bedtime = forms.TimeField(label=_("Usual bedtime"), widget=_time_input())
    wake_time = forms.TimeField(label=_("Usual wake time"), widget=_time_input())
    evening_reminder = forms.BooleanField(
        label=_("Email me 30 minutes before bedtime to take my magnesium"),
        help_text=_("You can change or turn this off at any time in Reminders."),
        required=False,
        initial=True,
    )
    product_form = forms.ChoiceField(label=_("My magnesium: form"), required=False)
    product_amount_mg = forms.DecimalField(
        label=_("Amount per dose (mg)"),
        required=False,
        min_value=Decimal("0.1"),
        max_digits=7,
        decimal_places=1,
        help_text=_("Optional. Saves you typing it each evening."),
        error_messages={"min_value": _("Enter an amount above 0 mg.")},
    )
    product_unit = forms.ChoiceField(label=_("Unit"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        from tracker.models import Form, Unit

        super().__init__(*args, **kwargs)
        self.fields["product_form"].choices = [("", _("— not now —")), *Form.choices]
        self.fields["product_unit"].choices = Unit.choices
        self.fields["product_unit"].initial = Unit.ELEMENTAL

    def clean(self):
        data = super().clean()
        amount, form = data.get("product_amount_mg"), data.get("product_form")
        if amount is not None and not form:
            self.add_error("product_form", _("Choose the form printed on the label."))
        if form and amount is None and "product_amount_mg" not in self.errors:
            self.add_error(
                "product_amount_mg", _("Enter the amount per dose, or leave both empty.")
            )
        if amount is not None and not data.get("product_unit"):
            self.add_error("product_unit", _("Choose elemental or compound milligrams."))
        return data


def taken_initial(*, delivery, last_dose) -> dict:
    """Prefill: the last dose's form and amount; the reminder's own time as "taken at"."""
    initial = {"taken_at": timezone.localtime(delivery.due_at).replace(second=0, microsecond=0)}
    if last_dose is not None:
        compound = last_dose.compound_mg is not None
        initial.update(
            form=last_dose.form,
            amount_mg=last_dose.compound_mg if compound else last_dose.elemental_mg,
            unit="compound" if compound else "elemental",
        )
    else:
        initial.update(form="glycinate", unit="elemental")
    return initial


class TakenForm(forms.Form):
    """ "I took it" from the email: only asks what the saved product and clock can't answer."""

    def __init__(self, *args, needs_amount: bool, needs_time: bool, **kwargs):
        from tracker.models import Form, Unit

        super().__init__(*args, **kwargs)
        if needs_amount:
            self.fields["form"] = forms.ChoiceField(label=_("Form"), choices=Form.choices)
            self.fields["amount_mg"] = forms.DecimalField(
                label=_("Amount (mg)"),
                min_value=Decimal("0.1"),
                max_digits=7,
                decimal_places=1,
                error_messages={"min_value": _("Enter an amount above 0 mg.")},
            )
            self.fields["unit"] = forms.ChoiceField(
                label=_("Unit"), choices=Unit.choices, widget=forms.RadioSelect
            )
        if needs_time:
            self.fields["taken_at"] = LocalDateTimeField(
                label=_("When did you take it?"),
                widget=forms.DateTimeInput(
                    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
                ),
                help_text=_("In your own time zone."),
            )
