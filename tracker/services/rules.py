"""Input rules the tracker's services enforce, each with its one message.

A service is the last word (forms, email links and onboarding all write through one), so the
rule lives here; forms reuse the same bound and message to answer before a round trip, and
the user reads the same sentence whichever way they came.
"""

import datetime
from decimal import Decimal

from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from tracker import reference

# Dates before this are typos (and year-1 dates cannot be converted between time zones).
EARLIEST_DATE = datetime.date(reference.EARLIEST_YEAR, 1, 1)
EARLIEST_DATE_MESSAGE = _("Enter a date from 1950 on.")

SEVERITY_MESSAGE = _("Choose a number from 0 (none) to 10 (worst imaginable).")
QUALITY_MESSAGE = _("Choose how you slept, from very poor to very good.")

FERRITIN_MAX = 5000  # ng/mL: far above any real result, so a larger number is a typo
TSAT_MAX = 100  # percent

IRON_NAME_MESSAGE = _("Enter the product's name, for example “ferrous sulfate 325 mg”.")


def _iron_amount_message() -> str:
    return _(
        "Enter the elemental iron per dose from the label, more than 0 and at most %(top)s "
        "mg. A ferrous sulfate 325 mg tablet holds 65 mg of iron."
    ) % {"top": reference.IRON_DOSE_TYPO_LIMIT_MG.value}


# The experiment's smallest important change, in the outcome's units (points or %).
SMALLEST_CHANGE_RANGE = (Decimal("0.1"), Decimal("50"))
SMALLEST_CHANGE_MESSAGE = _("Enter a change between 0.1 and 50.")


def _range_message(top: int) -> str:
    return _("Enter a number between 0 and %(top)s.") % {"top": top}


# Lazy: a form field built at import shows it in the language of each request.
range_message = lazy(_range_message, str)
iron_amount_message = lazy(_iron_amount_message, str)

# One entry per night, and an entry never silently becomes another night. The codes let a
# view offer the right next step (open the logged night; tick "move") beside the message.
NIGHT_TAKEN = "night_taken"
NIGHT_MOVE = "night_move"
MOVE_LABEL = _("Move this entry to the new date")


def night_taken_message(evening: datetime.date) -> str:
    return _(
        "You already logged the night of %(night)s. Nothing was changed: open that entry to "
        "edit it."
    ) % {"night": night_label(evening)}


def night_move_message(*, current: datetime.date, wanted: datetime.date) -> str:
    return _(
        "This entry is the night of %(current)s. To give it the date %(wanted)s instead, tick "
        "“%(move)s” and save again; to log %(wanted)s as another night, log a new night."
    ) % {"current": night_label(current), "wanted": night_label(wanted), "move": MOVE_LABEL}


def night_label(evening: datetime.date) -> str:
    """How a night is named in messages: "30 November 2026"."""
    return formats.date_format(evening, "j F Y")
