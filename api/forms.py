"""Forms: the token page's, and the API's inputs checked by the tracker's own forms.

The API validates a JSON body with the same form the web page uses (`NightForm`,
`DoseForm`), so a rule and its message exist once; `form_data` only turns JSON values into
what a form reads.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from api.models import Scope
from api.services import EXPIRY_DAYS
from tracker.forms import DateRangeForm, DoseForm
from tracker.pages import PERIODS

NOT_A_SINGLE_VALUE = _("Enter a single value, not a list or an object.")
PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What will use it, e.g. “Phone app” or “Home automation”."),
        error_messages={"required": _("Give the token a name, such as “Phone app”.")},
    )
    scope = forms.ChoiceField(
        label=_("Access"), choices=Scope.choices, initial=Scope.READ, widget=forms.RadioSelect
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("1 year"))],
        initial=90,
        error_messages={"required": _("Choose when the token expires.")},
    )

    def clean_days(self):
        days = self.cleaned_data["days"]
        if days not in EXPIRY_DAYS:  # the choices and the service's rule are the same list
            raise ValidationError(_("Choose when the token expires."))
        return days


def _as_submitted(value) -> str:
    """A JSON scalar as a browser would submit it: text (forms parse text, nothing else)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def form_data(payload: dict, *, lists=()) -> tuple[dict, dict[str, list[str]]]:
    """JSON values as a form's data: absent and null are empty; only `lists` take lists."""
    data, errors = {}, {}
    for name, value in payload.items():
        if value is None:
            continue
        if isinstance(value, list) and name in lists:
            if any(isinstance(item, list | dict) for item in value):
                errors[name] = [str(NOT_A_SINGLE_VALUE)]
            else:
                data[name] = [_as_submitted(item) for item in value if item is not None]
        elif isinstance(value, list | dict):
            errors[name] = [str(NOT_A_SINGLE_VALUE)]
        else:
            data[name] = _as_submitted(value)
    return data, errors


class InstantField(forms.DateTimeField):
    """The API's `taken_at`: ISO 8601 with an offset (an instant), or a local wall-clock time
    in the user's zone read exactly as the web form reads it (`LocalDateTimeField`)."""

    def __init__(self, local_field: forms.DateTimeField) -> None:
        self.local_field = local_field
        super().__init__(label=local_field.label, error_messages=local_field.error_messages)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                instant = datetime.datetime.fromisoformat(value.strip())
            except ValueError:
                instant = None
            if instant is not None and instant.tzinfo is not None:
                return instant
        return self.local_field.to_python(value)


class ApiDoseForm(DoseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taken_at"] = InstantField(self.fields["taken_at"])


def _count(label, *, low, high, default):
    message = _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        error_messages={"min_value": message, "max_value": message, "invalid": message},
        initial=default,
    )


class PageForm(DateRangeForm):
    """A list's query: the web list's `from`/`to` filter, plus limit and offset."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["limit"] = _count(_("Limit"), low=1, high=PAGE_SIZE_MAX, default=20)
        self.fields["offset"] = _count(_("Offset"), low=0, high=10**9, default=0)

    def clean(self):
        data = super().clean()
        if data.get("limit") is None:
            data["limit"] = PAGE_SIZE_DEFAULT
        if data.get("offset") is None:
            data["offset"] = 0
        return data


class DashboardForm(forms.Form):
    """The dashboard's periods, as on the web page (which falls back to 30 instead)."""

    days = forms.TypedChoiceField(
        coerce=int, required=False, choices=[(days, str(days)) for days in PERIODS]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        *first, last = (str(days) for days in PERIODS)
        self.fields["days"].error_messages["invalid_choice"] = _(
            "Choose %(periods)s or %(last)s days."
        ) % {"periods": ", ".join(first), "last": last}
