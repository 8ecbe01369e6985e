"""The one local-time rule (tracker.evening) and the shared date-time field that uses it."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from flows.forms import OnboardingForm, TakenForm
from tracker.evening import local_to_instant
from tracker.forms import DoseForm

NY = zoneinfo.ZoneInfo("America/New_York")
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("wall", "expected"),
    [
        (datetime.datetime(2026, 3, 8, 2, 30), datetime.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        (datetime.datetime(2026, 3, 8, 3, 0), datetime.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        (datetime.datetime(2026, 11, 1, 1, 30), datetime.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        (datetime.datetime(2026, 6, 1, 21, 0), datetime.datetime(2026, 6, 2, 1, 0, tzinfo=UTC)),
    ],
)
def test_local_to_instant(wall, expected):
    assert local_to_instant(wall, NY) == expected


def test_lord_howe_half_hour_gap_jumps_to_its_end():
    zone = zoneinfo.ZoneInfo("Australia/Lord_Howe")
    instant = local_to_instant(datetime.datetime(2026, 10, 4, 2, 10), zone)
    assert instant.astimezone(zone).replace(tzinfo=None) == datetime.datetime(2026, 10, 4, 2, 30)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-03-08T02:30", datetime.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        ("2026-11-01 01:30", datetime.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    ],
)
def test_dose_and_taken_forms_resolve_dst_times_in_the_active_zone(typed, expected):
    with timezone.override(NY):
        dose = DoseForm(
            {"taken_at": typed, "form": "glycinate", "amount_mg": "200", "unit": "elemental"}
        )
        assert dose.is_valid(), dose.errors
        assert dose.cleaned_data["taken_at"] == expected
        taken = TakenForm({"taken_at": typed}, needs_amount=False, needs_time=True)
        assert taken.is_valid(), taken.errors
        assert taken.cleaned_data["taken_at"] == expected


@pytest.mark.parametrize(
    ("zone", "typed"),
    [
        ("Asia/Tokyo", "yesterday"),
        ("Asia/Tokyo", "2026-02-30T21:00"),
        ("Asia/Tokyo", "0001-01-01T00:30"),  # would be year 0 in UTC
        ("America/New_York", "9999-12-31T23:59"),  # would be year 10000 in UTC
    ],
)
def test_bad_local_times_are_a_clear_error_not_a_crash(zone, typed):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        form = TakenForm({"taken_at": typed}, needs_amount=False, needs_time=True)
        assert not form.is_valid()
        assert form.errors["taken_at"] == ["Enter a date and time such as 2026-03-08 21:30."]


def test_dose_dates_before_1950_are_refused_before_any_zone_arithmetic():
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        form = DoseForm({"taken_at": "0001-01-01T00:30", "form": "glycinate", "amount_mg": "1"})
        assert not form.is_valid()
        assert form.errors["taken_at"] == ["Enter a date from 1950 on."]


def test_service_errors_land_on_their_fields_in_tracker_and_reminders_forms():
    from django.core.exceptions import ValidationError
    from django.template import Context, Template

    from portal.forms import apply_service_errors

    error = ValidationError({"amount_mg": ["Too much."], "evening": ["Not a form field."]})
    taken = TakenForm({}, needs_amount=True, needs_time=False)
    dose = DoseForm({})
    for form in (taken, dose):
        form.is_valid()
        apply_service_errors(form, error)
        assert "Too much." in form.errors["amount_mg"]
        assert "Not a form field." in form.non_field_errors()
        # One rendering path for every form: the error is announced with its input.
        html = Template("{% load crispy_forms_tags %}{{ form.amount_mg|as_crispy_field }}").render(
            Context({"form": form})
        )
        assert 'aria-invalid="true"' in html
        assert 'aria-describedby="id_amount_mg_error"' in html
        assert 'id="id_amount_mg_error"' in html and "Too much." in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter a number of milligrams, such as 200."),
        ("0", "Enter an amount above 0 mg."),
        ("100000", "Enter an amount below 100,000 mg."),
        ("1.25", "Use at most one decimal place."),
    ],
)
def test_dose_amounts_say_the_same_thing_on_every_form(typed, message):
    dose = DoseForm({"amount_mg": typed})
    taken = TakenForm({"amount_mg": typed}, needs_amount=True, needs_time=False)
    onboarding = OnboardingForm({"product_amount_mg": typed})
    for form, name in (
        (dose, "amount_mg"),
        (taken, "amount_mg"),
        (onboarding, "product_amount_mg"),
    ):
        assert not form.is_valid()
        assert form.errors[name] == [message]


def test_dose_initial_repeats_an_earlier_dose_as_it_was_entered():
    from types import SimpleNamespace

    from tracker.fields import dose_initial

    at = datetime.datetime(2026, 6, 1, 21, 30, 45, 123, tzinfo=UTC)
    compound = SimpleNamespace(form="citrate", compound_mg=1000, elemental_mg=160)
    elemental = SimpleNamespace(form="oxide", compound_mg=None, elemental_mg=200)
    assert dose_initial(taken_at=at, dose=compound) == {
        "taken_at": at.replace(second=0, microsecond=0),
        "form": "citrate",
        "amount_mg": 1000,
        "unit": "compound",
    }
    assert dose_initial(taken_at=at, dose=elemental)["amount_mg"] == 200
    assert dose_initial(taken_at=at)["form"] == "glycinate"
    assert dose_initial(taken_at=at)["unit"] == "elemental"
