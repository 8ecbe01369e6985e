import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import time_of_day_field
from reminders.models import ChannelChoice, ReminderKind
from reminders.services import MAX_MINUTES_BEFORE, MINUTES_BEFORE_MESSAGE
from reminders.wording import enable_label, sentence_label

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


def minutes_between(earlier: datetime.time, later: datetime.time) -> int:
    """Minutes from `earlier` to `later` on the clock, across midnight (23:30 → 00:15: 45)."""
    start = earlier.hour * 60 + earlier.minute
    end = later.hour * 60 + later.minute
    return (end - start) % (24 * 60)


class ReminderSettingsForm(forms.Form):
    """One sentence: "Email me at [22:00] ([30] min before my [22:30] bedtime) on [M T W …]".

    The user may set the time or the minutes: whichever they changed wins (Django knows which
    field differs from what was shown), and the other follows from the bedtime. The words name
    each reminder's saved channel ("Notify me on my devices at", "Email and notify me at"):
    `channels` maps a kind to its saved channel (email when not given).
    """

    evening_enabled = forms.BooleanField(
        label=_("Email me an evening reminder to take my magnesium"), required=False
    )
    evening_time = time_of_day_field(_("Email me at"))
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
    # Not required: a form posted without it (an older page) keeps what was saved.
    evening_channel = forms.ChoiceField(
        label=_("Send it as"), choices=ChannelChoice, widget=forms.RadioSelect, required=False
    )
    skip_if_logged = forms.BooleanField(
        label=_("Don't send it if I have already logged a dose that evening"), required=False
    )
    morning_enabled = forms.BooleanField(
        label=_('Email me a "How did you sleep?" reminder at my wake time'), required=False
    )
    wake_time = time_of_day_field(_("My usual wake time"))
    morning_channel = forms.ChoiceField(
        label=_("Send it as"), choices=ChannelChoice, widget=forms.RadioSelect, required=False
    )
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

    def __init__(self, *args, zone, channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone  # "today" for the pause is the user's today
        channels = channels or {}
        evening = channels.get(ReminderKind.EVENING, ChannelChoice.EMAIL)
        morning = channels.get(ReminderKind.MORNING, ChannelChoice.EMAIL)
        self.fields["evening_time"].label = sentence_label(evening)
        self.fields["evening_enabled"].label = enable_label(ReminderKind.EVENING, evening)
        self.fields["morning_enabled"].label = enable_label(ReminderKind.MORNING, morning)
        self.fields["evening_time"].required = False
        self.fields["minutes_before"].required = False
        # The three inputs of the sentence sit inside one line of text: each is small, and
        # says which message below the sentence belongs to it.
        for name in ("evening_time", "minutes_before", "bedtime"):
            widget = self.fields[name].widget
            widget.attrs["class"] = "form-control form-control-sm d-inline-block w-auto"
            if self.is_bound and self.has_error(name):
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"id_{name}_error"
        # Three digits wide (a number input takes no size attribute): .minutes-input in CSS.
        minutes = self.fields["minutes_before"].widget
        minutes.attrs |= {
            "inputmode": "numeric",
            "class": minutes.attrs["class"].replace("w-auto", "minutes-input"),
        }

    def clean_paused_until(self):
        value = self.cleaned_data.get("paused_until")
        today = timezone.localdate(timezone=self.zone)
        if value is not None and value < today:
            raise forms.ValidationError(_("Choose today or a later date, or leave it empty."))
        if value is not None and value > today + MAX_PAUSE:
            raise forms.ValidationError(
                _("Pause for at most a year, or turn the reminder off instead.")
            )
        return value

    def clean(self):
        data = super().clean()
        self._evening_time_or_minutes(data)
        for kind in ("evening", "morning"):
            if data.get(f"{kind}_enabled") and not data.get(f"{kind}_days"):
                self.add_error(f"{kind}_days", _("Choose at least one day, or turn it off."))
        return data

    def _evening_time_or_minutes(self, data) -> None:
        bedtime = data.get("bedtime")
        time_changed = "evening_time" in self.changed_data and data.get("evening_time")
        if time_changed and bedtime and not self.has_error("evening_time"):
            minutes = minutes_between(data["evening_time"], bedtime)
            if minutes > MAX_MINUTES_BEFORE:
                self.add_error(
                    "evening_time",
                    _("Choose a time up to %(hours)s hours before your bedtime.")
                    % {"hours": MAX_MINUTES_BEFORE // 60},
                )
                return
            data["minutes_before"] = minutes
            self.errors.pop("minutes_before", None)  # the time they typed decides
        elif data.get("minutes_before") is None and not self.has_error("minutes_before"):
            self.add_error("minutes_before", MINUTES_BEFORE_MESSAGE)
