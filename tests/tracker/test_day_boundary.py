"""The day's boundary from the user's own schedule, through the pages, at fixed instants.

Written against the reported behaviour (issue #12, item 6): at 10:33 the top card said
"Tonight", a dose was filed under last night, and an evening dose plus a next-morning dose
read as "this evening" above the upper level. Every morning case, the morning dose and every
case the window flags failed on that code; the evening cases and the once-a-day doses guard
what already worked.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from tests.any_hour import DAYS, DST_DAYS, ZONES
from tests.factories import UserFactory
from tracker import safety, services
from tracker.models import Dose

pytestmark = pytest.mark.django_db
T = datetime.time
LONDON = zoneinfo.ZoneInfo("Europe/London")
DAY = datetime.timedelta(days=1)

# (wake time, bedtime, local clock, the card on top)
CARD_ON_TOP = [
    (T(7, 0), T(22, 30), T(0, 30), "tonight"),
    (T(7, 0), T(22, 30), T(4, 0), "tonight"),
    (T(7, 0), T(22, 30), T(6, 59), "morning"),
    (T(7, 0), T(22, 30), T(10, 33), "morning"),
    (T(7, 0), T(22, 30), T(11, 27), "morning"),
    (T(7, 0), T(22, 30), T(11, 59), "morning"),
    (T(7, 0), T(22, 30), T(12, 1), "morning"),
    (T(7, 0), T(22, 30), T(16, 0), "tonight"),
    (T(7, 0), T(22, 30), T(23, 59), "tonight"),
    (T(10, 0), T(2, 0), T(1, 30), "tonight"),  # late hours: not yet in bed
    (T(10, 0), T(2, 0), T(8, 0), "tonight"),  # asleep
    (T(10, 0), T(2, 0), T(10, 33), "morning"),
    (T(10, 0), T(2, 0), T(19, 0), "tonight"),
    (T(5, 0), T(21, 0), T(4, 30), "morning"),  # early hours
    (T(5, 0), T(21, 0), T(12, 1), "morning"),
    (T(5, 0), T(21, 0), T(14, 0), "tonight"),
]
DATES = (DAYS[0], DST_DAYS["Europe/London"][0], DST_DAYS["America/New_York"][1])


def _cards(html: str) -> list[str]:
    return re.findall(r'<section class="quick-card" aria-labelledby="(\w+)-heading">', html)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(("wake", "bedtime", "clock", "top"), CARD_ON_TOP)
def test_the_dashboard_leads_with_the_card_for_the_time_of_day(
    client, zone, wake, bedtime, clock, top
):
    user = UserFactory(time_zone=zone, wake_time=wake, bedtime=bedtime)
    client.force_login(user)
    for date in DATES:
        now = datetime.datetime.combine(date, clock, tzinfo=zoneinfo.ZoneInfo(zone))
        with time_machine.travel(now, tick=False):
            html = client.get(reverse("tracker:dashboard")).text
        assert _cards(html)[0] == top, date
        assert sorted(_cards(html)) == ["morning", "tonight"]  # both, once each


@pytest.mark.parametrize("clock", [T(10, 33), T(11, 27)])
def test_a_morning_dose_is_todays_and_last_night_stays_as_it_was(client, clock):
    user = UserFactory(time_zone="Europe/London")
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    evening = datetime.date(2026, 6, 14)
    services.dose_record(
        user=user,
        taken_at=datetime.datetime(2026, 6, 14, 21, 33, tzinfo=LONDON),
        form="glycinate",
        amount_mg=150,
        unit="elemental",
    )
    client.force_login(user)
    now = datetime.datetime.combine(evening + DAY, clock, tzinfo=LONDON)
    with time_machine.travel(now, tick=False):
        client.post(reverse("tracker:dose_quick"))
        html = client.get(reverse("tracker:dashboard")).text
        night_form = client.get(reverse("tracker:night_new")).context["form"]
    morning = Dose.objects.get(user=user, taken_at=now)
    assert morning.evening == evening + DAY  # today's evening, not last night's
    assert Dose.objects.get(user=user, evening=evening).elemental_mg == 150  # untouched
    assert night_form["evening"].value() == evening  # "last night" is the night that ended
    tonight_card = html[html.index('id="tonight-heading"') :]
    assert f"Logged at {clock:%H:%M} (200 mg elemental)" in tonight_card
    # 350 mg within 13 hours is at the upper level, not above it: no note anywhere.
    assert "upper level" not in html


def test_an_evening_and_the_next_mornings_doses_are_counted_together_plainly(client):
    """Within hours of each other, whatever their dates: said as such, not "this evening"."""
    user = UserFactory(time_zone="Europe/London")
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    services.dose_record(
        user=user,
        taken_at=datetime.datetime(2026, 6, 14, 21, 33, tzinfo=LONDON),
        form="glycinate",
        amount_mg=200,
        unit="elemental",
    )
    client.force_login(user)
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 33, tzinfo=LONDON), tick=False):
        after = client.post(reverse("tracker:dose_quick"), follow=True).text
    assert "within 20 hours adds up to 400 mg elemental, above the 350 mg" in after
    assert "this evening" not in after and "Tonight&#x27;s total" not in after


@pytest.mark.parametrize(
    ("first", "second", "noted"),
    [
        # Across noon, 13 hours apart: two "evenings" before, one upper-level window now.
        ((14, 23, 30), (15, 12, 30), True),
        # One dose a day, taken 50 minutes earlier than the day before: not two in a day.
        ((14, 22, 5), (15, 21, 15), False),
        ((14, 21, 0), (15, 16, 59), True),  # 19 h 59 min apart
        ((14, 21, 0), (15, 17, 0), False),  # 20 h apart
    ],
)
def test_the_upper_level_looks_at_hours_not_evenings(user, first, second, noted):
    user.time_zone = "Europe/London"
    user.save()
    for day, hour, minute in (first, second):
        dose = services.dose_record(
            user=user,
            taken_at=datetime.datetime(2026, 6, day, hour, minute, tzinfo=LONDON),
            form="glycinate",
            amount_mg=200,
            unit="elemental",
            now=datetime.datetime(2026, 6, 16, tzinfo=LONDON),
        )
    texts = [note.text for note in safety.dose_safety_notes(user=user, dose=dose)]
    assert any("upper level" in text for text in texts) is noted


def test_a_dose_logged_late_for_an_earlier_time_counts_the_doses_after_it(
    user, django_assert_num_queries
):
    user.time_zone = "Europe/London"
    user.save()
    now = datetime.datetime(2026, 6, 15, 22, 0, tzinfo=LONDON)

    def dose(hour, mg):
        return services.dose_record(
            user=user,
            taken_at=datetime.datetime(2026, 6, 15, hour, 0, tzinfo=LONDON),
            form="glycinate",
            amount_mg=mg,
            unit="elemental",
            now=now,
        )

    dose(21, 200)
    backfilled = dose(9, 100)  # entered at 22:00 for this morning
    assert safety.supplement_mg_around(user=user, at=backfilled.taken_at) == 300
    late = dose(8, 100)
    with django_assert_num_queries(1):
        assert safety.supplement_mg_around(user=user, at=late.taken_at) == 400
    texts = [note.text for note in safety.dose_safety_notes(user=user, dose=late)]
    assert any("adds up to 400 mg elemental" in text for text in texts)
