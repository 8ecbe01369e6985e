import datetime

import pytest
import time_machine

from flows.demo import demo_accounts_ensure
from tests.factories import UserFactory
from tracker import crossover, nof1
from tracker.demo import demo_data_ensure
from tracker.models import Dose, EveningSkip, Experiment, ExperimentStatus, NightLog
from tracker.pages import experiment_context

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 19, 0, tzinfo=datetime.UTC)


def test_demo_gives_sixty_nights_and_a_finished_experiment(user):
    with time_machine.travel(NOW, tick=False):
        assert demo_data_ensure(user=user) == 60
        experiment = Experiment.objects.get(user=user)
        assert experiment.status == ExperimentStatus.RUNNING and experiment.fingerprint
        assert NightLog.objects.filter(user=user).count() == 60
        magnesium_evenings = {
            evening
            for period in crossover.periods(experiment)
            if period.magnesium
            for evening in (period.first + datetime.timedelta(days=i) for i in range(7))
        }
        dosed = set(Dose.objects.filter(user=user).values_list("evening", flat=True))
        in_experiment = {e for e in dosed if e <= crossover.last_evening(experiment)}
        assert in_experiment <= magnesium_evenings  # doses only on magnesium evenings
        assert len(in_experiment) >= 0.8 * len(magnesium_evenings)  # most of them
        context = experiment_context(user=user, now=NOW)
    assert context["finished"] and context["result"].pairs_used == 4
    assert context["result"].verdict in set(nof1.Verdict)
    severities = [n.severity for n in NightLog.objects.filter(user=user)]
    assert len(set(severities)) >= 5  # noisy, not a staircase


def test_demo_is_idempotent_and_fills_only_the_missing_days(user):
    with time_machine.travel(NOW, tick=False):
        demo_data_ensure(user=user)
        night = NightLog.objects.filter(user=user).first()
        night.severity = 0
        night.save()
        assert demo_data_ensure(user=user) == 0
        counts = (NightLog.objects.count(), Dose.objects.count(), EveningSkip.objects.count())
    night.refresh_from_db()
    assert night.severity == 0
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        assert demo_data_ensure(user=user) == 2
    assert NightLog.objects.count() == counts[0] + 2


def test_demo_accounts_get_the_data():
    with time_machine.travel(NOW, tick=False):
        user, editor = demo_accounts_ensure()
        demo_accounts_ensure()
    assert NightLog.objects.filter(user=user).count() == 60
    assert not NightLog.objects.filter(user=editor).exists()


def test_demo_answers_the_newer_night_questions_the_same_at_any_hour():
    """Stomach answered on most mornings, nearly always "no", loose stools now and then; the
    augmentation signs unset (the demo person takes no dopaminergic medicine). Seeded at
    07:00 and at 22:30 the same day, the nights both runs hold read the same."""
    answers = []
    for now in (
        datetime.datetime(2026, 6, 15, 6, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 6, 15, 21, 30, tzinfo=datetime.UTC),
    ):
        user = UserFactory(time_zone="Europe/London")
        with time_machine.travel(now, tick=False):
            demo_data_ensure(user=user)
        nights = NightLog.objects.filter(user=user)
        answers.append(dict(nights.values_list("evening", "stomach")))
        assert not nights.filter(symptoms_in_arms=True).exists()
        assert not nights.filter(symptoms_earlier=True).exists()
    shared = answers[0].keys() & answers[1].keys()
    assert len(shared) >= 59
    assert {e: answers[0][e] for e in shared} == {e: answers[1][e] for e in shared}
    values = list(answers[0].values())
    answered = [v for v in values if v]
    assert 0.6 * len(values) <= len(answered) < len(values)  # most mornings, not all
    assert answered.count("none") >= 0.8 * len(answered)
    assert set(answered) <= {"none", "loose", "upset", "both"} and "loose" in answered
