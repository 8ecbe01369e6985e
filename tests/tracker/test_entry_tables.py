"""The night and dose lists' rows, built in Python (tracker/entry_tables.py), are the markup
the template loops wrote: same text, same escaping, same links, in the user's time zone."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from tracker import entry_tables, selectors, services
from tracker.models import Quality
from tracker.names import day_names, escaped_labels

pytestmark = pytest.mark.django_db

# The loops the list templates had before the rows moved to Python: the reference.
NIGHT_LOOP = """{% load i18n %}{% for night in nights %}
    <tr>
      <th scope="row">{{ night.evening|date:"D j M Y" }}</th>
      <td data-label="{% translate "Legs (0–10)" %}">{{ night.severity }}</td>
      <td data-label="{% translate "Sleep" %}">{{ night.get_sleep_quality_display }}</td>
      <td data-label="{% translate "Efficiency" %}">{% if night.sleep_efficiency is not None %}{{ night.sleep_efficiency|floatformat:0 }}%{% else %}—{% endif %}</td>
      <td class="entry-actions">
        <a href="{% url 'tracker:night_edit' night.pk %}">{% translate "Edit" %}<span class="visually-hidden"> {{ night.evening|date:"j M Y" }}</span></a>
        <span aria-hidden="true">·</span> <a href="{% url 'tracker:night_delete' night.pk %}">{% translate "Delete" %}<span class="visually-hidden"> {{ night.evening|date:"j M Y" }}</span></a>
      </td>
    </tr>
  {% endfor %}"""  # noqa: E501

DOSE_LOOP = """{% load i18n amounts %}{% for dose in doses %}
    <tr>
      <th scope="row">{{ dose.taken_at|date:"D j M Y, H:i" }}</th>
      <td data-label="{% translate "Form" %}">{{ dose.get_form_display }}</td>
      <td data-label="{% translate "Elemental mg" %}">{{ dose.elemental_mg|mg }}{% if dose.compound_mg %} <span class="small text-body-secondary">({% blocktranslate with mg=dose.compound_mg|mg %}{{ mg }} mg compound{% endblocktranslate %})</span>{% endif %}</td>
      <td class="entry-table__note" data-label="{% translate "Note" %}">{{ dose.note }}</td>
      <td class="entry-actions">
        <a href="{% url 'tracker:dose_edit' dose.pk %}">{% translate "Edit" %}<span class="visually-hidden"> {{ dose.taken_at|date:"j M Y H:i" }}</span></a>
        <span aria-hidden="true">·</span> <a href="{% url 'tracker:dose_delete' dose.pk %}">{% translate "Delete" %}<span class="visually-hidden"> {{ dose.taken_at|date:"j M Y H:i" }}</span></a>
      </td>
    </tr>
  {% endfor %}"""  # noqa: E501


def _same(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def test_night_rows_are_what_the_template_wrote(user):
    for i in range(1, 15):
        evening = datetime.date(2026, 3, 20) + datetime.timedelta(days=i)
        times = {"in_bed": datetime.time(22, 10 + i), "out_of_bed": datetime.time(7, 5)}
        if i % 4:  # some nights with a diary (an efficiency), some without
            times |= {"tried_sleep": datetime.time(22, 40), "final_wake": datetime.time(6, i)}
        services.night_log(
            user=user, evening=evening, severity=i % 11, sleep_quality=1 + i % 5, times=times
        )
    nights = list(selectors.night_list(user=user))
    assert any(n.sleep_efficiency is None for n in nights)
    assert any(n.sleep_efficiency is not None for n in nights)
    expected = Template(NIGHT_LOOP).render(Context({"nights": nights}))
    assert _same(entry_tables.night_rows(nights)) == _same(expected)


@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland"])
def test_dose_rows_are_what_the_template_wrote_in_the_users_zone(user, zone):
    user.time_zone = zone
    user.save()
    base = datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC)  # across London's DST
    for i, (form, unit, amount) in enumerate(
        [("glycinate", "elemental", 200), ("citrate", "compound", Decimal("500.25"))] * 3
    ):
        services.dose_record(
            user=user,
            taken_at=base + datetime.timedelta(hours=7 * i),
            form=form,
            amount_mg=amount,
            unit=unit,
            note='<script>alert("x")</script> & =SUM(A1)' if i == 1 else "",
        )
    doses = list(selectors.dose_list(user=user))
    with timezone.override(user.zone):
        expected = Template(DOSE_LOOP).render(Context({"doses": doses}))
        rows = entry_tables.dose_rows(doses)
    assert _same(rows) == _same(expected)
    assert "<script>" not in rows and "&lt;script&gt;" in rows


def test_the_list_pages_show_the_rows(user_client, user):
    services.night_log(user=user, evening=datetime.date(2026, 3, 1), severity=4, sleep_quality=3)
    night = selectors.night_list(user=user).get()
    page = user_client.get(reverse("tracker:night_list")).content.decode()
    assert reverse("tracker:night_edit", kwargs={"pk": night.pk}) in page
    assert "Sun 1 Mar 2026" in page


def test_day_and_choice_names_are_plain_text_of_the_active_language():
    # Lazy names would be translated again each time a row is formatted.
    english = day_names()
    names = [*english.weekdays.values(), *english.months.values()]
    assert not any(isinstance(name, Promise) for name in names)
    assert not any(isinstance(label, Promise) for label in escaped_labels(Quality.choices).values())
    assert english.day_month(datetime.date(2026, 12, 2)) == "Wed 2 Dec"
    with translation.override("de"):  # Django's own catalogue: each language its own names
        assert day_names().day_month(datetime.date(2026, 12, 2)) == "Mi 2 Dez"
    assert day_names() is english
