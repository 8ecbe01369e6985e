"""The share-link form (its rules are the service's, with the same messages) and the
passcode form a reader fills in."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from sharing import services
from tracker.services import rules


def _date(label):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        validators=[MinValueValidator(rules.EARLIEST_DATE, message=rules.EARLIEST_DATE_MESSAGE)],
        error_messages={"invalid": _("Enter a date such as 2026-03-08.")},
    )


class ShareCreateForm(forms.Form):
    label = forms.CharField(
        label=_("Who is it for?"),
        max_length=services.LABEL_MAX_LENGTH,
        help_text=_("Only you see this name, e.g. “Dr Lee, January visit”."),
        error_messages={"required": _("Give the link a name, such as “Dr Lee, January visit”.")},
    )
    start = _date(_("First evening in the report"))
    end = _date(_("Last evening in the report"))
    days = forms.IntegerField(
        label=_("The link works for (days)"),
        initial=services.DEFAULT_DAYS,
        min_value=1,
        max_value=services.MAX_DAYS,
        error_messages={
            key: _("A link can last from 1 to %(n)s days.") % {"n": services.MAX_DAYS}
            for key in ("required", "invalid", "min_value", "max_value")
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    passcode = forms.CharField(
        label=_("Passcode (optional)"),
        required=False,
        max_length=services.PASSCODE_MAX_LENGTH,
        strip=False,
        help_text=_(
            "Tell it to your clinician separately (in person or by phone), not in the same "
            "message as the link. After 5 wrong tries the link pauses for 15 minutes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    include_experiment = forms.BooleanField(
        label=_("Include my randomized experiment (its protocol and, once over, its result)"),
        required=False,
    )

    def __init__(self, *args, tonight, **kwargs):
        super().__init__(*args, **kwargs)
        self.tonight = tonight

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for field, message in services.share_rules(
            label=data["label"],
            start=data["start"],
            end=data["end"],
            days=data["days"],
            passcode=data["passcode"],
            tonight=self.tonight,
        ).items():
            self.add_error(field, message)
        return data


class PasscodeForm(forms.Form):
    passcode = forms.CharField(
        label=_("Passcode"),
        max_length=services.PASSCODE_MAX_LENGTH,
        strip=False,
        error_messages={"required": _("Enter the passcode the patient gave you.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
