"""Form fields shared by every form that asks for a local date and time."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.evening import local_to_instant

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
