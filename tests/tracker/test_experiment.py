"""The randomized experiment: planning, the lock and its fingerprint, amendments, tonight's
allocation, adherence and deviations, and the result read through the services."""

import datetime
import random
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tracker import crossover, nof1, selectors, services
from tracker.models import Experiment, ExperimentStatus
from tracker.services.experiment import fingerprint_of

NOW = datetime.datetime(2026, 3, 1, 19, 0, tzinfo=datetime.UTC)  # a Sunday evening in London
TONIGHT = datetime.date(2026, 3, 1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def product(user):
    return services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")


def _plan(user, **overrides):
    values = {
        "outcome": "severity",
        "smallest_change": Decimal("1.0"),
        "pairs": 2,
        "period_nights": 7,
        "washout_nights": 2,
        "start_evening": TONIGHT + DAY,
        "now": NOW,
    }
    values.update(overrides)
    return services.experiment_plan(user=user, **values)


def _started(user, orders=(True, False), **overrides):
    experiment = _plan(user, **overrides)
    rng = random.Random(0)
    started = services.experiment_start(experiment=experiment, now=NOW, rng=rng)
    # The drawn order is random; pin it so the tests can name tonight's allocation.
    started.orders = list(orders)
    started.save(update_fields=["orders"])
    return started


def test_a_plan_takes_the_dose_from_my_magnesium_and_stays_editable(user, product):
    experiment = _plan(user)
    assert experiment.status == ExperimentStatus.PLANNING
    assert (experiment.dose_form, experiment.dose_elemental_mg) == ("glycinate", Decimal("200.0"))
    again = _plan(user, pairs=4)
    assert again.pk == experiment.pk and again.pairs == 4  # one plan, edited in place


def test_a_plan_needs_my_magnesium_first(user):
    with pytest.raises(ValidationError, match="Save your magnesium first"):
        _plan(user)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pairs": 1}, "pairs"),
        ({"pairs": 7}, "pairs"),
        ({"period_nights": 6}, "period_nights"),
        ({"washout_nights": 5}, "washout_nights"),  # 7 − 5 leaves 2 nights: too few
        ({"smallest_change": Decimal("0")}, "smallest_change"),
        ({"outcome": "mood"}, "outcome"),
        ({"start_evening": TONIGHT - DAY}, "start_evening"),
        ({"start_evening": TONIGHT + 61 * DAY}, "start_evening"),
    ],
)
def test_a_bad_plan_says_which_field_and_saves_nothing(user, product, overrides, field):
    with pytest.raises(ValidationError) as caught:
        _plan(user, **overrides)
    assert field in caught.value.message_dict
    assert not Experiment.objects.filter(user=user).exists()


def test_starting_draws_the_order_and_freezes_a_fingerprinted_protocol(user, product):
    experiment = services.experiment_start(experiment=_plan(user, pairs=4), now=NOW)
    assert experiment.status == ExperimentStatus.RUNNING
    assert experiment.locked_at == NOW
    assert len(experiment.orders) == 4 and set(experiment.orders) <= {True, False}
    assert experiment.protocol["registered_at"] == NOW.isoformat()
    assert len(experiment.protocol["schedule"]) == 8
    # Anyone can recompute it from the stored protocol; any change gives another one.
    assert experiment.fingerprint == fingerprint_of(experiment.protocol)
    changed = {**experiment.protocol, "smallest_change": "0.5"}
    assert fingerprint_of(changed) != experiment.fingerprint


def test_the_order_comes_from_the_operating_systems_csprng(user, product, monkeypatch):
    drawn = []

    class Recording(random.SystemRandom):
        def random(self):
            drawn.append(True)
            return super().random()

    monkeypatch.setattr(nof1.secrets, "SystemRandom", Recording)
    services.experiment_start(experiment=_plan(user, pairs=3), now=NOW)
    assert len(drawn) == 3


def test_a_started_protocol_cannot_be_edited_silently(user, product):
    experiment = _started(user)
    with pytest.raises(ValidationError, match="already running"):
        _plan(user, pairs=4)
    with pytest.raises(ValidationError, match="already started"):
        services.experiment_start(experiment=experiment, now=NOW)
    # The database refuses a running experiment without its lock, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Experiment.objects.filter(pk=experiment.pk).update(locked_at=None)


def test_an_amendment_is_recorded_with_its_reason_and_new_fingerprint(user, product):
    experiment = _started(user)
    first = experiment.fingerprint
    later = NOW + 3 * DAY
    amendment = services.experiment_amend(
        experiment=experiment,
        reason="More nights to be sure",
        now=later,
        rng=random.Random(1),
        pairs=3,
        smallest_change=Decimal("1.5"),
    )
    experiment.refresh_from_db()
    assert amendment.made_at == later
    assert amendment.changes == {"pairs": ["2", "3"], "smallest_change": ["1.0", "1.5"]}
    assert amendment.fingerprint == experiment.fingerprint != first
    assert len(experiment.orders) == 3 and experiment.orders[:2] == [True, False]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pairs": 1}, "added, not removed"),
        ({"pairs": 2}, "Nothing changed"),
        ({"smallest_change": Decimal("99")}, "between 0.1 and 50"),
    ],
)
def test_a_bad_amendment_changes_nothing(user, product, changes, message):
    experiment = _started(user)
    with pytest.raises(ValidationError, match=message):
        services.experiment_amend(experiment=experiment, reason="why", now=NOW, **changes)
    experiment.refresh_from_db()
    assert not experiment.amendments.exists() and experiment.pairs == 2


