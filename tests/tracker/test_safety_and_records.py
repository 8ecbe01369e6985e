"""Safety notes, the medicines list, lab results, trial phases, and the admin boundary."""

import datetime
import random
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from tracker import reference, services
from tracker.models import Dose, LabResult, OtherMedicine, Trial
from tracker.safety import dose_safety_notes, supplement_mg_around

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
NOW = datetime.datetime(2026, 6, 1, 23, 0, tzinfo=UTC)


@pytest.fixture
def utc_user(user):
    user.time_zone = "UTC"
    user.save()
    return user


def _dose(user, hour, minute=0, mg=100, day=1):
    taken = datetime.datetime(2026, 6, day, hour, minute, tzinfo=UTC)
    return services.dose_record(
        user=user, taken_at=taken, form="glycinate", amount_mg=mg, unit="elemental", now=NOW
    )


def _dose_at(user, taken, mg):
    return services.dose_record(
        user=user, taken_at=taken, form="glycinate", amount_mg=mg, unit="elemental", now=NOW
    )


def _texts(user, dose):
    return [note.text for note in dose_safety_notes(user=user, dose=dose)]


def test_no_notes_for_an_ordinary_dose(utc_user):
    assert dose_safety_notes(user=utc_user, dose=_dose(utc_user, 21)) == []


def test_doses_within_hours_count_together_against_the_upper_level(utc_user):
    _dose(utc_user, 19, mg=200)
    notes = dose_safety_notes(user=utc_user, dose=_dose(utc_user, 22, mg=151))
    assert "within 20 hours adds up to 351 mg elemental" in notes[0].text
    assert str(reference.SUPPLEMENT_UL_MG.source) in notes[0].source
    assert str(reference.UPPER_LEVEL_WINDOW_HOURS.source) in notes[0].source
    # Exactly at the limit is not above it; compound doses are converted first.
    other = services.dose_record(
        user=utc_user,
        taken_at=datetime.datetime(2026, 5, 30, 21, tzinfo=UTC),
        form="glycinate",
        amount_mg="2482.9",
        unit="compound",
        now=NOW,
    )  # 2482.9 × 0.140963 = 350.0
    assert other.elemental_mg == 350
    assert dose_safety_notes(user=utc_user, dose=other) == []


@pytest.mark.parametrize(
    ("dose_at", "gabapentin_at", "noted"),
    [
        ((21, 0), datetime.time(22, 30), True),  # 1.5 h before
        ((20, 1), datetime.time(22, 0), True),  # 1 h 59 min before
        ((20, 0), datetime.time(22, 0), False),  # exactly 2 h before
        ((19, 59), datetime.time(22, 0), False),  # 2 h 1 min before
        ((22, 5), datetime.time(22, 0), True),  # 5 min after gabapentin
        ((23, 59), datetime.time(22, 0), True),  # 1 h 59 min after
        ((0, 1), datetime.time(22, 0), False),  # 2 h 1 min after (the evening before's)
        ((23, 30), datetime.time(0, 30), True),  # across midnight, before
        ((0, 30), datetime.time(23, 30), True),  # across midnight, after
    ],
)
def test_gabapentin_spacing_either_side(utc_user, dose_at, gabapentin_at, noted):
    services.medicine_add(user=utc_user, kind="gabapentin", usual_time=gabapentin_at)
    notes = dose_safety_notes(user=utc_user, dose=_dose(utc_user, *dose_at))
    gabapentin = [note for note in notes if "gabapentin" in note.text]
    assert bool(gabapentin) is noted
    if noted:
        assert (
            "Magnesium can reduce how much gabapentin you absorb; many pharmacists advise "
            "taking them at least 2 hours apart." in gabapentin[0].text
        )
        assert gabapentin[0].source == reference.GABAPENTIN_SPACING_HOURS.source


@pytest.mark.parametrize(
    ("dose_at", "noted"),
    [((21, 0), True), ((17, 1), True), ((17, 0), False), ((22, 59), True), ((23, 0), False)],
)
def test_iron_spacing_either_side(utc_user, dose_at, noted):
    services.medicine_add(user=utc_user, kind="iron", usual_time=datetime.time(20, 0))
    texts = _texts(utc_user, _dose(utc_user, *dose_at))
    assert any("iron" in text for text in texts) is noted


