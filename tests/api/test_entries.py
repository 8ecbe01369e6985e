"""Nights, doses and figures through the API: the web forms' rules and messages, local times,
pages, and nobody else's rows."""

import datetime
import zoneinfo

import pytest
import time_machine

from api.forms import NOT_A_SINGLE_VALUE
from tracker import services
from tracker.models import Dose, NightLog
from tracker.services import rules

NIGHTS, DOSES, DASHBOARD = "/api/v1/nights/", "/api/v1/doses/", "/api/v1/dashboard/"
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# 09:00 in New York on 25 November 2026: last night is the evening of the 24th.
NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=NEW_YORK)


@pytest.fixture(autouse=True)
def _new_york(user):
    user.time_zone = "America/New_York"
    user.save(update_fields=["time_zone"])


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(NOW, tick=False):
        yield


def _web_errors(client, path, data) -> dict:
    response = client.post(path, data)
    assert response.status_code == 200
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


# --- nights -----------------------------------------------------------------------------


def test_a_night_is_logged_with_local_times_and_shown_with_the_users_offset(api, user):
    response = api.post(
        NIGHTS,
        {
            "evening": "2026-11-24",
            "severity": 6,
            "sleep_quality": 2,
            "in_bed": "22:45",
            "tried_sleep": "23:00",
            "final_wake": "06:30",
            "out_of_bed": "07:00",
            "sleep_latency_min": 40,
            "factors": ["caffeine", "stress"],
            "tags": "late dinner, hot room",
            "notes": "restless",
        },
    )
    assert response.status_code == 201
    body = response.json()
    night = NightLog.objects.get(user=user)
    assert body["id"] == night.pk
    assert body["evening"] == "2026-11-24"
    assert body["in_bed_at"] == "2026-11-24T22:45:00-05:00"
    assert body["out_of_bed_at"] == "2026-11-25T07:00:00-05:00"
    assert body["factors"] == ["caffeine", "stress"]
    assert night.in_bed_at == datetime.datetime(2026, 11, 25, 3, 45, tzinfo=datetime.UTC)


def test_a_night_carries_the_stomach_answer_and_the_augmentation_ticks(api, user):
    response = api.post(
        NIGHTS,
        {
            "evening": "2026-11-24",
            "severity": 6,
            "sleep_quality": 2,
            "stomach": "loose",
            "symptoms_in_arms": True,
            "symptoms_earlier": False,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["stomach"], body["symptoms_in_arms"], body["symptoms_earlier"]) == (
        "loose",
        True,
        False,
    )
    night = NightLog.objects.get(user=user)
    assert (night.stomach, night.symptoms_in_arms, night.symptoms_earlier) == ("loose", True, False)
    refused = api.post(
        NIGHTS, {"evening": "2026-11-23", "severity": 1, "sleep_quality": 4, "stomach": "awful"}
    )
    assert refused.status_code == 422
    assert "stomach" in str(refused.json())


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"evening": "2026-11-24", "severity": 11, "sleep_quality": 3}, "severity"),
        ({"evening": "2026-11-24", "severity": "a lot", "sleep_quality": 3}, "severity"),
        ({"evening": "2026-11-24", "severity": 3}, "sleep_quality"),
        ({"evening": "2026-11-26", "severity": 3, "sleep_quality": 3}, "evening"),
        ({"evening": "1949-12-31", "severity": 3, "sleep_quality": 3}, "evening"),
        ({"evening": "24/11/2026", "severity": 3, "sleep_quality": 3}, "evening"),
        (
            {"evening": "2026-11-24", "severity": 3, "sleep_quality": 3, "awakenings": 99},
            "awakenings",
        ),
        (
            {
                "evening": "2026-11-24",
                "severity": 3,
                "sleep_quality": 3,
                "in_bed": "23:00",
                "out_of_bed": "22:00",
            },
            "out_of_bed",
        ),
        (
            {"evening": "2026-11-24", "severity": 3, "sleep_quality": 3, "factors": ["moon"]},
            "factors",
        ),
        ({"evening": "2026-11-24", "severity": 3, "sleep_quality": 3, "in_bed": "25:00"}, "in_bed"),
    ],
)
def test_a_refused_night_says_what_the_night_form_says(api, user_client, user, data, field):
    """One rule, one message: the API's errors are the web form's, field by field."""
    response = api.post(NIGHTS, data)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in errors
    web = {k: v for k, v in data.items() if k != "factors"}
    if "factors" in data:
        web["factors"] = data["factors"]
    assert errors == _web_errors(user_client, "/tracker/nights/new/", web)
    assert not NightLog.objects.filter(user=user).exists()


def test_a_wrong_severity_gets_the_plain_message(api):
    response = api.post(NIGHTS, {"evening": "2026-11-24", "severity": 11, "sleep_quality": 3})
    assert response.json()["errors"] == {"severity": [str(rules.SEVERITY_MESSAGE)]}