def test_an_amendment_needs_a_reason(user, product):
    with pytest.raises(ValidationError) as caught:
        services.experiment_amend(experiment=_started(user), reason="  ", now=NOW, pairs=3)
    assert "reason" in caught.value.message_dict


def test_tonight_follows_the_drawn_order_and_marks_the_washout(user, product):
    experiment = _started(user, orders=(False, True))
    first = TONIGHT + DAY
    assert crossover.tonight_plan(experiment, evening=TONIGHT) is None  # not started yet
    tonight = crossover.tonight_plan(experiment, evening=first)
    assert (tonight.magnesium, tonight.packet, tonight.pair, tonight.washout) == (
        False,
        1,
        1,
        True,
    )
    third = crossover.tonight_plan(experiment, evening=first + 2 * DAY)
    assert not third.washout and third.night_in_period == 3
    second_period = crossover.tonight_plan(experiment, evening=first + 7 * DAY)
    assert (second_period.magnesium, second_period.packet) == (True, 2)
    assert crossover.tonight_plan(experiment, evening=first + 28 * DAY) is None  # after the end


def _log_night(user, evening, severity):
    services.night_log(
        user=user,
        evening=evening,
        severity=severity,
        sleep_quality=3,
        now=datetime.datetime.combine(evening + DAY, datetime.time(9), tzinfo=datetime.UTC),
    )


def _dose(user, evening):
    taken = datetime.datetime.combine(evening, datetime.time(21), tzinfo=datetime.UTC)
    services.dose_record(
        user=user, taken_at=taken, form="glycinate", amount_mg=200, unit="elemental", now=taken
    )


def test_progress_counts_missing_nights_washout_and_deviations(user, product):
    experiment = _started(user, orders=(True, False))
    first = TONIGHT + DAY
    for i in range(7):  # period 1: magnesium
        if i != 4:
            _log_night(user, first + i * DAY, 3)
        if i != 5:
            _dose(user, first + i * DAY)  # the 6th magnesium evening is missed
    _dose(user, first + 8 * DAY)  # a dose on a no-magnesium evening
    tonight = first + 10 * DAY
    rows = crossover.progress(
        experiment, selectors.experiment_log(experiment=experiment), tonight=tonight
    )
    period_1, period_2 = rows[0], rows[1]
    assert (period_1.nights_logged, period_1.nights_missing) == (6, 1)
    assert period_1.nights_analysed == 4  # nights 3–7 minus the missing 5th
    assert period_1.deviations == [first + 5 * DAY]
    assert period_2.evenings_so_far == 3  # tonight has not ended: not missed
    assert period_2.deviations == [first + 8 * DAY]
    assert (period_2.doses_as_planned, period_2.evenings_so_far) == (2, 3)


def _run_whole_experiment(user, experiment, *, magnesium_score, control_score):
    for number, period in enumerate(crossover.periods(experiment)):
        for i in range(experiment.period_nights):
            evening = period.first + i * DAY
            wobble = (i + number) % 3 - 1  # a little night-to-night variation
            score = magnesium_score if period.magnesium else control_score
            _log_night(user, evening, score + wobble)
            if period.magnesium:
                _dose(user, evening)


def test_the_result_waits_for_the_planned_end_and_reads_helped(user, product):
    experiment = _started(user, orders=(True, False))
    _run_whole_experiment(user, experiment, magnesium_score=3, control_score=6)
    log = selectors.experiment_log(experiment=experiment)
    during = crossover.analysis(experiment, log, tonight=crossover.last_evening(experiment))
    assert during.interim  # the last night is not over yet
    after = crossover.analysis(experiment, log, tonight=crossover.last_evening(experiment) + DAY)
    assert not after.interim
    assert after.verdict == nof1.Verdict.HELPED
    assert after.pairs_used == 2 and after.estimate == pytest.approx(3.0, abs=0.5)


def test_a_look_before_the_end_is_recorded_as_interim(user, product):
    experiment = _started(user, orders=(True, False))
    _run_whole_experiment(user, experiment, magnesium_score=3, control_score=6)
    log = selectors.experiment_log(experiment=experiment)
    looked_at = datetime.datetime.combine(TONIGHT + 16 * DAY, datetime.time(20), datetime.UTC)
    look = services.experiment_look(experiment=experiment, log=log, now=looked_at)
    assert look.pairs_complete == 1
    assert look.verdict == nof1.Verdict.CANT_TELL  # one pair: nothing to compare yet
    assert list(experiment.looks.all()) == [look]


