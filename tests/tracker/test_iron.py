"""Iron: the AASM 2024 bands at their edges, the labs page and the report, the re-test nudge
at fixed instants, "My iron" (page, spacing note, export, deletion), and the other
medicines' concrete spacing rules."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accounts.export_registry import export_for
from accounts.services import account_delete
from tests.factories import UserFactory
from tracker import iron, reference, services
from tracker.models import IronProduct, LabResult
from tracker.safety import dose_safety_notes

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
NOW = datetime.datetime(2026, 6, 1, 23, 0, tzinfo=UTC)


# --- Bands -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("75", iron.RECOMMENDED, "Ferritin 75 ng/mL — 75 or lower, where the guideline recommends"),
        ("75.1", iron.IV_CONSIDERED, "in the 75–100 band where IV iron may be considered"),
        ("76", iron.IV_CONSIDERED, "Ferritin 76 ng/mL — in the 75–100 band"),
        ("90", iron.IV_CONSIDERED, "Ferritin 90 ng/mL — in the 75–100 band where IV iron may"),
        ("100", iron.IV_CONSIDERED, "Ferritin 100 ng/mL — in the 75–100 band"),
        ("100.1", iron.ABOVE, "Ferritin 100.1 ng/mL — above 100"),
        ("101", iron.ABOVE, "Ferritin 101 ng/mL — above 100, past the guideline's treatment"),
    ],
)
def test_ferritin_bands_at_their_edges(value, code, words):
    band = iron.ferritin_band(Decimal(value))
    assert band.code == code
    assert words in band.text
    assert band.attention is (code != iron.ABOVE)


@pytest.mark.parametrize(
    ("value", "code"), [("19", iron.RECOMMENDED), ("19.9", iron.RECOMMENDED), ("20", iron.ABOVE)]
)
def test_tsat_below_20_recommends_iron(value, code):
    assert iron.tsat_band(Decimal(value)).code == code


def test_a_low_tsat_flags_a_result_whatever_the_ferritin():
    result = LabResult(ferritin_ng_ml=Decimal("150"), tsat_percent=Decimal("18"))
    reading = iron.lab_reading(result)
    assert [band.code for band in reading.bands] == [iron.ABOVE, iron.RECOMMENDED]
    assert reading.attention


def test_the_thresholds_are_sourced_as_consensus():
    source = str(reference.AASM_SOURCE)
    assert "2025;21(1):137-152" in source and "10.5664/jcsm.11390" in source
    assert "Treatment of restless legs syndrome" in source
    assert "75-100 ng/mL" in source and "not empirically tested" in source
    assert reference.FERRITIN_IV_CONSIDERED_NG_ML.value == 100
    assert "24 hours" in str(reference.IRON_SAMPLING_ADVICE)
    assert "morning" in str(reference.IRON_SAMPLING_ADVICE)
    assert "not been empirically tested" in str(reference.IRON_THRESHOLDS_CAVEAT)
    whats = [row[0] for row in reference.sources()]
    assert "Ferritin: IV iron may be considered (≤)" in whats
    assert "Re-test iron studies while taking iron" in whats


# --- Labs page and report --------------------------------------------------------------------
def test_labs_page_shows_the_band_the_caveat_and_the_sampling_question(user_client, user):
    response = user_client.post(
        reverse("tracker:labs"),
        {"taken_on": "2026-01-10", "ferritin_ng_ml": "90", "morning_no_iron": "yes"},
        follow=True,
    )
    assert "Blood test result saved." in response.text
    assert LabResult.objects.get(user=user).morning_no_iron is True
    page = response.text
    assert "Ferritin 90 ng/mL — in the 75–100 band where IV iron may be considered" in page
    assert "not been empirically tested" in page
    assert "with no iron supplements (or iron-containing foods)" in page
    assert "Was it a morning sample, with no iron taken in the 24 hours before?" in page
    assert "Below threshold" not in page


@pytest.mark.parametrize(("answer", "stored"), [("no", False), ("", None)])
def test_the_sampling_question_is_optional(user_client, user, answer, stored):
    data = {"taken_on": "2026-01-10", "tsat_percent": "25", "morning_no_iron": answer}
    user_client.post(reverse("tracker:labs"), data)
    assert LabResult.objects.get(user=user).morning_no_iron is stored


def test_a_nonsense_sampling_answer_gets_a_message(user_client, user):
    data = {"taken_on": "2026-01-10", "tsat_percent": "25", "morning_no_iron": "maybe"}
    response = user_client.post(reverse("tracker:labs"), data)
    assert response.status_code == 200
    assert "Choose one of the options shown." in response.text
    assert not LabResult.objects.exists()


def test_the_report_shows_bands_sampling_caveat_and_iron_taken(user_client, user):
    services.lab_record(
        user=user, taken_on=datetime.date(2026, 1, 5), ferritin_ng_ml=90, morning_no_iron=True
    )
    services.lab_record(user=user, taken_on=datetime.date(2026, 2, 5), tsat_percent=19)
    services.iron_product_set(
        user=user, name="Ferrous sulfate 325 mg", elemental_mg=65, frequency="alternate_days"
    )
    page = user_client.get(reverse("tracker:report")).text
    assert "Ferritin 90 ng/mL — in the 75–100 band where IV iron may be considered" in page
    assert "TSAT 19% — below 20%, where the guideline recommends iron treatment" in page
    assert "Below threshold" not in page and "yes — discuss" not in page
    assert "Morning, no iron for 24 h" in page
    assert "not recorded" in page  # the second result did not say
    assert "not been empirically tested" in page
    assert "a morning blood sample, with no iron supplements" in page
    assert "Iron taken: Ferrous sulfate 325 mg: 65 mg elemental iron, every other day" in page


def test_the_report_says_when_no_iron_product_is_recorded(user_client, lab):
    assert "No iron product recorded." in user_client.get(reverse("tracker:report")).text


# --- Re-test nudge (dates in the user's zone, at fixed instants) ---------------------------------
def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert iron.add_months(datetime.date(2026, 1, 5), 3) == datetime.date(2026, 4, 5)
    assert iron.add_months(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)
    assert iron.add_months(datetime.date(2026, 1, 31), 12) == datetime.date(2027, 1, 31)


NUDGE = "Your last ferritin result is from"


@pytest.mark.parametrize(
    ("zone", "instant", "on_iron", "shown"),
    [
        # Taking iron: 3 months after 5 January 2026 is 5 April.
        ("UTC", datetime.datetime(2026, 4, 5, 23, 59, tzinfo=UTC), True, False),
        ("UTC", datetime.datetime(2026, 4, 6, 0, 1, tzinfo=UTC), True, True),
        # 12:30 UTC on 5 April is already 6 April in Auckland (UTC+12) ...
        ("Pacific/Auckland", datetime.datetime(2026, 4, 5, 12, 30, tzinfo=UTC), True, True),
        # ... and still 5 April in New York.
        ("America/New_York", datetime.datetime(2026, 4, 6, 3, 0, tzinfo=UTC), True, False),
        # No iron: 12 months.
        ("UTC", datetime.datetime(2026, 12, 1, 12, tzinfo=UTC), False, False),
        ("UTC", datetime.datetime(2027, 1, 5, 12, tzinfo=UTC), False, False),
        ("UTC", datetime.datetime(2027, 1, 6, 12, tzinfo=UTC), False, True),
    ],
)
def test_retest_nudge_when_the_last_ferritin_is_older_than_the_interval(
    client, zone, instant, on_iron, shown
):
    user = UserFactory(time_zone=zone)
    services.lab_record(user=user, taken_on=datetime.date(2025, 6, 1), ferritin_ng_ml=40)
    services.lab_record(user=user, taken_on=datetime.date(2026, 1, 5), ferritin_ng_ml=60)
    if on_iron:
        services.iron_product_set(
            user=user, name="Ferrous sulfate", elemental_mg=65, frequency="daily"
        )
    with time_machine.travel(instant, tick=False):
        client.force_login(user)
        response = client.get(reverse("tracker:labs"))
    assert response.status_code == 200
    page = response.text
    assert (NUDGE in page) is shown
    if shown:
        months = "3 months" if on_iron else "12 months"
        assert f"{NUDGE} 5 January 2026, more than {months} ago." in page
        source = reference.RETEST_MONTHS_ON_IRON if on_iron else reference.RETEST_MONTHS
        assert "A suggestion, not a guideline figure" in str(source.source)


def test_no_nudge_without_a_ferritin_result():
    results = [LabResult(taken_on=datetime.date(2020, 1, 1), tsat_percent=Decimal(30))]
    assert iron.retest_nudge(results=results, today=datetime.date(2026, 1, 1), on_iron=True) is None


# --- My iron ---------------------------------------------------------------------------------
def test_my_iron_is_saved_changed_and_cleared(user_client, user):
    url = reverse("tracker:iron")
    page = user_client.get(url).text
    assert "Enter the elemental iron" in page
    assert not IronProduct.objects.exists()  # a GET changes nothing
    data = {
        "name": "Ferrous fumarate",
        "elemental_mg": "65",
        "frequency": "alternate_days",
        "usual_time": "08:00",
    }
    response = user_client.post(url, data, follow=True)
    assert "“My iron” is saved." in response.text
    assert "Ferrous fumarate: 65 mg elemental iron, every other day, usually at 08:00" in (
        response.text
    )
    product = IronProduct.objects.get(user=user)
    assert product.elemental_mg == 65 and product.usual_time == datetime.time(8)
    assert 'value="Ferrous fumarate"' in user_client.get(url).text  # the form is filled in
    user_client.post(url, data | {"elemental_mg": "100", "frequency": "daily"})
    assert IronProduct.objects.get(user=user).elemental_mg == 100
    response = user_client.post(url, {"clear": "1"}, follow=True)
    assert "“My iron” is cleared." in response.text
    assert not IronProduct.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"elemental_mg": "325"}, "Enter the elemental iron per dose from the label"),
        ({"elemental_mg": "0"}, "more than 0 and at most 300"),
        ({"elemental_mg": "lots"}, "Enter the elemental iron per dose from the label"),
        ({"name": ""}, "Enter the product&#x27;s name"),
        ({"frequency": "hourly"}, "Choose one of the options shown."),
        ({"usual_time": "25:00"}, "Enter a time such as 22:30."),
    ],
)
def test_my_iron_bad_input_gets_a_message(user_client, changes, message):
    data = {"name": "Ferrous sulfate", "elemental_mg": "65", "frequency": "daily"}
    response = user_client.post(reverse("tracker:iron"), data | changes)
    assert response.status_code == 200
    assert message in response.text
    assert not IronProduct.objects.exists()


def test_the_service_refuses_compound_weight_typed_as_iron(user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.iron_product_set(user=user, name="x", elemental_mg="325", frequency="daily")
    assert "elemental_mg" in error.value.message_dict


def test_another_users_iron_is_never_shown(client, user, other_user):
    services.iron_product_set(
        user=other_user, name="Secret iron", elemental_mg=50, frequency="daily"
    )
    client.force_login(user)
    for name in ("tracker:iron", "tracker:labs", "tracker:report"):
        assert "Secret iron" not in client.get(reverse(name)).text


def test_my_iron_is_exported_and_deleted_with_the_account(user, other_user):
    services.iron_product_set(
        user=user, name="Ferrous sulfate", elemental_mg=65, frequency="daily", usual_time=None
    )
    services.iron_product_set(user=other_user, name="Other", elemental_mg=50, frequency="daily")
    services.lab_record(
        user=user, taken_on=datetime.date(2026, 1, 5), ferritin_ng_ml=60, morning_no_iron=False
    )
    data = export_for(user)["data"]
    assert data["tracker.ironproduct"] == [
        {
            "name": "Ferrous sulfate",
            "elemental_mg": "65.0",
            "frequency": "daily",
            "usual_time": None,
        }
    ]
    assert data["tracker.labresult"][0]["morning_no_iron"] is False
    account_delete(user=user)
    assert list(IronProduct.objects.values_list("name", flat=True)) == ["Other"]


# --- Spacing notes ---------------------------------------------------------------------------
@pytest.fixture
def utc_user(user):
    user.time_zone = "UTC"
    user.save()
    return user


def _notes(user, hour, minute=0, day=1):
    taken = datetime.datetime(2026, 6, day, hour, minute, tzinfo=UTC)
    dose = services.dose_record(
        user=user, taken_at=taken, form="glycinate", amount_mg=100, unit="elemental", now=NOW
    )
    return dose_safety_notes(user=user, dose=dose)


@pytest.mark.parametrize(("dose_at", "noted"), [((22, 59), True), ((23, 0), False)])
def test_my_iron_with_a_usual_time_gets_the_spacing_note_naming_it(utc_user, dose_at, noted):
    services.iron_product_set(
        user=utc_user,
        name="Ferrous sulfate",
        elemental_mg=65,
        frequency="daily",
        usual_time=datetime.time(20, 0),
    )
    notes = [n for n in _notes(utc_user, *dose_at) if "iron" in n.text]
    assert bool(notes) is noted
    if noted:
        assert "(20:00: Ferrous sulfate, 65 mg elemental iron, once a day)" in notes[0].text
        assert "at least 3 hours apart" in notes[0].text
        assert notes[0].source == reference.IRON_SPACING_HOURS.source


def test_my_iron_without_a_time_gives_the_gap(utc_user):
    services.iron_product_set(user=utc_user, name="Iron", elemental_mg=65, frequency="daily")
    notes = _notes(utc_user, 21)
    assert len(notes) == 1
    assert "iron at least 3 hours apart" in notes[0].text
    assert "Add the usual time" in notes[0].text


@pytest.mark.parametrize(
    ("kind", "medicine_at", "dose_at", "noted"),
    [
        ("levothyroxine", (7, 0), (10, 59), True),  # 3 h 59 min after levothyroxine
        ("levothyroxine", (7, 0), (11, 0), False),  # exactly 4 h
        ("levothyroxine", (23, 0), (19, 1), True),  # 3 h 59 min before it
        ("levothyroxine", (23, 0), (19, 0), False),
        ("bisphosphonate", (7, 0), (9, 59), True),
        ("bisphosphonate", (7, 0), (10, 0), False),
        # Antibiotic at least 2 h before magnesium ...
        ("antibiotic", (19, 0), (20, 59), True),
        ("antibiotic", (19, 0), (21, 0), False),
        # ... or at least 6 h after it.
        ("antibiotic", (3, 0), (21, 1), True),  # 5 h 59 min after the dose
        ("antibiotic", (3, 0), (21, 0), False),  # exactly 6 h after
        ("antibiotic", (1, 0), (21, 0), True),  # 4 h after: the ODS's 4 h is not enough here
    ],
)
def test_concrete_spacing_for_other_medicines(utc_user, kind, medicine_at, dose_at, noted):
    services.medicine_add(user=utc_user, kind=kind, usual_time=datetime.time(*medicine_at))
    notes = _notes(utc_user, *dose_at)
    assert bool(notes) is noted
    if noted:
        source = str(notes[0].source)
        assert {"levothyroxine": "Synthroid", "bisphosphonate": "Magnaspartate"}.get(
            kind, "Ciprofloxacin"
        ) in source


def test_the_antibiotic_note_says_both_gaps(utc_user):
    services.medicine_add(user=utc_user, kind="antibiotic", usual_time=datetime.time(22, 0))
    (note,) = _notes(utc_user, 21)
    assert (
        "take the antibiotic at least 2 hours before magnesium, or at least 6 hours after it"
        in note.text
    )
    assert "4-6 hours" in note.source  # the ODS figure is named beside the label's


def test_the_medicines_page_lists_each_gap_and_source(user_client):
    page = user_client.get(reverse("tracker:medicines")).text
    assert "Levothyroxine: levothyroxine at least 4 hours apart" in page
    assert f'href="{reverse("tracker:iron")}"' in page
    for item in (
        reference.LEVOTHYROXINE_SPACING_HOURS,
        reference.BISPHOSPHONATE_SPACING_HOURS,
        reference.ANTIBIOTIC_BEFORE_HOURS,
    ):
        assert str(item.source).split(":")[0] in page


# --- Compound conversions: the label first ---------------------------------------------------
@pytest.mark.parametrize("name", ["tracker:product", "tracker:dose_new"])
def test_conversions_are_called_estimates_and_the_label_comes_first(user_client, name):
    page = user_client.get(reverse(name)).text
    assert "(an estimate: the label's elemental figure is better)" in page
    assert "Citrate is often sold as a hydrate" in page
    assert "about 119 mg of magnesium, not 162 mg" in page
    assert "“Buffered” glycinate is mixed with magnesium oxide" in page
    assert "Mg3(C6H5O7)2·9H2O, 613.25 g/mol" in page  # the hydrate's source
    if name == "tracker:product":
        assert "Enter the elemental magnesium from the label when it gives one" in page


def test_the_hydrate_figures_are_the_arithmetic():
    hydrate = reference.MAGNESIUM_MOLAR_MASS / reference.CITRATE_NONAHYDRATE_MOLAR_MASS
    anhydrous = reference.elemental_fraction("citrate")
    assert round(hydrate * 1000) == 119 and round(anhydrous * 1000) == 162
