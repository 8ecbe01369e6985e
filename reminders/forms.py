import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import TimeZoneField, time_of_day_field
from tracker.fields import LocalDateTimeField, amount_mg_field, dose_form_field, unit_field
from tracker.models import Form

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


# A longer pause is "off"; the bound also keeps date arithmetic far from year 9999.
MAX_PAUSE = datetime.timedelta(days=366)


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
    bedtime = time_of_day_field(_("My usual bedtime"))
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
    wake_time = time_of_day_field(_("My usual wake time"))
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
        if value is not None and value > timezone.localdate() + MAX_PAUSE:
            raise forms.ValidationError(
                _("Pause for at most a year, or turn the reminder off instead.")
            )
        return value

    def clean(self):
        data = super().clean()
        for kind in ("evening", "morning"):
            if data.get(f"{kind}_enabled") and not data.get(f"{kind}_days"):
                self.add_error(f"{kind}_days", _("Choose at least one day, or turn it off."))
        return data


class OnboardingForm(forms.Form):
    time_zone = TimeZoneField()
    bedtime = time_of_day_field(_("Usual bedtime"))
    wake_time = time_of_day_field(_("Usual wake time"))
    evening_reminder = forms.BooleanField(
        label=_("Email me 30 minutes before bedtime to take my magnesium"),
        help_text=_("You can change or turn this off at any time in Reminders."),
        required=False,
        initial=True,
    )
    product_form = dose_form_field(label=_("My magnesium: form"), required=False)
    product_amount_mg = amount_mg_field(
        label=_("Amount per dose (mg)"),
        required=False,
        help_text=_("Optional. Saves you typing it each evening."),
    )
    product_unit = unit_field(label=_("Unit"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_form"].choices = [("", _("— not now —")), *Form.choices]

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


class TakenForm(forms.Form):
    """ "I took it" from the email: only asks what the saved product and clock can't answer."""

    def __init__(self, *args, needs_amount: bool, needs_time: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_amount:
            self.fields["form"] = dose_form_field()
            self.fields["amount_mg"] = amount_mg_field()
            self.fields["unit"] = unit_field()
        if needs_time:
            self.fields["taken_at"] = LocalDateTimeField(
                label=_("When did you take it?"),
                widget=forms.DateTimeInput(
                    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
                ),
                help_text=_("In your own time zone."),
            )
