"""The IANA time zones a user may choose (validated, not free text)."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def time_zone_names() -> tuple[str, ...]:
    # "localtime" and "Factory" are not places a person lives.
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime", "Factory"}))


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _("Choose a time zone from the list, for example Europe/London."), code="time_zone"
        )
