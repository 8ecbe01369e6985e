"""The experiment's pages over HTTP: planner, start, tonight on the dashboard, look, amend,
stop, the three verdicts' wording, the report section, export and deletion, and another
user's view of it all (nothing, or 404)."""

import datetime
import json

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.pdf_download import pdf_download
from tests.tracker.conftest import experiment_running
from tracker import nof1, services
from tracker.models import Experiment, ExperimentAmendment, ExperimentLook, ExperimentStatus
from tracker.personal_data import export_experiments

NOW = datetime.datetime(2026, 3, 1, 19, 0, tzinfo=datetime.UTC)  # Sunday evening, London
DAY = datetime.timedelta(days=1)
ACTIONS = ["start", "look", "amend", "stop", "discard"]


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def product(user):
    return services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")


def _plan_data(**overrides):
    data = {
        "outcome": "severity",
        "smallest_change": "1.0",
        "pairs": "2",
        "period_nights": "7",
        "washout_nights": "2",
        "start_evening": "2026-03-02",
    }
    return data | overrides


@pytest.fixture
def running(user, product, travel):
    return experiment_running(
        user, start_evening=datetime.date(2026, 3, 2), now=NOW, orders=[True, False]
    )


@pytest.mark.parametrize("name", ["experiment", "experiment_report"])
def test_the_pages_need_sign_in(client, db, name):
    response = client.get(reverse(f"tracker:{name}"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_are_post_only_and_need_sign_in(user_client, db, action):
    url = reverse(f"tracker:experiment_{action}")
    assert Client().post(url).status_code == 302  # anonymous: to the login page
    assert user_client.get(url).status_code == 405  # a GET never changes anything


def test_the_planner_offers_sourced_defaults(user_client, product, travel):
    page = user_client.get(reverse("tracker:experiment")).text
    assert "Plan your experiment" in page
    assert 'value="1.0"' in page  # the smallest change on the legs score
    assert '<option value="4" selected>' in page  # pairs
    assert '<option value="7" selected>' in page  # nights per period
    assert '<option value="2" selected>' in page  # washout
    assert 'value="2026-03-02"' in page  # tomorrow, whatever the hour
    assert "Farrar" in page and "Guyatt" in page  # the defaults name their sources


def test_a_bad_plan_shows_its_message_and_saves_nothing(user_client, user, product, travel):
    response = user_client.post(reverse("tracker:experiment"), _plan_data(pairs="9"))
    assert response.status_code == 200
    assert "Choose one of the options shown." in response.text or "between 2 and 6" in response.text
    response = user_client.post(
        reverse("tracker:experiment"), _plan_data(start_evening="2026-02-01")
    )
    assert "Choose tonight or an evening in the next 60 days." in response.text
    assert not Experiment.objects.filter(user=user).exists()


def test_without_my_magnesium_the_planner_says_what_to_do(user_client, user, travel):
    response = user_client.post(reverse("tracker:experiment"), _plan_data())
    assert "Save your magnesium first" in response.text
    assert not Experiment.objects.filter(user=user).exists()


def test_plan_then_start_locks_it_with_a_fingerprint(user_client, user, product, travel):
    response = user_client.post(reverse("tracker:experiment"), _plan_data())
    assert response.status_code == 302
    assert user_client.post(reverse("tracker:experiment_start")).status_code == 302
    experiment = Experiment.objects.get(user=user)
    assert experiment.status == ExperimentStatus.RUNNING
    page = user_client.get(reverse("tracker:experiment")).text
    assert experiment.fingerprint[:16] in page
    assert "0 of 2 pairs complete" in page
    assert "Plan your experiment" not in page  # no editing the locked plan


@pytest.mark.parametrize(
    ("evening", "text"),
    [
        (datetime.date(2026, 3, 2), "Tonight is a magnesium night: 200 mg."),
        (datetime.date(2026, 3, 10), "Tonight: no magnesium."),
    ],
)
def test_the_dashboard_card_says_what_tonight_is(user_client, running, evening, text):
    at = datetime.datetime.combine(evening, datetime.time(20), tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        page = user_client.get(reverse("tracker:dashboard")).text
    assert text in page
    assert "Your magnesium experiment" in page
    assert "suggests" not in page  # progress only, never the comparison while running


def test_a_blinded_experiment_names_only_the_packet(user_client, running):
    Experiment.objects.filter(pk=running.pk).update(blinded=True)
    at = datetime.datetime.combine(datetime.date(2026, 3, 10), datetime.time(20), datetime.UTC)
    with time_machine.travel(at, tick=False):
        page = user_client.get(reverse("tracker:dashboard")).text
        experiment_page = user_client.get(reverse("tracker:experiment")).text
    assert "Tonight: a capsule from packet 2." in page
    assert "no magnesium" not in page and "magnesium night" not in page
    assert "packet 1" in experiment_page and ">yes<" not in experiment_page


def test_looking_early_is_recorded_and_labelled_interim(user_client, running):
    at = NOW + 16 * DAY
    with time_machine.travel(at, tick=False):
        assert user_client.post(reverse("tracker:experiment_look")).status_code == 302
        page = user_client.get(reverse("tracker:experiment")).text
    look = ExperimentLook.objects.get(experiment=running)
    assert look.pairs_complete == 1
    assert "Early looks" in page and "(interim)" in page


def test_an_amendment_needs_a_reason_and_is_shown(user_client, running):
    response = user_client.post(reverse("tracker:experiment_amend"), {"pairs": "3"})
    assert response.status_code == 400
    assert "Say in a few words why you change the plan." in response.text
    assert not ExperimentAmendment.objects.exists()
    response = user_client.post(
        reverse("tracker:experiment_amend"),
        {
            "reason": "Travel week",
            "pairs": "3",
            "smallest_change": "1.0",
            "dose_elemental_mg": "200",
        },
    )
    assert response.status_code == 302
    page = user_client.get(reverse("tracker:experiment")).text
    assert "Changes after the start" in page and "Travel week" in page


def test_stop_then_the_result_is_shown_with_the_stricter_interval(user_client, running):
    assert user_client.post(reverse("tracker:experiment_stop")).status_code == 302
    page = user_client.get(reverse("tracker:experiment")).text
    assert "Your result" in page
    assert "Early look, not the planned result." in page
    assert "Your log can&#x27;t tell yet." in page or "Your log can't tell yet." in page


@pytest.mark.parametrize(
    ("verdict", "fields", "text"),
    [
        (
            nof1.Verdict.HELPED,
            {"estimate": 2.1, "low": 0.4, "high": 3.8},
            "Your log suggests magnesium helped by at least the change you chose.",
        ),
        (
            nof1.Verdict.NO_IMPORTANT_CHANGE,
            {"estimate": 0.1, "low": -0.4, "high": 0.6},
            "Your log suggests no change as large as you chose.",
        ),
        (
            nof1.Verdict.CANT_TELL,
            {"estimate": 0.8, "low": -1.0, "high": 2.6, "more_pairs_needed": 3},
            "About 3 more pairs would likely settle it",
        ),
    ],
)
def test_each_verdict_reads_in_plain_words(verdict, fields, text):
    values = {
        "estimate": None,
        "low": None,
        "high": None,
        "confidence": 0.95,
        "interim": False,
        "nights_analysed": 40,
        "nights_per_period": (5,) * 8,
        "pairs_used": 4,
        "enough_data": True,
        "no_variation": False,
        "autocorrelation": 0.42,
        "effective_nights": 16.3,
        "more_pairs_needed": None,
    }
    result = nof1.Analysis(verdict=verdict, **(values | fields))
    html = render_to_string("tracker/includes/experiment_verdict.html", {"result": result})
    assert text in html
    assert "40 nights in 4 complete pairs" in html
    assert "0.42" in html and "about 16 independent" in html
    assert "95 % interval" in html
    assert "p =" not in html and "p-value" not in html


def test_the_report_has_the_cent_section(user_client, running):
    report = user_client.get(reverse("tracker:experiment_report")).text
    for heading in ("Protocol and registration", "Allocation and adherence", "Result"):
        assert heading in report
    for heading in ("Early looks", "Amendments", "Limitations"):
        assert heading in report
    assert running.fingerprint in report  # the full fingerprint, for checking
    clinician = user_client.get(reverse("tracker:report")).text
    assert "CENT 2015" in clinician and running.fingerprint in clinician


def test_export_carries_the_experiment_and_deletion_removes_it(client, user, running):
    services.experiment_amend(experiment=running, reason="why", now=NOW, pairs=3)
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery staple"})
    data = json.loads(client.get(reverse("accounts:export")).content)["data"]
    exported = data["tracker.experiment"][0]
    assert exported["fingerprint"] == Experiment.objects.get().fingerprint
    assert exported["allocation_magnesium_first"][:2] == [True, False]
    assert data["tracker.experimentamendment"][0]["reason"] == "why"
    client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert not Experiment.objects.exists() and not ExperimentAmendment.objects.exists()


def test_another_user_sees_and_changes_nothing(client, other_user, running):
    client.force_login(other_user)
    page = client.get(reverse("tracker:experiment")).text
    assert running.fingerprint[:16] not in page and "Plan your experiment" in page
    assert client.get(reverse("tracker:experiment_report")).status_code == 404
    for action in ACTIONS:
        assert client.post(reverse(f"tracker:experiment_{action}")).status_code == 404, action
    running.refresh_from_db()
    assert running.status == ExperimentStatus.RUNNING and not running.looks.exists()


def test_the_clinician_pdf_renders_with_an_experiment_section(user_client, running):
    # WeasyPrint's text is glyph-encoded; the section's content is checked on the HTML report.
    response = pdf_download(user_client, reverse("tracker:report_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_export_carries_the_result_once_the_experiment_is_over(client, user, running):
    assert export_experiments(user)[0]["result"] is None  # running: no comparison yet
    with time_machine.travel(NOW + 40 * DAY, tick=False):
        result = export_experiments(user)[0]["result"]
    assert result["verdict"] == "cant_tell" and not result["interim"]
    assert result["pairs_used"] == 0 and result["confidence"] == 0.95


def test_a_blinded_export_withholds_the_key_until_the_end(user, running):
    Experiment.objects.filter(pk=running.pk).update(blinded=True)
    exported = export_experiments(user)[0]
    assert exported["allocation_magnesium_first"] is None
    assert "nonce" not in exported["protocol"]
    assert all("magnesium" not in period for period in exported["protocol"]["schedule"])
    with time_machine.travel(NOW + 40 * DAY, tick=False):
        revealed = export_experiments(user)[0]
    assert revealed["allocation_magnesium_first"] == [True, False]
    assert revealed["protocol"]["nonce"]


def test_a_no_magnesium_evening_offers_no_dose_button(user_client, running):
    at = datetime.datetime.combine(datetime.date(2026, 3, 10), datetime.time(20), datetime.UTC)
    with time_machine.travel(at, tick=False):
        page = user_client.get(reverse("tracker:dashboard")).text
    assert "Tonight: no magnesium (your experiment)." in page
    assert "I took my magnesium now" not in page


def test_worse_on_magnesium_is_said_plainly():
    result = nof1.Analysis(
        verdict=nof1.Verdict.NO_IMPORTANT_CHANGE,
        estimate=-3.1,
        low=-3.4,
        high=-2.7,
        confidence=0.95,
        interim=False,
        nights_analysed=40,
        nights_per_period=(5,) * 8,
        pairs_used=4,
        enough_data=True,
        no_variation=False,
        autocorrelation=-0.1,
        effective_nights=40.0,
        more_pairs_needed=None,
    )
    html = render_to_string("tracker/includes/experiment_verdict.html", {"result": result})
    assert "your nights were worse on magnesium" in html
    assert "consecutive nights were not alike" in html
