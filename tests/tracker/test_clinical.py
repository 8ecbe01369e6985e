"""Issue #11, user-facing: the augmentation watch, the stomach question, the health screens'
cautions and the dashboard's iron re-test line."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse

from tracker import augmentation, fhir, reference, services
from tracker.augmentation import NightSigns, augmentation_watch
from tracker.exports import nights_csv
from tracker.views import dashboard

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 19, 0, tzinfo=datetime.UTC)  # 20:00 in London
TONIGHT = datetime.date(2026, 6, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


def _series(baseline_onset: int, recent_onset: int, *, arms=0, earlier=0, per_block=14):
    """8 weeks ending TONIGHT: onsets (minutes after noon) in the first and last 2 weeks."""
    start = augmentation.window_start(TONIGHT)
    nights = [NightSigns(start + i * DAY, baseline_onset) for i in range(per_block)]
    recent_start = TONIGHT - 13 * DAY
    nights += [
        NightSigns(recent_start + i * DAY, recent_onset, in_arms=i < arms, earlier=i < earlier)
        for i in range(per_block)
    ]
    return nights


# 22:00 is 600 minutes after noon.
@pytest.mark.parametrize(
    ("shift_min", "arms", "flagged"),
    [
        (4 * 60, 0, True),  # 4 h earlier: enough alone (MPI criteria)
        (4 * 60 - 1, 0, False),  # 3 h 59 min, no spread
        (2 * 60, 1, True),  # 2 h with one night of spread to the arms
        (2 * 60 - 1, 1, False),  # 1 h 59 min with spread: no
        (2 * 60, 0, False),  # 2 h alone: no
        (-4 * 60, 0, False),  # later, not earlier
    ],
)
def test_the_onset_shift_at_its_edges(shift_min, arms, flagged):
    watch = augmentation_watch(_series(600, 600 - shift_min, arms=arms), end=TONIGHT)
    assert watch.flagged is flagged
    assert watch.shift_min == shift_min


def test_too_few_onset_times_make_no_comparison():
    few = reference.AUGMENTATION_MIN_ONSETS.value - 1
    watch = augmentation_watch(_series(600, 0, per_block=few), end=TONIGHT)
    assert watch.shift_min is None and not watch.flagged
    enough = augmentation_watch(_series(600, 0, per_block=few + 1), end=TONIGHT)
    assert enough.reasons == (augmentation.ONSET_SHIFT,)


@pytest.mark.parametrize(("count", "flagged"), [(2, False), (3, True)])
def test_spread_or_earlier_ticks_on_three_of_fourteen_nights(count, flagged):
    arms = augmentation_watch(_series(600, 600, arms=count), end=TONIGHT)
    assert (augmentation.SPREAD in arms.reasons) is flagged
    earlier = augmentation_watch(_series(600, 600, earlier=count), end=TONIGHT)
    assert (augmentation.EARLIER in earlier.reasons) is flagged


def test_ticks_older_than_two_weeks_do_not_count():
    old = [NightSigns(TONIGHT - (20 + i) * DAY, None, in_arms=True) for i in range(5)]
    assert not augmentation_watch(old, end=TONIGHT).flagged


def test_onset_minutes_run_across_midnight(user):
    """00:30 is later in the night than 23:30 (minutes after noon on the evening's date)."""
    late = services.night_log(
        user=user, evening=TONIGHT - DAY, severity=3, sleep_quality=3,
        times={"symptoms_started": datetime.time(0, 30)}, now=NOW,
    )  # fmt: skip
    early = services.night_log(
        user=user, evening=TONIGHT - 2 * DAY, severity=3, sleep_quality=3,
        times={"symptoms_started": datetime.time(23, 30)}, now=NOW,
    )  # fmt: skip
    assert augmentation.onset_minutes(late, user.zone) == 12 * 60 + 30
    assert augmentation.onset_minutes(early, user.zone) == 11 * 60 + 30
    assert augmentation.clock_text(12 * 60 + 30) == "00:30"


def _log(user, evening, *, onset=None, **fields):
    times = {"symptoms_started": onset} if onset else {}
    return services.night_log(
        user=user, evening=evening, severity=4, sleep_quality=3, times=times, now=NOW, **fields
    )


def _drifting(user):
    """Onset 22:00 in the first 2 weeks of 8, 17:00 in the last 2 weeks."""
    first = augmentation.window_start(TONIGHT)
    for i in range(14):
        _log(user, first + i * DAY, onset=datetime.time(22))
        _log(user, TONIGHT - (i + 1) * DAY, onset=datetime.time(17), symptoms_in_arms=i == 0)


def test_the_dashboard_note_shows_only_for_users_on_a_dopaminergic(user, user_client, travel):
    _drifting(user)
    text = user_client.get(reverse("tracker:dashboard")).text
    assert 'id="augmentation-note"' not in text  # no dopaminergic medicine listed
    services.medicine_add(user=user, kind="ropinirole")
    text = user_client.get(reverse("tracker:dashboard")).text
    assert 'id="augmentation-note"' in text
    assert "about 5 h 00 min earlier" in text and "typically 17:00, against 22:00" in text
    assert "talking to your doctor about augmentation" in text
    assert "Sleep Med 2016;21:1-11" in text and "10.5664/jcsm.11390" in text


def test_the_report_shows_the_weekly_onset_trend_for_dopaminergic_users(user, user_client, travel):
    _drifting(user)
    url = reverse("tracker:report") + "?from=2026-04-21&to=2026-06-15"
    assert "Symptom onset, week by week" not in user_client.get(url).text
    services.medicine_add(user=user, kind="pramipexole")
    text = user_client.get(url).text
    assert "Symptom onset, week by week" in text
    assert "<td>22:00</td>" in text and "<td>17:00</td>" in text


def test_the_pdf_report_carries_the_trend_and_the_stomach_column(user, client, travel):
    from tracker.pages import report_context

    _drifting(user)
    services.medicine_add(user=user, kind="levodopa")
    context = report_context(user=user, start=None, end=None, now=NOW)
    assert context["dopaminergic"] and any(w.median == "17:00" for w in context["onset_weeks"])
    from django.template.loader import render_to_string

    html = render_to_string("tracker/report_pdf.html", context)
    assert "Symptom onset, week by week" in html and '<th scope="col">Stomach</th>' in html


def test_the_night_form_leads_with_the_augmentation_questions_on_a_dopaminergic(
    user, user_client, travel
):
    text = user_client.get(reverse("tracker:night_new")).text
    assert "Symptoms spread to my arms" in text
    assert "With your restless legs medicine" not in text
    services.medicine_add(user=user, kind="rotigotine")
    text = user_client.get(reverse("tracker:night_new")).text
    assert "With your restless legs medicine, it helps to notice:" in text


def test_the_medicines_list_offers_the_dopaminergic_drugs(user_client):
    text = user_client.get(reverse("tracker:medicines")).text
    for name in ("Pramipexole", "Ropinirole", "Rotigotine", "Levodopa"):
        assert name in text


# --- Side effects ---------------------------------------------------------------------------


def _dose(user, evening, mg):
    services.dose_record(
        user=user,
        taken_at=datetime.datetime.combine(evening, datetime.time(21), tzinfo=user.zone),
        form="glycinate",
        amount_mg=mg,
        unit="elemental",
    )


def test_the_night_form_saves_the_stomach_answer(user, user_client, travel):
    data = {"evening": "2026-06-14", "severity": "3", "sleep_quality": "4", "stomach": "loose"}
    assert user_client.post(reverse("tracker:night_new"), data).status_code == 302
    assert user.night_logs.get().stomach == "loose"
    bad = {**data, "evening": "2026-06-13", "stomach": "sideways"}
    text = user_client.post(reverse("tracker:night_new"), bad).text
    assert "Choose one of the answers about your stomach, or leave it empty." in text


@pytest.mark.parametrize(("mg", "noted"), [(350, False), (351, True)])
def test_the_stomach_note_follows_evenings_above_the_level(user, user_client, travel, mg, noted):
    _dose(user, TONIGHT - DAY, mg)
    _log(user, TONIGHT - DAY, stomach="both")
    text = user_client.get(reverse("tracker:dashboard")).text
    assert ('id="stomach-note"' in text) is noted
    if noted:
        assert "stomach upset or loose stools after an evening with more than 350 mg" in text


def test_no_stomach_note_without_symptoms(user, user_client, travel):
    _dose(user, TONIGHT - DAY, 400)
    _log(user, TONIGHT - DAY, stomach="none")
    assert 'id="stomach-note"' not in user_client.get(reverse("tracker:dashboard")).text


def test_the_report_puts_the_stomach_answers_beside_the_doses(user, user_client, travel):
    _dose(user, TONIGHT - DAY, 400)
    _log(user, TONIGHT - DAY, stomach="upset")
    _log(user, TONIGHT - 2 * DAY, stomach="none")
    text = user_client.get(reverse("tracker:report")).text
    assert "Stomach upset or loose stools on 1 of 2 nights with the question answered" in text
    assert "1 of them after an evening with more than 350 mg" in text
    assert "<td>400</td><td>Stomach upset</td>" in text


def test_exports_carry_the_new_diary_fields(user, user_client, travel):
    _log(user, TONIGHT - DAY, stomach="loose", symptoms_in_arms=True)
    header, row = nights_csv(user=user).splitlines()[:2]
    columns = dict(zip(header.split(","), row.split(","), strict=True))
    assert (columns["stomach"], columns["symptoms_in_arms"]) == ("loose", "True")
    from accounts.export_registry import export_for

    night = export_for(user)["data"]["tracker.nightlog"][0]
    assert night["stomach"] == "loose" and night["symptoms_earlier"] is False
    bundle = fhir.fhir_bundle(user=user, now=NOW)
    observations = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    ]
    stomach = next(o for o in observations if o["code"]["coding"][0]["code"] == "stomach")
    assert stomach["valueCodeableConcept"]["coding"][0]["code"] == "stomach-loose"
    assert stomach["code"]["coding"][0]["system"] == fhir.code_system()
    json.dumps(bundle)


