import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import time_of_day_field
from reminders.services import MAX_MINUTES_BEFORE, MINUTES_BEFORE_MESSAGE

WEEKDAY_CHOICES = [
    ("0", _("Mon")),
    ("1", _("Tue")),
    ("2", _("Wed")),
    ("3", _("Thu")),
    ("4", _("Fri")),
    ("5", _("Sat")),
    ("6", _("Sun")),
]


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
        error_messages=dict.fromkeys(
            ("min_value", "max_value", "invalid", "required"), MINUTES_BEFORE_MESSAGE
        ),
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
