"""The one way an amount of milligrams is written: pages, messages, CSV and the report.

At most one decimal, no trailing ".0", never exponent notation: 100 → "100", 28.25 → "28.3",
0.5 → "0.5", 1000 → "1000". A Decimal's own str() (or normalize()) can give "1E+2", and
`floatformat` can differ from Python's rounding at .x5, so everything goes through mg_text
(templates through the `mg` filter in tracker/templatetags/amounts.py). The dose form's live
preview (static/js/tracker.js) rounds the same way, in the browser.
"""

from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")


def mg_text(value) -> str:
    """An amount (Decimal, int, float or numeric string) in mg, written by the rule above."""
    amount = Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)
    if amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    return f"{amount:f}"