# --- Health screens ------------------------------------------------------------------------


def test_a_yes_shows_a_sourced_caution_on_dashboard_and_dose_form(user, user_client, travel):
    for url in (reverse("tracker:dashboard"), reverse("tracker:dose_new")):
        assert "You told us" not in user_client.get(url).text
    user.kidney_disease = "yes"
    user.pregnant_or_breastfeeding = "yes"
    user.save()
    for url in (reverse("tracker:dashboard"), reverse("tracker:dose_new")):
        text = user_client.get(url).text
        assert "You told us you have kidney disease." in text
        assert "You told us you are pregnant or breastfeeding." in text
        assert "Magnesium Fact Sheet for Health Professionals" in text


def test_prefer_not_to_say_shows_no_caution(user, user_client, travel):
    user.kidney_disease = "prefer_not"
    user.save()
    assert "You told us" not in user_client.get(reverse("tracker:dashboard")).text


def test_the_profile_asks_and_stores_the_screens(user, user_client):
    data = {
        "display_name": "",
        "time_zone": "Europe/London",
        "bedtime": "22:30",
        "wake_time": "07:00",
        "kidney_disease": "no",
        "pregnant_or_breastfeeding": "prefer_not",
    }
    assert user_client.post(reverse("accounts:profile"), data).status_code == 302
    user.refresh_from_db()
    assert (user.kidney_disease, user.pregnant_or_breastfeeding) == ("no", "prefer_not")
    text = user_client.post(reverse("accounts:profile"), {**data, "kidney_disease": "x"}).text
    assert "Choose yes, no or prefer not to say." in text