def test_stopping_early_reads_the_result_with_the_stricter_boundary(user, product):
    experiment = _started(user, orders=(True, False))
    _run_whole_experiment(user, experiment, magnesium_score=3, control_score=6)
    services.experiment_stop(experiment=experiment, now=NOW + 20 * DAY)
    experiment.refresh_from_db()
    assert experiment.status == ExperimentStatus.STOPPED
    log = selectors.experiment_log(experiment=experiment)
    result = crossover.analysis(experiment, log, tonight=TONIGHT + 20 * DAY)
    assert result.interim and result.confidence == nof1.INTERIM_CONFIDENCE
    with pytest.raises(ValidationError):
        services.experiment_stop(experiment=experiment, now=NOW + 21 * DAY)


def test_only_a_plan_can_be_discarded_a_started_experiment_stays(user, product):
    experiment = _started(user)
    services.experiment_stop(experiment=experiment, now=NOW)
    with pytest.raises(ValidationError, match="stays on your record"):
        services.experiment_discard(experiment=experiment)
    fresh = _plan(user)
    services.experiment_discard(experiment=fresh)
    assert list(Experiment.objects.filter(user=user)) == [experiment]


def test_a_new_plan_can_follow_a_stopped_experiment(user, product):
    services.experiment_stop(experiment=_started(user), now=NOW)
    with time_machine.travel(NOW, tick=False):
        fresh = _plan(user)
    assert fresh.status == ExperimentStatus.PLANNING
    assert selectors.experiment_current(user=user) == fresh


def test_a_finished_experiment_makes_room_for_the_next_plan(user, product):
    experiment = _started(user)
    after_the_end = datetime.datetime.combine(
        crossover.last_evening(experiment) + 2 * DAY, datetime.time(19), tzinfo=datetime.UTC
    )
    with pytest.raises(ValidationError, match="already over"):
        services.experiment_stop(experiment=experiment, now=after_the_end)
    fresh = _plan(user, start_evening=after_the_end.date() + DAY, now=after_the_end)
    experiment.refresh_from_db()
    assert experiment.status == ExperimentStatus.FINISHED
    assert crossover.is_finished(experiment, tonight=after_the_end.date())
    assert fresh.status == ExperimentStatus.PLANNING and fresh.pk != experiment.pk
    assert selectors.experiment_current(user=user) == fresh


def test_a_plan_cannot_replace_an_experiment_still_running(user, product):
    _started(user)
    with pytest.raises(ValidationError, match="already running"):
        _plan(user, start_evening=TONIGHT + 3 * DAY, now=NOW + 2 * DAY)


def test_a_stopped_experiment_is_read_as_of_its_stop(user, product):
    experiment = _started(user, orders=(True, False))
    _run_whole_experiment(user, experiment, magnesium_score=3, control_score=6)
    stopped_at = datetime.datetime.combine(TONIGHT + 9 * DAY, datetime.time(20), datetime.UTC)
    services.experiment_stop(experiment=experiment, now=stopped_at)
    experiment.refresh_from_db()
    log = selectors.experiment_log(experiment=experiment)
    months_later = crossover.reading_evening(experiment, tonight=TONIGHT + 60 * DAY)
    assert months_later == TONIGHT + 9 * DAY  # nights logged after the stop never count
    assert crossover.pairs_complete(experiment, tonight=months_later) == 0
    assert (
        sum(row.nights_logged for row in crossover.progress(experiment, log, tonight=months_later))
        == 8
    )


def test_an_experiment_cannot_be_amended_after_its_end(user, product):
    experiment = _started(user)
    after = datetime.datetime.combine(
        crossover.last_evening(experiment) + DAY, datetime.time(19), tzinfo=datetime.UTC
    )
    with pytest.raises(ValidationError, match="Only a running experiment"):
        services.experiment_amend(
            experiment=experiment, reason="looks better", now=after, smallest_change=Decimal("3")
        )


def test_amended_amounts_are_stored_as_the_database_keeps_them(user, product):
    experiment = _started(user)
    amendment = services.experiment_amend(
        experiment=experiment, reason="new tub", now=NOW, dose_elemental_mg=Decimal("2.5E+2")
    )
    assert amendment.changes == {"dose_elemental_mg": ["200.0", "250.0"]}
    experiment.refresh_from_db()
    assert experiment.protocol["dose"]["elemental_mg"] == "250.0"
    assert experiment.fingerprint == fingerprint_of(experiment.protocol)


@pytest.mark.parametrize("hour", [1, 9, 11])
def test_before_noon_last_nights_evening_cannot_be_the_first(user, product, hour):
    morning = datetime.datetime(2026, 3, 2, hour, 0, tzinfo=datetime.UTC)  # London: GMT
    with pytest.raises(ValidationError) as caught:
        _plan(user, start_evening=datetime.date(2026, 3, 1), now=morning)
    assert "start_evening" in caught.value.message_dict
    assert _plan(user, start_evening=datetime.date(2026, 3, 2), now=morning).pk
