"""The evening reminder says what tonight is in a running experiment — in the body only."""

import datetime

import pytest
from django.core import mail

from reminders import dispatch
from reminders.models import Delivery
from tests.reminders.conftest import DUE
from tests.tracker.conftest import experiment_running

pytestmark = pytest.mark.django_db
TONIGHT = datetime.date(2026, 6, 10)  # the evening DUE falls in (London)


def _experiment(user, *, orders, blinded=False):
    experiment_running(
        user,
        start_evening=TONIGHT - datetime.timedelta(days=1),
        now=DUE - datetime.timedelta(days=3),
        orders=orders,
        blinded=blinded,
    )


def _send():
    mail.outbox = []
    dispatch.reminders_claim_due(now=DUE)
    ids = list(Delivery.objects.values_list("pk", flat=True))
    dispatch.deliveries_send(delivery_ids=ids, now=DUE + datetime.timedelta(minutes=1))
    (message,) = mail.outbox
    return message, message.alternatives[0][0]


@pytest.mark.parametrize(
    ("orders", "blinded", "line"),
    [
        ([True, False], False, "Tonight is a magnesium night: 200 mg."),
        ([False, True], False, "Tonight: no magnesium."),
        ([False, True], True, "Tonight: a capsule from packet 1."),
    ],
)
def test_tonight_is_in_the_body_and_never_in_the_subject(due_user, orders, blinded, line):
    _experiment(due_user, orders=orders, blinded=blinded)
    message, html = _send()
    assert line in message.body and line in html
    assert message.subject == "Your evening reminder"
    assert "magnesium" not in message.subject.lower() and "packet" not in message.subject
    if blinded:
        assert "no magnesium" not in message.body and "magnesium night" not in message.body


def test_without_an_experiment_the_reminder_is_unchanged(due_user):
    message, _html = _send()
    assert "time for your magnesium" in message.body and "Tonight" not in message.body


def test_the_chunk_looks_up_experiments_in_one_query(db, django_assert_max_num_queries):
    from tests.factories import UserFactory
    from tests.reminders.conftest import evening_reminder

    users = [UserFactory(bedtime=datetime.time(22, 30)) for _ in range(6)]
    for user in users:
        evening_reminder(user)
    for user in users[:3]:
        _experiment(user, orders=[True, False])
    dispatch.reminders_claim_due(now=DUE)
    ids = list(Delivery.objects.values_list("pk", flat=True))
    mail.outbox = []
    # Lease (a locking select, doses and capsules already taken, updates), one experiment
    # lookup for the whole chunk, the first message's check, and one sent mark per message
    # with the check of the next (one statement on PostgreSQL outside a transaction; two
    # through Django, as here).
    with django_assert_max_num_queries(8 + 2 * len(users)):
        dispatch.deliveries_send(delivery_ids=ids, now=DUE + datetime.timedelta(minutes=1))
    bodies = [m.body for m in mail.outbox]
    assert sum("magnesium night" in body for body in bodies) == 3