def test_onboarding_stores_the_screens(user, user_client):
    data = {
        "time_zone": "Europe/London",
        "bedtime": "22:30",
        "wake_time": "07:00",
        "kidney_disease": "yes",
        "pregnant_or_breastfeeding": "no",
    }
    assert user_client.post(reverse("reminders:onboarding"), data).status_code == 302
    user.refresh_from_db()
    assert (user.kidney_disease, user.pregnant_or_breastfeeding) == ("yes", "no")


# --- Re-test nudge ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("taken_on", "on_iron", "shown"),
    [
        (datetime.date(2025, 6, 15), False, False),  # 12 months ago today: not yet
        (datetime.date(2025, 6, 14), False, True),  # a day more: due
        (datetime.date(2026, 3, 15), True, False),  # 3 months on iron: not yet
        (datetime.date(2026, 3, 14), True, True),
    ],
)
def test_the_dashboard_shows_the_retest_line_when_due(
    user, user_client, travel, taken_on, on_iron, shown
):
    services.lab_record(user=user, taken_on=taken_on, ferritin_ng_ml=60)
    if on_iron:
        services.iron_product_set(
            user=user, name="Ferrous sulfate", elemental_mg=65, frequency="daily"
        )
    text = user_client.get(reverse("tracker:dashboard")).text
    assert ('id="retest-note"' in text) is shown


def test_the_dashboard_stays_within_ten_queries_for_a_dopaminergic_user(
    user, call_view, django_assert_max_num_queries, travel
):
    _drifting(user)
    services.medicine_add(user=user, kind="ropinirole")
    services.lab_record(user=user, taken_on=datetime.date(2024, 1, 1), ferritin_ng_ml=60)
    with django_assert_max_num_queries(10):
        response = call_view(dashboard.dashboard, user)
    assert response.status_code == 200
    assert b"augmentation-note" in response.content and b"retest-note" in response.content