def test_iron_spacing_cites_the_iron_product_information_not_the_ods_fact_sheet(utc_user):
    services.medicine_add(user=utc_user, kind="iron", usual_time=datetime.time(20, 0))
    notes = dose_safety_notes(user=utc_user, dose=_dose(utc_user, 21))
    source = str(notes[0].source)
    assert notes[0].source == reference.IRON_SPACING_HOURS.source
    # The NIH ODS iron fact sheet does not give this spacing; a magnesium medicine's SmPC
    # does (3 to 4 hours), and Restwell's 3 hours is the bottom of that range.
    assert "Iron Fact Sheet" not in source and "conservative" not in source
    assert "Summary of Product Characteristics" in source and "section 4.5" in source
    assert "Magnaspartate" in source and "3 to 4 hours before or after iron" in source
    assert "at least 3 hours apart" in notes[0].text


def test_the_iron_product_is_named_before_a_listed_iron_and_notes_take_two_queries(
    utc_user, django_assert_num_queries
):
    services.iron_product_set(
        user=utc_user,
        name="Ferrous sulfate",
        elemental_mg=65,
        frequency="alternate_days",
        usual_time=datetime.time(20, 30),
    )
    # Also listed as a medicine, at another time: "My iron" is the one the note names.
    services.medicine_add(user=utc_user, kind="iron", usual_time=datetime.time(20, 0))
    services.medicine_add(user=utc_user, kind="gabapentin", usual_time=datetime.time(21, 30))
    services.medicine_add(user=utc_user, kind="gabapentin", usual_time=datetime.time(20, 45))
    services.medicine_add(user=utc_user, kind="levothyroxine")
    dose = _dose(utc_user, 21)
    # The doses around it, then the iron product and the medicines together.
    with django_assert_num_queries(2):
        notes = dose_safety_notes(user=utc_user, dose=dose)
    assert [note.text.split(" (")[0] for note in notes] == [
        "This dose is within 3 hours of your usual iron time",
        "This dose is within 2 hours of your usual gabapentin time",
        "You listed Levothyroxine. Magnesium can affect how these are absorbed: levothyroxine "
        "at least 4 hours apart. Add the usual time you take each and Restwell will check "
        "every dose.",
    ]
    # One note per medicine: the earliest gabapentin time, the product with its own time.
    assert "(20:30: Ferrous sulfate, 65 mg elemental iron, every other day)" in notes[0].text
    assert "(20:45)" in notes[1].text


def test_the_iron_note_names_the_product_as_saved(utc_user):
    """The medicines are read with SQL written out: amounts and times come back as saved on
    every database (SQLite returns a time as text and a decimal as a number)."""
    services.iron_product_set(
        user=utc_user,
        name="Ferrous fumarate",
        elemental_mg="32.5",
        frequency="daily",
        usual_time=datetime.time(20, 45),
    )
    notes = dose_safety_notes(user=utc_user, dose=_dose(utc_user, 21))
    assert len(notes) == 1
    assert "(20:45: Ferrous fumarate, 32.5 mg elemental iron, once a day)" in notes[0].text


def test_the_upper_level_total_is_the_fullest_window_around_the_dose(utc_user):
    """The one-pass window agrees with summing every window from scratch."""
    rng = random.Random(7)
    start = datetime.datetime(2026, 5, 30, 0, 0, tzinfo=UTC)
    taken = sorted(
        start + datetime.timedelta(minutes=rng.randrange(0, 3 * 24 * 60)) for _ in range(40)
    )
    taken += taken[5:8]  # doses logged at the same minute
    for at in taken:
        _dose_at(utc_user, at, mg=rng.choice((50, 100, 150)))
    window = datetime.timedelta(hours=reference.UPPER_LEVEL_WINDOW_HOURS.value)
    doses = list(Dose.objects.filter(user=utc_user).values_list("taken_at", "elemental_mg"))
    for at in taken[::4]:
        expected = max(
            sum((mg for t, mg in doses if begin <= t < begin + window), Decimal(0))
            for begin, _mg in doses
            if at - window < begin <= at
        )
        assert supplement_mg_around(user=utc_user, at=at) == expected


def test_general_note_for_medicines_without_a_rule_or_time(utc_user):
    services.medicine_add(user=utc_user, kind="bisphosphonate")
    services.medicine_add(user=utc_user, kind="gabapentin")  # no usual time given
    services.medicine_add(user=utc_user, kind="pregabalin")  # no known interaction
    notes = dose_safety_notes(user=utc_user, dose=_dose(utc_user, 21))
    assert len(notes) == 1
    assert "Bisphosphonate, Gabapentin" in notes[0].text
    # Each medicine's concrete gap, and its own source (not a generic "ask your pharmacist").
    assert "a bisphosphonate at least 3 hours apart" in notes[0].text
    assert "gabapentin at least 2 hours apart" in notes[0].text
    assert str(reference.BISPHOSPHONATE_SPACING_HOURS.source) in notes[0].source
    assert str(reference.GABAPENTIN_SPACING_HOURS.source) in notes[0].source


