"""Nothing depends on the hour it runs: demo data, the dashboard and the night and dose forms
at instants across the day (tests/any_hour.py). No path may fail, nothing stored may lie in
the future, and a form's defaults, sent as they are, are accepted.
"""

import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from tests.any_hour import dst_instants, instants
from tests.factories import UserFactory
from tracker import safety
from tracker.demo import demo_data_ensure
from tracker.evening import evening_of, last_night
from tracker.models import Dose, NightLog
from tracker.services.nights import NIGHT_TIME_FIELDS

pytestmark = pytest.mark.django_db


def _assert_nothing_in_the_future(user, now):
    for name in NIGHT_TIME_FIELDS:
        assert not NightLog.objects.filter(user=user, **{f"{name}_at__gt": now}).exists(), name
    assert not Dose.objects.filter(user=user, taken_at__gt=now).exists()


@pytest.mark.parametrize(("zone", "now"), instants() + dst_instants())
def test_demo_data_and_the_dashboard_at_any_hour(client, zone, now):
    user = UserFactory(time_zone=zone)
    with time_machine.travel(now, tick=False):
        assert demo_data_ensure(user=user) == 60
        assert demo_data_ensure(user=user) == 0
        _assert_nothing_in_the_future(user, now)
        newest = NightLog.objects.filter(user=user).latest("evening")
        assert newest.evening == last_night(now, user.zone, user.wake_time)
        # One 200 mg dose an evening at slightly different times: never "above the upper level".
        for dose in Dose.objects.filter(user=user):
            assert not safety.over_upper_limit(
                safety.supplement_mg_around(user=user, at=dose.taken_at)
            ), dose.taken_at
        client.force_login(user)
        dashboard = client.get(reverse("tracker:dashboard"))
        assert dashboard.status_code == 200
        assert "upper level" not in dashboard.text
        night_page = client.get(reverse("tracker:night_new"), follow=True)
        assert night_page.status_code == 200
        assert night_page.context["night"] == newest  # last night is logged: its edit page
        assert client.get(reverse("tracker:dose_new")).status_code == 200


@pytest.mark.parametrize(("zone", "now"), instants(("Europe/London",)))
def test_create_demo_user_at_any_hour(zone, now):
    """What `make run` runs (with check=True): the demo user lives in London."""
    with time_machine.travel(now, tick=False):
        call_command("create_demo_user", stdout=io.StringIO())
        _assert_nothing_in_the_future(User.objects.get(email="demo@example.com"), now)


@pytest.mark.parametrize(("zone", "now"), instants())
def test_the_night_and_dose_defaults_are_accepted_at_any_hour(client, zone, now):
    user = UserFactory(time_zone=zone)
    client.force_login(user)
    with time_machine.travel(now, tick=False):
        dashboard = client.get(reverse("tracker:dashboard"))
        quick = dashboard.context["quick_night_form"]
        assert quick["evening"].value() == last_night(now, user.zone, user.wake_time)
        night_form = client.get(reverse("tracker:night_new")).context["form"]
        evening = night_form["evening"].value()
        assert (
            evening
            == last_night(now, user.zone, user.wake_time)
            <= evening_of(now, user.zone, user.wake_time)
        )
        response = client.post(
            reverse("tracker:night_new"),
            {"evening": evening.isoformat(), "severity": "3", "sleep_quality": "4"},
        )
        assert response.status_code == 302, response.context["form"].errors

        dose_form = client.get(reverse("tracker:dose_new")).context["form"]
        taken_at = dose_form["taken_at"].value()
        assert taken_at == now.astimezone(user.zone).replace(tzinfo=None)  # shown as wall time
        response = client.post(
            reverse("tracker:dose_new"),
            {
                "taken_at": f"{taken_at:%Y-%m-%dT%H:%M}",
                "form": dose_form["form"].value(),
                "amount_mg": "200",
                "unit": dose_form["unit"].value(),
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        dose = Dose.objects.get(user=user)
        assert dose.evening == evening_of(now, user.zone, user.wake_time)
        _assert_nothing_in_the_future(user, now)
