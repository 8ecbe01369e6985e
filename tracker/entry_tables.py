"""The rows of the night and dose lists, built in Python rather than in the template.

Twenty rows through template tags (two URLs, three dates and four translated words a row) cost
more than the rest of the page together (bench/bench_pages_cpu.py). The markup is the one the
templates wrote: weekday and month names, column labels and URL shapes are looked up once per
table; every text is escaped.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tracker.amounts import mg_text
from tracker.models import Form, Quality
from tracker.names import day_names, escaped_labels

_PK_MARK = "987654321"  # stands for an entry's id in a URL, replaced in each row


def _url(name: str):
    shape = reverse(name, kwargs={"pk": int(_PK_MARK)})
    return lambda pk: shape.replace(_PK_MARK, str(pk))


def _actions(edit_name: str, delete_name: str):
    """The Edit · Delete cell for an entry id, its words and URL shapes looked up once."""
    edit, delete = _url(edit_name), _url(delete_name)
    edit_word, delete_word = escape(_("Edit")), escape(_("Delete"))

    def cell(pk: int, when: str) -> str:
        return (
            f'<td class="entry-actions">\n'
            f'        <a href="{edit(pk)}">{edit_word}'
            f'<span class="visually-hidden"> {when}</span></a>\n'
            f'        <span aria-hidden="true">·</span> <a href="{delete(pk)}">{delete_word}'
            f'<span class="visually-hidden"> {when}</span></a>\n'
            f"      </td>"
        )

    return cell


def _mg(value) -> str:
    return "" if value is None else mg_text(value)  # as the `mg` filter


def _percent(value: float) -> str:
    # As `floatformat:0` rounds: half up, from the float's shortest representation.
    return str(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def night_rows(nights) -> SafeString:
    """The night list's rows: night of, legs, sleep, efficiency, edit and delete."""
    names = day_names()
    weekdays, months = names.weekdays, names.months
    qualities = escaped_labels(Quality.choices)
    legs, sleep, efficiency = escape(_("Legs (0–10)")), escape(_("Sleep")), escape(_("Efficiency"))
    actions = _actions("tracker:night_edit", "tracker:night_delete")
    rows = []
    for night in nights:
        evening = night.evening
        when = f"{evening.day} {months[evening.month]} {evening.year}"
        share = night.sleep_efficiency
        rows.append(
            f"    <tr>\n"
            f'      <th scope="row">{weekdays[evening.weekday()]} {when}</th>\n'
            f'      <td data-label="{legs}">{night.severity}</td>\n'
            f'      <td data-label="{sleep}">{qualities.get(night.sleep_quality, "")}</td>\n'
            f'      <td data-label="{efficiency}">'
            f"{'—' if share is None else _percent(share) + '%'}</td>\n"
            f"      {actions(night.pk, when)}\n"
            f"    </tr>\n"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text escaped above  # nosec B308 B703


def dose_rows(doses) -> SafeString:
    """The dose list's rows, times in the active (the user's) time zone as `|date` shows them."""
    names = day_names()
    weekdays, months = names.weekdays, names.months
    forms = escaped_labels(Form.choices)
    form_label, mg_label = escape(_("Form")), escape(_("Elemental mg"))
    note_label = escape(_("Note"))
    compound = _("%(mg)s mg compound")
    actions = _actions("tracker:dose_edit", "tracker:dose_delete")
    rows = []
    for dose in doses:
        at = timezone.localtime(dose.taken_at)
        day = f"{at.day} {months[at.month]} {at.year}"
        clock = f"{at.hour:02}:{at.minute:02}"
        extra = (
            f' <span class="small text-body-secondary">'
            f"({escape(compound % {'mg': mg_text(dose.compound_mg)})})</span>"
            if dose.compound_mg
            else ""
        )
        rows.append(
            f"    <tr>\n"
            f'      <th scope="row">{weekdays[at.weekday()]} {day}, {clock}</th>\n'
            f'      <td data-label="{form_label}">{forms.get(dose.form, escape(dose.form))}</td>\n'
            f'      <td data-label="{mg_label}">{_mg(dose.elemental_mg)}{extra}</td>\n'
            f'      <td class="entry-table__note" data-label="{note_label}">'
            f"{escape(dose.note)}</td>\n"
            f"      {actions(dose.pk, f'{day} {clock}')}\n"
            f"    </tr>\n"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text escaped above  # nosec B308 B703