def test_medicine_page_adds_and_removes(user_client, user):
    response = user_client.post(
        reverse("tracker:medicines"),
        {"kind": "iron", "name": "Ferrous sulfate", "usual_time": "08:00"},
        follow=True,
    )
    assert "Medicine added." in response.text
    medicine = OtherMedicine.objects.get(user=user)
    assert medicine.usual_time == datetime.time(8)
    response = user_client.post(reverse("tracker:medicines"), {"kind": "aspirin"})
    assert "Choose one of the options shown." in response.text
    delete = reverse("tracker:medicine_delete", kwargs={"pk": medicine.pk})
    page = user_client.get(reverse("tracker:medicines")).text
    assert f'href="{delete}"' in page and '<form method="post" action="' + delete not in page
    confirm = user_client.get(delete).text
    assert "Iron (Ferrous sulfate) from your list of medicines" in confirm
    assert "cannot be undone" in confirm
    assert OtherMedicine.objects.exists()  # asking is not deleting
    response = user_client.post(delete, follow=True)
    assert "Iron (Ferrous sulfate) is removed from your list." in response.text
    assert not OtherMedicine.objects.exists()


def test_lab_result_delete_asks_first(user_client, lab):
    delete = reverse("tracker:lab_delete", kwargs={"pk": lab.pk})
    assert f'href="{delete}"' in user_client.get(reverse("tracker:labs")).text
    confirm = user_client.get(delete).text
    assert "the blood test result of 5 January 2026" in confirm
    assert LabResult.objects.filter(pk=lab.pk).exists()
    response = user_client.post(delete, follow=True)
    assert "The blood test result of 5 January 2026 is deleted." in response.text
    assert not LabResult.objects.filter(pk=lab.pk).exists()


def test_lab_results_and_thresholds(user_client, user):
    response = user_client.post(
        reverse("tracker:labs"), {"taken_on": "2026-01-10", "ferritin_ng_ml": "75"}, follow=True
    )
    assert "Blood test result saved." in response.text
    assert "<svg" in response.text
    assert "Ferritin 75 ng/mL — 75 or lower, where the guideline recommends iron" in response.text
    empty = user_client.post(reverse("tracker:labs"), {"taken_on": "2026-01-10"})
    assert "Enter a ferritin value, a transferrin saturation, or both." in empty.text
    high = user_client.post(
        reverse("tracker:labs"), {"taken_on": "2026-01-10", "tsat_percent": "140"}
    )
    assert "between 0 and 100" in high.text
    future = user_client.post(
        reverse("tracker:labs"), {"taken_on": "2999-01-01", "ferritin_ng_ml": "50"}
    )
    assert "in the future" in future.text
    assert LabResult.objects.count() == 1


def test_trial_phases_are_validated_and_cleared(user_client, user):
    bad = user_client.post(
        reverse("tracker:trial"),
        {
            "baseline_start": "2026-05-01",
            "baseline_end": "2026-05-10",
            "magnesium_start": "2026-05-05",
        },
    )
    assert "after the baseline ends" in bad.text
    assert not Trial.objects.exists()
    user_client.post(
        reverse("tracker:trial"),
        {
            "baseline_start": "2026-05-01",
            "baseline_end": "2026-05-10",
            "magnesium_start": "2026-05-11",
        },
    )
    assert Trial.objects.get(user=user).magnesium_end is None
    user_client.post(reverse("tracker:trial"), {"clear": "1"})
    assert not Trial.objects.exists()
    with pytest.raises(ValidationError):
        services.trial_set(
            user=user,
            baseline_start=datetime.date(2026, 5, 10),
            baseline_end=datetime.date(2026, 5, 1),
            magnesium_start=datetime.date(2026, 5, 11),
        )


def test_health_data_is_not_in_the_admin():
    tracker_models = [model for model in admin.site._registry if model._meta.app_label == "tracker"]
    assert tracker_models == []


def test_labs_and_medicines_pages_take_fixed_queries(user, call_view, django_assert_num_queries):
    from tracker.views import extras

    def fill(count):
        for i in range(count):
            services.lab_record(
                user=user, taken_on=datetime.date(2025, 1, 1 + i), ferritin_ng_ml=50 + i
            )
            services.medicine_add(user=user, kind="iron", usual_time=datetime.time(8, i))

    fill(2)
    with django_assert_num_queries(2):  # the results, and "My iron"
        call_view(extras.labs, user)
    with django_assert_num_queries(1):
        call_view(extras.medicines, user)
    fill(20)
    with django_assert_num_queries(2):
        call_view(extras.labs, user)
    with django_assert_num_queries(1):
        call_view(extras.medicines, user)