def test_a_night_already_logged_is_refused_and_the_same_answers_return_it(api, user):
    night = {"evening": "2026-11-24", "severity": 3, "sleep_quality": 4}
    first = api.post(NIGHTS, night)
    assert first.status_code == 201
    again = api.post(NIGHTS, night)  # a double tap
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    changed = api.post(NIGHTS, {**night, "severity": 5})
    assert changed.status_code == 422
    assert changed.json()["errors"] == {
        "evening": [rules.night_taken_message(datetime.date(2026, 11, 24))]
    }
    assert NightLog.objects.get(user=user).severity == 3


@pytest.mark.parametrize("value", [["a"], {"a": 1}])
def test_a_list_or_object_where_one_value_belongs_is_refused(api, value):
    response = api.post(
        NIGHTS, {"evening": "2026-11-24", "severity": 3, "sleep_quality": 3, "notes": value}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"notes": [str(NOT_A_SINGLE_VALUE)]}


@pytest.mark.parametrize(
    "night",
    [
        {"evening": 20261124.0, "severity": 3, "sleep_quality": 3},
        {"evening": 1, "severity": 3.5, "sleep_quality": True},
        {"evening": "2026-11-24", "severity": 3, "sleep_quality": 3, "factors": [1, None]},
        {"evening": "2026-11-24", "severity": 3, "sleep_quality": 3, "factors": [["stress"]]},
        {"evening": "2026-11-24", "severity": 3, "sleep_quality": 3, "factors": "stress"},
    ],
)
def test_numbers_booleans_and_odd_lists_are_read_as_a_form_would_read_them(api, night):
    """Found by the fuzz run: a number where a date belongs was a 500."""
    response = api.post(NIGHTS, night)
    assert response.status_code == 422
    assert response.json()["errors"]


@pytest.mark.parametrize("body", ["[1, 2]", "not json", '"text"', ""])
def test_a_body_that_is_not_a_json_object_is_422_not_500(api, body):
    response = api.client.post(
        NIGHTS, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api.secret}"
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["__all__"]


# --- doses ------------------------------------------------------------------------------


def test_a_dose_with_an_offset_is_that_instant(api, user):
    response = api.post(
        DOSES,
        {"taken_at": "2026-11-25T02:30:00+00:00", "form": "glycinate", "amount_mg": 200,
         "unit": "elemental"},
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert body["taken_at"] == "2026-11-24T21:30:00-05:00"
    assert body["evening"] == "2026-11-24"
    assert body["elemental_mg"] == 200.0
    assert body["safety_notes"] == []
    dose = Dose.objects.get(user=user)
    assert dose.taken_at == datetime.datetime(2026, 11, 25, 2, 30, tzinfo=datetime.UTC)


def test_a_dose_without_an_offset_is_read_in_the_users_zone(api, user):
    response = api.post(
        DOSES,
        {"taken_at": "2026-11-24T21:30", "form": "citrate", "amount_mg": 1000, "unit": "compound"},
    )
    assert response.status_code == 201
    dose = Dose.objects.get(user=user)
    assert dose.taken_at == datetime.datetime(2026, 11, 24, 21, 30, tzinfo=NEW_YORK)
    assert response.json()["compound_mg"] == 1000.0
    assert response.json()["elemental_mg"] == float(dose.elemental_mg)


def test_a_dose_over_the_upper_level_carries_the_safety_note(api):
    response = api.post(
        DOSES,
        {"taken_at": "2026-11-24T21:30-05:00", "form": "glycinate", "amount_mg": 400,
         "unit": "elemental"},
    )  # fmt: skip
    assert response.status_code == 201
    notes = response.json()["safety_notes"]
    assert len(notes) == 1 and "upper level" in notes[0]["text"] and notes[0]["source"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"taken_at": "2026-11-24 21:30", "form": "glycinate", "amount_mg": 5000,
          "unit": "elemental"}, "amount_mg"),
        ({"taken_at": "2026-11-24 21:30", "form": "glycinate", "amount_mg": 0,
          "unit": "elemental"}, "amount_mg"),
        ({"taken_at": "2026-11-24 21:30", "form": "glycinate", "amount_mg": "12.25",
          "unit": "elemental"}, "amount_mg"),
        ({"taken_at": "2026-11-24 21:30", "form": "other", "amount_mg": 200,
          "unit": "compound"}, "unit"),
        ({"taken_at": "2026-11-26 21:30", "form": "glycinate", "amount_mg": 200,
          "unit": "elemental"}, "taken_at"),
        ({"taken_at": "last night", "form": "glycinate", "amount_mg": 200,
          "unit": "elemental"}, "taken_at"),
        ({"taken_at": "2026-11-24 21:30", "form": "pills", "amount_mg": 200,
          "unit": "elemental"}, "form"),
    ],
)  # fmt: skip
def test_a_refused_dose_says_what_the_dose_form_says(api, user_client, user, data, field):
    response = api.post(DOSES, data)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in errors
    assert errors == _web_errors(user_client, "/tracker/doses/new/", data)
    assert not Dose.objects.filter(user=user).exists()


# --- lists, pages and other users -------------------------------------------------------


@pytest.fixture
def nights(user):
    start = datetime.date(2026, 10, 1)
    return [
        services.night_log(
            user=user, evening=start + datetime.timedelta(days=i), severity=i % 11, sleep_quality=3
        )
        for i in range(25)
    ]


