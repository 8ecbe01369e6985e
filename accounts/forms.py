from django import forms
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

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

    def signup(self, request, user):
        user_signup_complete(
            user=user,
            display_name=self.cleaned_data["display_name"],
            time_zone=self.cleaned_data["time_zone"],
            language=translation.get_language() or "",
        )


class ProfileForm(forms.Form):
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
