"""Night and dose pages through HTTP: create, update, delete, validation, lists and filters."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tracker import services
from tracker.models import Dose, NightLog, SavedProduct
from tracker.views import entries

pytestmark = pytest.mark.django_db


def _night_data(evening, **extra):
    data = {"evening": evening.isoformat(), "severity": "3", "sleep_quality": "4"}
    data.update(extra)
    return data


def _yesterday(user):
    return timezone.localdate(timezone=user.zone) - datetime.timedelta(days=1)


def test_logging_a_night_and_its_message(user_client, user):
    evening = _yesterday(user)
    response = user_client.post(
        reverse("tracker:night_new"),
        _night_data(
            evening,
            in_bed="23:00",
            tried_sleep="23:10",
            sleep_latency_min="20",
            final_wake="06:40",
            out_of_bed="07:00",
            factors=["caffeine", "stress"],
            tags="late dinner, hot room, late dinner",
            notes="restless",
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("tracker:night_list")
    assert "is saved" in response.text
    night = NightLog.objects.get(user=user)
    assert night.factors == ["caffeine", "stress"]
    assert night.tags == "late dinner, hot room"
    assert night.time_in_bed == datetime.timedelta(hours=8)
    assert night.total_sleep == datetime.timedelta(hours=7, minutes=10)


def test_logging_a_logged_night_again_is_refused_and_links_to_it(user_client, user):
    evening = _yesterday(user)
    user_client.post(reverse("tracker:night_new"), _night_data(evening))
    night = NightLog.objects.get(user=user)
    response = user_client.post(reverse("tracker:night_new"), _night_data(evening, severity="7"))
    assert response.status_code == 200
    assert "You already logged the night of" in response.text
    assert 'id="id_evening_error"' in response.text
    assert reverse("tracker:night_edit", kwargs={"pk": night.pk}) in response.text
    night.refresh_from_db()
    assert night.severity == 3  # not overwritten
    assert NightLog.objects.filter(user=user).count() == 1


def test_a_double_tap_saves_the_night_once(user_client, user):
    data = {**_night_data(_yesterday(user)), "quick": "1"}
    first = user_client.post(reverse("tracker:night_new"), data)
    second = user_client.post(reverse("tracker:night_new"), data)
    assert first["Location"] == second["Location"] == reverse("tracker:dashboard")
    assert NightLog.objects.filter(user=user).count() == 1


def test_quick_night_from_the_dashboard_returns_there(user_client, user):
    response = user_client.post(
        reverse("tracker:night_new"), {**_night_data(_yesterday(user)), "quick": "1"}
    )
    assert response["Location"] == reverse("tracker:dashboard")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"severity": "11"}, "severity", "Choose a number from 0 (none) to 10"),
        ({"severity": ""}, "severity", "Choose a number from 0 (none) to 10"),
        ({"sleep_quality": "0"}, "sleep_quality", "Choose how you slept, from very poor"),
        ({"sleep_latency_min": "500"}, "sleep_latency_min", "between 0 and 240"),
        ({"in_bed": "25:00"}, "in_bed", "Enter a time such as 22:30."),
        ({"in_bed": "23:00", "out_of_bed": "22:00"}, "out_of_bed", "before the time you"),
    ],
)
def test_bad_night_input_is_explained_and_kept(user_client, user, data, field, message):
    posted = _night_data(_yesterday(user), notes="keep me", **data)
    response = user_client.post(reverse("tracker:night_new"), posted)
    assert response.status_code == 200
    assert message in response.text
    assert f'id="id_{field}_error"' in response.text
    assert "keep me" in response.text
    assert NightLog.objects.count() == 0


def test_future_nights_are_rejected(user_client, user):
    tomorrow = timezone.localdate(timezone=user.zone) + datetime.timedelta(days=1)
    response = user_client.post(reverse("tracker:night_new"), _night_data(tomorrow))
    assert response.status_code == 200
    assert "has not happened yet" in response.text
    assert NightLog.objects.count() == 0


def test_new_night_form_opens_last_nights_entry_when_it_exists(user_client, user):
    with time_machine.travel(datetime.datetime(2026, 6, 2, 8, 0, tzinfo=datetime.UTC)):
        night = services.night_log(
            user=user, evening=datetime.date(2026, 6, 1), severity=2, sleep_quality=4
        )
        response = user_client.get(reverse("tracker:night_new"), follow=True)
    assert response.redirect_chain == [
        (reverse("tracker:night_edit", kwargs={"pk": night.pk}), 302)
    ]
    assert "You already logged the night of 1 June 2026, so here it is." in response.text


def test_editing_a_night_onto_another_logged_night_is_refused(user_client, user):
    a = services.night_log(user=user, evening=_yesterday(user), severity=2, sleep_quality=4)
    earlier = _yesterday(user) - datetime.timedelta(days=1)
    services.night_log(user=user, evening=earlier, severity=5, sleep_quality=2)
    response = user_client.post(
        reverse("tracker:night_edit", kwargs={"pk": a.pk}), _night_data(earlier)
    )
    assert "You already logged the night of" in response.text
    assert NightLog.objects.get(pk=a.pk).evening == _yesterday(user)


def test_edit_and_delete_a_night(user_client, night):
    url = reverse("tracker:night_edit", kwargs={"pk": night.pk})
    assert 'value="22:30"' in user_client.get(url).text  # times shown in the user's zone
    response = user_client.post(url, _night_data(night.evening, severity="9"), follow=True)
    assert "is updated" in response.text
    night.refresh_from_db()
    assert night.severity == 9
    delete = reverse("tracker:night_delete", kwargs={"pk": night.pk})
    assert "cannot be undone" in user_client.get(delete).text
    response = user_client.post(delete, follow=True)
    assert "is deleted" in response.text
    assert not NightLog.objects.filter(pk=night.pk).exists()


def _dose_data(**extra):
    local = timezone.localtime(timezone.now(), timezone=datetime.UTC)
    data = {
        "taken_at": local.strftime("%Y-%m-%dT%H:%M"),
        "form": "glycinate",
        "amount_mg": "1000",
        "unit": "compound",
        "note": "",
    }
    data.update(extra)
    return data


def test_logging_a_dose_converts_and_confirms(user_client, user):
    user.time_zone = "UTC"
    user.save()
    response = user_client.post(reverse("tracker:dose_new"), _dose_data(), follow=True)
    assert "141 mg elemental" in response.text
    dose = Dose.objects.get(user=user)
    assert dose.elemental_mg == Decimal("141.0")
    assert dose.compound_mg == Decimal("1000.0")


def test_a_dose_form_can_remember_the_product(user_client, user):
    user_client.post(reverse("tracker:dose_new"), _dose_data(remember="on"))
    product = SavedProduct.objects.get(user=user)
    assert (product.form, product.amount_mg, product.unit) == ("glycinate", 1000, "compound")
    form = user_client.get(reverse("tracker:dose_new")).text
    assert 'value="1000.0"' in form or 'value="1000"' in form


def test_dose_typo_is_rejected_with_a_reason(user_client, user):
    response = user_client.post(
        reverse("tracker:dose_new"), _dose_data(amount_mg="2000", unit="elemental", note="x")
    )
    assert response.status_code == 200
    assert "probably a typo" in response.text
    assert 'id="id_amount_mg_error"' in response.text
    assert Dose.objects.count() == 0


def test_dose_in_the_future_is_rejected(user_client, user):
    user.time_zone = "UTC"
    user.save()
    later = timezone.now() + datetime.timedelta(hours=3)
    response = user_client.post(
        reverse("tracker:dose_new"), _dose_data(taken_at=later.strftime("%Y-%m-%dT%H:%M"))
    )
    assert "more than an hour from now" in response.text
    assert Dose.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # 02:30 does not exist (the clocks jump 02:00 → 03:00 EDT): the minute they jump.
        ("2026-03-08T02:30", datetime.datetime(2026, 3, 8, 7, 0, tzinfo=datetime.UTC)),
        # 01:30 happens twice (EDT, then EST): the first one, 01:30 EDT.
        ("2026-11-01T01:30", datetime.datetime(2026, 11, 1, 5, 30, tzinfo=datetime.UTC)),
    ],
)
def test_dose_times_on_dst_nights_are_accepted_by_the_one_rule(user_client, user, typed, stored):
    user.time_zone = "America/New_York"
    user.save()
    response = user_client.post(reverse("tracker:dose_new"), _dose_data(taken_at=typed))
    assert response.status_code == 302
    assert Dose.objects.get(user=user).taken_at == stored


@pytest.mark.parametrize(
    ("evening", "in_bed", "stored"),
    [
        (
            datetime.date(2026, 3, 7),
            "02:30",
            datetime.datetime(2026, 3, 8, 7, 0, tzinfo=datetime.UTC),
        ),
        (
            datetime.date(2026, 10, 31),
            "01:30",
            datetime.datetime(2026, 11, 1, 5, 30, tzinfo=datetime.UTC),
        ),
    ],
)
def test_night_times_on_dst_nights_follow_the_same_rule(user_client, user, evening, in_bed, stored):
    user.time_zone = "America/New_York"
    user.save()
    response = user_client.post(
        reverse("tracker:night_new"), _night_data(evening, in_bed=in_bed, out_of_bed="07:00")
    )
    assert response.status_code == 302
    assert NightLog.objects.get(user=user).in_bed_at == stored


def test_edit_and_delete_a_dose(user_client, dose):
    url = reverse("tracker:dose_edit", kwargs={"pk": dose.pk})
    data = _dose_data(amount_mg="150", unit="elemental")
    data["taken_at"] = timezone.localtime(dose.taken_at, dose.user.zone).strftime("%Y-%m-%dT%H:%M")
    response = user_client.post(url, data, follow=True)
    assert "Dose updated" in response.text
    dose.refresh_from_db()
    assert dose.elemental_mg == Decimal("150.0")
    response = user_client.post(reverse("tracker:dose_delete", kwargs={"pk": dose.pk}), follow=True)
    assert "is deleted" in response.text
    assert not Dose.objects.exists()


def test_one_tap_needs_a_saved_product(user_client, user):
    response = user_client.post(reverse("tracker:dose_quick"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("tracker:product")
    assert "Save your product first" in response.text
    user_client.post(
        reverse("tracker:product"), {"form": "glycinate", "amount_mg": "200", "unit": "elemental"}
    )
    response = user_client.post(reverse("tracker:dose_quick"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("tracker:dashboard")
    assert "200 mg elemental" in response.text
    assert "Logged at" in response.text
    assert Dose.objects.filter(user=user).count() == 1


def test_safety_notes_after_a_dose(user_client, user):
    user.time_zone = "UTC"
    user.save()
    now = timezone.now()
    services.medicine_add(
        user=user, kind="gabapentin", usual_time=(now + datetime.timedelta(minutes=60)).time()
    )
    services.medicine_add(user=user, kind="levothyroxine")
    response = user_client.post(
        reverse("tracker:dose_new"), _dose_data(amount_mg="400", unit="elemental"), follow=True
    )
    text = response.text
    assert "above the 350 mg a day upper level" in text
    assert "within 2 hours of your usual gabapentin time" in text
    assert "levothyroxine at least 4 hours apart" in text  # no usual time: the gap itself
    assert "NIH" in text and "Synthroid" in text  # each note names its source
    assert 'href="/articles/magnesium-glycinate-and-restless-legs/"' in text


def _fill(user, days):
    today = timezone.localdate(timezone=user.zone)
    for i in range(1, days + 1):
        evening = today - datetime.timedelta(days=i)
        services.night_log(user=user, evening=evening, severity=i % 10, sleep_quality=3)
        services.dose_record(
            user=user,
            taken_at=timezone.now() - datetime.timedelta(days=i),
            form="glycinate",
            amount_mg=100,
            unit="elemental",
        )


# The data stamp (the cache's key), count + page; the nights list also shows the last weeks'
# calendar (one query). Both calls are misses: a new query string, new data.
@pytest.mark.parametrize(("view", "queries"), [(entries.night_list, 4), (entries.dose_list, 3)])
def test_list_pages_take_a_fixed_number_of_queries_whatever_the_data(
    user, call_view, view, queries, django_assert_num_queries
):
    _fill(user, 3)
    with django_assert_num_queries(queries):
        call_view(view, user)
    NightLog.objects.all().delete()
    Dose.objects.all().delete()
    _fill(user, 45)
    with django_assert_num_queries(queries):
        response = call_view(view, user, data={"page": "2", "from": "2000-01-01"})
    assert "Page 2 of 3" in response.content.decode()


def test_lists_filter_by_date_range(user_client, user):
    today = timezone.localdate(timezone=user.zone)
    for i in range(1, 11):
        services.night_log(
            user=user, evening=today - datetime.timedelta(days=i), severity=1, sleep_quality=3
        )
    start, end = today - datetime.timedelta(days=5), today - datetime.timedelta(days=3)
    response = user_client.get(
        reverse("tracker:night_list"), {"from": start.isoformat(), "to": end.isoformat()}
    )
    assert response.context["page"].paginator.count == 3
    bad = user_client.get(reverse("tracker:night_list"), {"from": "2026-13-01", "to": ""})
    assert bad.status_code == 200
    assert "Enter a date such as" in bad.text
    backwards = user_client.get(
        reverse("tracker:night_list"), {"from": end.isoformat(), "to": start.isoformat()}
    )
    assert "end date is before the start date" in backwards.text
    assert user_client.get(reverse("tracker:night_list"), {"page": "zzz"}).status_code == 200


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "tracker:night_new",
            {"evening": "0001-01-01", "severity": "3", "sleep_quality": "3", "in_bed": "23:00"},
        ),
        (
            "tracker:dose_new",
            {
                "taken_at": "0001-01-01T21:00",
                "form": "glycinate",
                "amount_mg": "100",
                "unit": "elemental",
            },
        ),
        ("tracker:labs", {"taken_on": "0001-01-01", "ferritin_ng_ml": "40"}),
        (
            "tracker:trial",
            {
                "baseline_start": "0001-01-01",
                "baseline_end": "0001-01-02",
                "magnesium_start": "0001-01-03",
            },
        ),
    ],
)
def test_year_one_is_a_clear_error_not_a_crash(user_client, user, name, data):
    user.time_zone = "America/New_York"
    user.save()
    response = user_client.post(reverse(name), data)
    assert response.status_code == 200
    assert "Enter a date from 1950 on." in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"from": "9999-12-31"},
        {"to": "0001-01-01"},
        {"days": "99999999999999999999"},
        {"page": "-1"},
        {"type": "<script>"},
    ],
)
def test_odd_query_strings_never_crash(user_client, night, dose, query):
    for name in (
        "tracker:dashboard",
        "tracker:night_list",
        "tracker:dose_list",
        "tracker:report",
        "tracker:export_csv",
    ):
        assert user_client.get(reverse(name), query).status_code == 200, (name, query)
