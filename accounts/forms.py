from django import forms
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import HealthScreen
from accounts.services import user_signup_complete
from accounts.time_zones import time_zone_choices, validate_time_zone

_format_html_lazy = lazy(format_html, str)


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault("help_text", _("Reminders and every date you see follow this zone."))
        super().__init__(choices=time_zone_choices, validators=[validate_time_zone], **kwargs)
        # static/js/restwell.js fills in the browser's zone on sign-up and onboarding.
        self.widget.attrs["data-detect-time-zone"] = "true"


def time_of_day_field(label, help_text="") -> forms.TimeField:
    """A bedtime or wake-time field: the browser's time picker, shown as HH:MM."""
    return forms.TimeField(
        label=label,
        help_text=help_text,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


def health_screen_field(label, help_text="") -> forms.ChoiceField:
    """A question asked before the first dose: yes / no / prefer not to say (optional)."""
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=HealthScreen.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose yes, no or prefer not to say.")},
    )


class HealthScreensForm(forms.Form):
    """The two screens (onboarding and the profile); a "yes" turns on a caution note."""

    kidney_disease = health_screen_field(
        _("Do you have kidney disease?"),
        _("The kidneys remove extra magnesium: Restwell then shows a caution."),
    )
    pregnant_or_breastfeeding = health_screen_field(_("Are you pregnant or breastfeeding?"))


class SignupForm(forms.Form):
    """Extra sign-up fields; allauth calls signup() after it has created the user."""

    display_name = forms.CharField(
        label=_("What should we call you?"), max_length=80, required=False
    )
    time_zone = TimeZoneField(initial="UTC")
    health_data_consent = forms.BooleanField(
        label=_format_html_lazy(
            '{} <a href="{}">{}</a>',
            _(
                "I agree that Restwell stores the health information I enter (symptoms, sleep, "
                "doses) to show it back to me, as described in the"
            ),
            reverse_lazy("privacy"),
            _("privacy notice"),
        ),
        error_messages={
            "required": _("Restwell cannot keep a sleep and symptom log without your consent.")
        },
    )
    adult = forms.BooleanField(
        label=_("I am 18 or older"),
        help_text=_(
            "Restwell is for adults: the 350 mg upper level for magnesium supplements and the "
            "other numbers it shows are adults' figures; children's limits are lower."
        ),
        error_messages={
            "required": _(
                "Restwell accounts are for adults. Tick the box to confirm you are 18 or older."
            )
        },
    )

    def signup(self, request, user):
        user_signup_complete(
            user=user,
            display_name=self.cleaned_data["display_name"],
            time_zone=self.cleaned_data["time_zone"],
            language=translation.get_language() or "",
            adult_confirmed=self.cleaned_data["adult"],
        )


class ProfileForm(HealthScreensForm):
    field_order = ["display_name", "time_zone", "bedtime", "wake_time"]  # then the screens
    display_name = forms.CharField(label=_("Display name"), max_length=80, required=False)
    time_zone = TimeZoneField()
    bedtime = time_of_day_field(_("Usual bedtime"))
    wake_time = time_of_day_field(
        _("Usual wake time"),
        _("Your day starts an hour before it: a dose after that counts for the day ahead."),
    )


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account and all my logs will be deleted for good."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class VerificationResendForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter the email address you signed up with."),
            "invalid": _("Enter an email address like name@example.com."),
        },
    )
