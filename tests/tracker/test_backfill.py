"""Back-filling a missed night: the calendar of the last weeks, ?evening=, and the rules that
keep one entry per night and never turn one night's entry into another's."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UserFactory
from tracker import services
from tracker.models import NightLog
from tracker.night_calendar import night_calendar
from tracker.services import rules
from tracker.views import entries

pytestmark = pytest.mark.django_db

# Wednesday 2 December 2026, 08:00 in London: last night is the evening of 1 December.
MORNING = datetime.datetime(2026, 12, 2, 8, 0, tzinfo=datetime.UTC)
DEC_1 = datetime.date(2026, 12, 1)
NOV_30 = datetime.date(2026, 11, 30)


@pytest.fixture
def morning():
    with time_machine.travel(MORNING, tick=False):
        yield MORNING


def _log(user, evening, severity=2):
    return services.night_log(user=user, evening=evening, severity=severity, sleep_quality=4)


def _data(evening, **extra):
    return {"evening": evening.isoformat(), "severity": "5", "sleep_quality": "2", **extra}


def _code(error: ValidationError) -> str:
    return error.error_dict["evening"][0].code


# The service's rules.


def test_night_log_refuses_a_logged_night_and_keeps_it(user, morning):
    night = _log(user, DEC_1, severity=2)
    with pytest.raises(ValidationError) as caught:
        services.night_log(user=user, evening=DEC_1, severity=8, sleep_quality=1)
    assert _code(caught.value) == rules.NIGHT_TAKEN
    assert "You already logged the night of 1 December 2026" in str(caught.value)
    night.refresh_from_db()
    assert night.severity == 2


def test_night_log_of_the_same_answers_again_returns_the_entry(user, morning):
    night = _log(user, DEC_1)
    assert _log(user, DEC_1) == night  # a double tap
    assert NightLog.objects.count() == 1


def test_night_update_keeps_the_date_unless_a_move_is_asked_for(user, morning):
    night = _log(user, DEC_1)
    with pytest.raises(ValidationError) as caught:
        services.night_update(night=night, evening=NOV_30, severity=2, sleep_quality=4)
    assert _code(caught.value) == rules.NIGHT_MOVE
    night.refresh_from_db()
    assert night.evening == DEC_1
    services.night_update(night=night, evening=NOV_30, move=True, severity=2, sleep_quality=4)
    night.refresh_from_db()
    assert night.evening == NOV_30


def test_night_update_never_moves_onto_a_logged_night(user, morning):
    night = _log(user, DEC_1, severity=2)
    other = _log(user, NOV_30, severity=6)
    with pytest.raises(ValidationError) as caught:
        services.night_update(night=night, evening=NOV_30, move=True, severity=2, sleep_quality=4)
    assert _code(caught.value) == rules.NIGHT_TAKEN
    night.refresh_from_db()
    other.refresh_from_db()
    assert (night.evening, night.severity) == (DEC_1, 2)
    assert (other.evening, other.severity) == (NOV_30, 6)


# The pages.


def test_a_missed_night_opens_for_its_date_and_is_created(user_client, user, morning):
    last = _log(user, DEC_1)
    response = user_client.get(reverse("tracker:night_new"), {"evening": "2026-11-30"})
    assert response.status_code == 200
    assert "How was the night of 30 November 2026?" in response.text
    assert 'value="2026-11-30"' in response.text
    response = user_client.post(reverse("tracker:night_new"), _data(NOV_30), follow=True)
    assert "The night of 30 November 2026 is saved." in response.text
    assert NightLog.objects.get(user=user, evening=NOV_30).severity == 5
    last.refresh_from_db()
    assert (last.evening, last.severity) == (DEC_1, 2)


def test_asking_for_a_logged_night_opens_its_entry_and_says_so(user_client, user, morning):
    night = _log(user, NOV_30)
    response = user_client.get(reverse("tracker:night_new"), {"evening": "2026-11-30"}, follow=True)
    assert response.redirect_chain == [(reverse("tracker:night_edit", args=[night.pk]), 302)]
    assert "You already logged the night of 30 November 2026, so here it is." in response.text
    assert "Edit the night of 30 November 2026" in response.text


@pytest.mark.parametrize("asked", ["2026-12-02", "2026-12-25", "yesterday", "0001-01-01", ""])
def test_a_night_not_yet_over_or_not_a_date_falls_back_to_last_night(
    user_client, user, morning, asked
):
    response = user_client.get(reverse("tracker:night_new"), {"evening": asked})
    assert response.status_code == 200
    assert "How was last night?" in response.text
    assert 'value="2026-12-01"' in response.text


def test_changing_last_nights_date_does_not_move_it_without_asking(user_client, user, morning):
    """The reported trap: "Log last night" opens 1 December; the date is changed to 30 Nov."""
    night = _log(user, DEC_1, severity=2)
    url = reverse("tracker:night_edit", args=[night.pk])
    response = user_client.post(url, _data(NOV_30, notes="kept"))
    assert response.status_code == 200
    assert "This entry is the night of 1 December 2026." in response.text
    assert 'id="id_evening_error"' in response.text
    assert "Edit the night of 1 December 2026" in response.text
    assert 'name="move"' in response.text  # the explicit way to move it
    assert f"{reverse('tracker:night_new')}?evening=2026-11-30" in response.text
    assert "kept" in response.text
    night.refresh_from_db()
    assert (night.evening, night.severity) == (DEC_1, 2)
    assert not NightLog.objects.filter(evening=NOV_30).exists()

    response = user_client.post(url, _data(NOV_30, move="on"), follow=True)
    assert "The entry is moved to the night of 30 November 2026." in response.text
    night.refresh_from_db()
    assert (night.evening, night.severity) == (NOV_30, 5)


def test_moving_onto_a_logged_night_is_refused_with_a_link_to_it(user_client, user, morning):
    night = _log(user, DEC_1, severity=2)
    other = _log(user, NOV_30, severity=6)
    response = user_client.post(
        reverse("tracker:night_edit", args=[night.pk]), _data(NOV_30, move="on")
    )
    assert "You already logged the night of 30 November 2026." in response.text
    assert reverse("tracker:night_edit", args=[other.pk]) in response.text
    assert "Open the night of 30 November 2026" in response.text
    assert NightLog.objects.get(pk=night.pk).evening == DEC_1
    assert NightLog.objects.get(pk=other.pk).severity == 6


def test_another_users_night_is_still_404(user_client, morning):
    stranger = UserFactory()
    theirs = _log(stranger, NOV_30)
    assert user_client.get(reverse("tracker:night_edit", args=[theirs.pk])).status_code == 404
    post = user_client.post(reverse("tracker:night_edit", args=[theirs.pk]), _data(NOV_30))
    assert post.status_code == 404


# The calendar.


def _days(calendar):
    return {day["evening"]: day for row in calendar["rows"] for day in row}


def test_calendar_links_each_past_night_to_its_entry_or_a_new_one(user, morning):
    mine = _log(user, NOV_30)
    _log(UserFactory(), datetime.date(2026, 11, 29))  # someone else's night
    days = _days(night_calendar(user=user, now=MORNING, current=NOV_30))
    assert len(days) == 35
    assert max(days) >= datetime.date(2026, 12, 2)  # the last row holds today
    assert days[NOV_30]["url"] == reverse("tracker:night_edit", args=[mine.pk])
    assert days[NOV_30]["label"] == "30 November, logged"
    assert days[NOV_30]["current"]
    assert days[datetime.date(2026, 11, 29)]["url"] == "/tracker/nights/new/?evening=2026-11-29"
    assert days[datetime.date(2026, 11, 29)]["label"] == "29 November, not logged"
    assert days[DEC_1]["url"] == "/tracker/nights/new/?evening=2026-12-01"
    assert days[datetime.date(2026, 12, 2)]["url"] is None  # tonight
    assert days[datetime.date(2026, 12, 2)]["label"] == "2 December, tonight"


def test_calendar_days_are_the_users_evenings(morning):
    # 20:00 UTC on 1 December is 09:00 on 2 December in Auckland, still 1 December in London.
    now = datetime.datetime(2026, 12, 1, 20, 0, tzinfo=datetime.UTC)
    auckland = _days(night_calendar(user=UserFactory(time_zone="Pacific/Auckland"), now=now))
    london = _days(night_calendar(user=UserFactory(time_zone="Europe/London"), now=now))
    assert auckland[DEC_1]["url"] == "/tracker/nights/new/?evening=2026-12-01"
    assert london[DEC_1]["url"] is None
    assert london[NOV_30]["url"] == "/tracker/nights/new/?evening=2026-11-30"


def test_pages_show_the_calendar_with_one_tap_links(user_client, user, morning):
    night = _log(user, NOV_30)
    for url in (reverse("tracker:night_list"), reverse("tracker:night_edit", args=[night.pk])):
        text = user_client.get(url).text
        assert (
            '<a class="night-cal__day night-cal__day--missing" '
            'href="/tracker/nights/new/?evening=2026-11-29">'
        ) in text
        assert "29 November, not logged" in text
        edit = reverse("tracker:night_edit", args=[night.pk])
        assert f'<a class="night-cal__day night-cal__day--logged" href="{edit}"' in text
        assert '<span class="night-cal__day night-cal__day--later">' in text
        assert "30 November, logged" in text
        assert "2 December, tonight" in text


@pytest.mark.parametrize("logged", [0, 3, 40])
def test_night_form_pages_take_a_fixed_number_of_queries(
    user, call_view, morning, logged, django_assert_num_queries
):
    for days in range(2, 2 + logged):
        _log(user, DEC_1 - datetime.timedelta(days=days))
    # is last night logged? + the data stamps + the calendar + a dopaminergic medicine
    with django_assert_num_queries(4):
        response = call_view(entries.night_new, user)
    assert response.status_code == 200
    # Asked again: the page is kept whole (tracker/page_cache.py).
    with django_assert_num_queries(2):
        response = call_view(entries.night_new, user)
    assert response.status_code == 200
    night = _log(user, DEC_1)
    user.refresh_from_db()
    # the night (its user is the one signed in), the stamps, the calendar, a dopaminergic
    # medicine; then the night and the stamps
    with django_assert_num_queries(4):
        response = call_view(entries.night_edit, user, pk=night.pk)
    assert response.status_code == 200
    with django_assert_num_queries(2):
        response = call_view(entries.night_edit, user, pk=night.pk)
    assert response.status_code == 200
