import datetime

import pytest
import time_machine

from flows.demo import demo_accounts_ensure
from tracker.demo import demo_data_ensure
from tracker.models import Dose, EveningSkip, NightLog, Trial
from tracker.pages import dashboard_context

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 19, 0, tzinfo=datetime.UTC)


def test_demo_gives_sixty_nights_with_a_trial_result(user):
    with time_machine.travel(NOW, tick=False):
        assert demo_data_ensure(user=user) == 60
        trial = Trial.objects.get(user=user)
        assert trial.magnesium_start == datetime.date(2026, 5, 16)
        assert NightLog.objects.filter(user=user).count() == 60
        doses = Dose.objects.filter(user=user)
        assert 20 <= doses.count() <= 30  # most evenings of the 30-night magnesium phase
        assert not doses.filter(evening__lt=trial.magnesium_start).exists()
        context = dashboard_context(user=user, days=90, now=NOW)
    result = context["trial_result"]
    assert result.ready
    assert {m.comparison is not None for m in result.metrics} == {True}
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
