"""A blinded experiment: capsules instead of doses, the helper's sheet (shown only after a
POST, and counted), adherence from capsules, and the email link logging a capsule."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from reminders import dispatch
from reminders.models import Delivery, ReminderKind
from tests.factories import link_token
from tests.reminders.conftest import evening_reminder
from tests.tracker.conftest import experiment_running
from tracker import crossover, selectors, services
from tracker.models import Dose, Experiment, ExperimentCapsule

NOW = datetime.datetime(2026, 3, 1, 19, 0, tzinfo=datetime.UTC)
FIRST = datetime.date(2026, 3, 2)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def blinded(user):
    return experiment_running(
        user, start_evening=FIRST, now=NOW, orders=[False, True], blinded=True
    )


def _evening(day, hour=21):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def test_the_dashboard_offers_a_capsule_not_a_dose(user_client, user, blinded):
    with time_machine.travel(_evening(FIRST + DAY), tick=False):
        page = user_client.get(reverse("tracker:dashboard")).text
        assert "I took tonight&#x27;s capsule" in page or "I took tonight's capsule" in page
        assert "I took my magnesium now" not in page
        assert user_client.post(reverse("tracker:experiment_capsule")).status_code == 302
        user_client.post(reverse("tracker:experiment_capsule"))  # a double tap: still one
        page = user_client.get(reverse("tracker:dashboard")).text
    assert ExperimentCapsule.objects.filter(experiment=blinded).count() == 1
    assert not Dose.objects.filter(user=user).exists()
    assert "Tonight&#x27;s capsule is logged." in page or "Tonight's capsule is logged." in page


def test_adherence_comes_from_capsules(user, blinded):
    for i in range(5):  # packet 1: capsules on 5 of 7 evenings, a dose on top on one
        if i != 2:
            with time_machine.travel(_evening(FIRST + i * DAY), tick=False):
                services.experiment_capsule_record(experiment=blinded)
    taken = _evening(FIRST + 3 * DAY)
    services.dose_record(
        user=user, taken_at=taken, form="glycinate", amount_mg=200, unit="elemental", now=taken
    )
    log = selectors.experiment_log(experiment=blinded)
    period = crossover.progress(blinded, log, tonight=FIRST + 5 * DAY)[0]
    assert period.evenings_so_far == 5
    assert period.deviations == [FIRST + 2 * DAY, FIRST + 3 * DAY]  # no capsule; extra dose


def test_the_helper_sheet_needs_a_post_and_every_showing_is_counted(user_client, blinded):
    url = reverse("tracker:experiment_helper_sheet")
    warning = user_client.get(url).text
    assert "not for you" in warning and "Placebo" not in warning
    sheet = user_client.post(url).text
    assert "Placebo (the filler only)" in sheet and "Magnesium: 200 mg elemental" in sheet
    user_client.post(url)
    blinded.refresh_from_db()
    assert blinded.key_shown_count == 2
    report = user_client.get(reverse("tracker:experiment_report")).text
    assert "The helper&#x27;s sheet was shown 2 times." in report or "shown 2 times" in report


def test_an_open_label_experiment_has_no_helper_sheet(user_client, blinded):
    Experiment.objects.filter(pk=blinded.pk).update(blinded=False)
    assert user_client.get(reverse("tracker:experiment_helper_sheet")).status_code == 404
    assert user_client.post(reverse("tracker:experiment_capsule")).status_code == 302
    assert not ExperimentCapsule.objects.exists()


def test_the_email_link_logs_the_capsule_not_a_dose(client, user, blinded):
    due = _evening(FIRST + DAY, 21)
    delivery = Delivery.objects.create(
        user=user, kind=ReminderKind.EVENING, local_date=FIRST + DAY, due_at=due
    )
    token = link_token(purpose="taken", user_id=user.pk, delivery_id=delivery.pk)
    url = reverse("reminders:taken", args=[token])
    with time_machine.travel(due + datetime.timedelta(minutes=5), tick=False):
        page = client.get(url).text
        assert "Log tonight&#x27;s capsule" in page or "Log tonight's capsule" in page
        assert 'name="amount_mg"' not in page
        assert client.post(url).status_code == 200
    assert ExperimentCapsule.objects.get().evening == FIRST + DAY
    assert not Dose.objects.filter(user=user).exists()


def test_a_logged_capsule_spares_the_evening_reminder(user, blinded):
    user.bedtime = datetime.time(22, 30)
    user.save()
    evening_reminder(user, now=_evening(FIRST + DAY, 12))
    with time_machine.travel(_evening(FIRST + DAY, 20), tick=False):
        services.experiment_capsule_record(experiment=blinded)
    due = _evening(FIRST + DAY, 22)  # 22:00 GMT: 30 minutes before bedtime
    mail.outbox = []
    dispatch.reminders_claim_due(now=due)
    ids = list(Delivery.objects.values_list("pk", flat=True))
    dispatch.deliveries_send(delivery_ids=ids, now=due + datetime.timedelta(minutes=1))
    assert mail.outbox == []
    assert Delivery.objects.get().reason == "already_logged"