def test_nights_come_newest_first_in_pages(api, nights):
    first = api.get(NIGHTS, {"limit": 10}).json()
    assert first["count"] == 25 and first["limit"] == 10 and first["offset"] == 0
    assert [n["evening"] for n in first["items"]][:2] == ["2026-10-25", "2026-10-24"]
    last = api.get(NIGHTS, {"limit": 10, "offset": 20}).json()
    assert [n["evening"] for n in last["items"]] == [f"2026-10-{d:02d}" for d in range(5, 0, -1)]
    assert api.get(NIGHTS).json()["limit"] == 20


def test_a_list_filters_by_evening_like_the_web_list(api, nights):
    body = api.get(NIGHTS, {"from": "2026-10-03", "to": "2026-10-05"}).json()
    assert [n["evening"] for n in body["items"]] == ["2026-10-05", "2026-10-04", "2026-10-03"]
    wrong = api.get(NIGHTS, {"from": "2026-10-05", "to": "2026-10-03"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == {"to": ["The end date is before the start date."]}


@pytest.mark.parametrize(
    ("query", "field"),
    [({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"limit": "ten"}, "limit"),
     ({"offset": -1}, "offset"), ({"from": "yesterday"}, "from")],
)  # fmt: skip
def test_a_wrong_page_query_is_422_with_a_message(api, query, field):
    response = api.get(DOSES, query)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_a_page_costs_the_same_queries_for_5_or_25_nights(api, nights, django_assert_num_queries):
    # token, last-used mark (first use), count, page
    with django_assert_num_queries(4):
        assert len(api.get(NIGHTS, {"limit": 5}).json()["items"]) == 5
    with django_assert_num_queries(3):
        assert len(api.get(NIGHTS, {"limit": 25}).json()["items"]) == 25


def test_another_users_rows_are_not_listed_and_their_ids_are_404(api, other_api, nights, user):
    dose = services.dose_record(
        user=user, taken_at=NOW - datetime.timedelta(hours=12), form="glycinate",
        amount_mg=200, unit="elemental",
    )  # fmt: skip
    assert api.get(f"{NIGHTS}{nights[0].pk}/").status_code == 200
    assert api.get(f"{DOSES}{dose.pk}/").json()["taken_at"] == "2026-11-24T21:00:00-05:00"
    assert other_api.get(NIGHTS).json()["count"] == 0
    assert other_api.get(DOSES).json()["count"] == 0
    for path in (f"{NIGHTS}{nights[0].pk}/", f"{DOSES}{dose.pk}/"):
        response = other_api.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "There is nothing at this address."}


@pytest.mark.parametrize("pk", [0, 999999, 2**63, 10**30])
def test_an_id_that_does_not_exist_is_404(api, pk):
    assert api.get(f"{NIGHTS}{pk}/").status_code == 404


# --- dashboard ---------------------------------------------------------------------------


def test_the_dashboard_figures_say_what_they_rest_on(api, user):
    for i in range(7):
        services.night_log(
            user=user, evening=datetime.date(2026, 11, 18 + i), severity=6 if i < 3 else 1,
            sleep_quality=3,
        )  # fmt: skip
    services.dose_record(
        user=user, taken_at=datetime.datetime(2026, 11, 24, 21, 0, tzinfo=NEW_YORK),
        form="glycinate", amount_mg=200, unit="elemental",
    )  # fmt: skip
    body = api.get(DASHBOARD).json()
    assert body["days"] == 30
    # 09:00 is past the day's start (an hour before the 07:00 wake time): tonight is the 25th.
    assert body["end"] == "2026-11-25" and body["start"] == "2026-10-27"
    assert body["nights_logged"] == 7
    assert body["moderate_nights"] == 3 and body["moderate_nights_per_week"] == 3.0
    assert body["any_symptom_nights"] == 7
    assert body["streak"] == 7
    assert body["evenings_dosed"] == 1
    assert body["mean_severity"] == round((3 * 6 + 4 * 1) / 7, 1)
    assert api.get(DASHBOARD, {"days": 365}).json()["start"] == "2025-11-26"


def test_the_dashboard_takes_only_its_periods(api):
    response = api.get(DASHBOARD, {"days": 7})
    assert response.status_code == 422
    assert response.json()["errors"] == {"days": ["Choose 30, 90 or 365 days."]}


def test_the_api_answers_are_never_cached(api):
    response = api.get(NIGHTS)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("pk", ["abc", "null,null", "1.5"])
def test_an_id_that_is_not_a_number_is_a_json_404(api, pk):
    response = api.get(f"{NIGHTS}{pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is nothing at this address."}


def test_the_api_root_says_where_the_schema_is(client, db):
    body = client.get("/api/v1/").json()
    assert body["schema"].endswith("/api/v1/schema/")
    schema = client.get("/api/v1/schema/").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/nights/", "/api/v1/nights/{night_id}/", "/api/v1/doses/",
        "/api/v1/doses/{dose_id}/", "/api/v1/dashboard/",
    }  # fmt: skip
