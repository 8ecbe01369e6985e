"""The per-message "sent" commit: autocommitted, and on PostgreSQL a prepared statement."""

import datetime

import pytest
from django.db import connection, transaction

from reminders.dispatch import send
from reminders.models import Delivery, DeliveryStatus, ReminderSetting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sending(n):
    user = UserFactory()
    due = datetime.datetime(2026, 6, 10, 21, 0, tzinfo=datetime.UTC)
    return [
        Delivery.objects.create(
            user=user,
            kind="evening",
            local_date=datetime.date(2026, 6, 10) + datetime.timedelta(days=i),
            due_at=due,
            status=DeliveryStatus.SENDING,
            lease_until=due,
        )
        for i in range(n)
    ]


def test_a_mark_is_committed_at_once_and_only_moves_a_sending_row():
    first, second = sending(2)
    Delivery.objects.filter(pk=second.pk).update(status=DeliveryStatus.PENDING)
    marks = send.SentMarks()
    marks.mark(first.pk)
    marks.mark(second.pk)
    # A second connection sees it: committed, not waiting in an open transaction.
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        seen = other.cursor()
        seen.execute(f"SELECT status FROM reminders_delivery WHERE id = {int(first.pk)}")  # noqa: S608
        assert seen.fetchone()[0] == "sent"
    finally:
        other.close()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.lease_until, first.reason) == ("sent", None, "")
    assert first.sent_at is not None
    assert (second.status, second.sent_at) == ("pending", None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepared statements")
def test_on_postgresql_the_mark_is_prepared_once_and_djangos_own_queries_are_not():
    rows = sending(3)
    marks = send.SentMarks()
    for row in rows:
        marks.mark(row.pk)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    # The mark (with the check of the next row) and the check alone; nothing of Django's.
    assert sorted(prepared) == [
        "SELECT EXISTS (SELECT 1 FROM reminders_delivery d JOIN accounts_user u ON u.id = "
        "d.user_id WHERE d.id = $1 AND d.status = 'sending' AND u.is_active)",
        "WITH sent AS (UPDATE reminders_delivery SET status = 'sent', sent_at = $1, "
        "lease_until = NULL, reason = '' WHERE id = $2 AND status = 'sending') "
        "SELECT EXISTS (SELECT 1 FROM reminders_delivery d JOIN accounts_user u ON u.id = "
        "d.user_id WHERE d.id = $3 AND d.status = 'sending' AND u.is_active)",
    ]


def test_the_mark_answers_whether_the_next_row_may_still_go_out():
    first, second, third, fourth = sending(4)
    other = sending(1)[0]
    marks = send.SentMarks()
    assert marks.check(first.pk)
    assert marks.mark(first.pk, then_check=second.pk) is True
    Delivery.objects.filter(pk=third.pk).delete()  # its account deleted meanwhile
    assert marks.mark(second.pk, then_check=third.pk) is False
    Delivery.objects.filter(pk=fourth.pk).update(status=DeliveryStatus.PENDING)  # swept back
    assert marks.mark(third.pk, then_check=fourth.pk) is False
    other.user.is_active = False
    other.user.save()
    assert marks.check(other.pk) is False
    assert marks.mark(fourth.pk) is False  # nothing next
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 2  # first, second


def test_inside_a_transaction_the_mark_goes_through_django():
    (row,) = sending(1)
    with transaction.atomic():
        send.SentMarks().mark(row.pk)
        assert Delivery.objects.get(pk=row.pk).status == DeliveryStatus.SENT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL HOT updates")
def test_on_postgresql_the_lease_and_the_mark_update_rows_in_place():
    """Both updates of a row are HOT: no index covers a column they write, and the table
    leaves room on its pages, so neither touches an index (at fan-out scale, index writes
    were a visible share of the database's CPU per message)."""
    due = datetime.datetime(2026, 6, 10, 21, 0, tzinfo=datetime.UTC)
    evening_reminder_rows = [
        Delivery.objects.create(
            user=UserFactory(), kind="evening", local_date=due.date(), due_at=due,
            enqueued_at=due,
        )
        for _ in range(5)
    ]  # fmt: skip
    ReminderSetting.objects.bulk_create(
        ReminderSetting(user_id=row.user_id, kind="evening", enabled=True)
        for row in evening_reminder_rows
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # The backend's own counters, read as a difference: they may still hold updates of
        # earlier transactions on this connection that were not yet reported (PostgreSQL
        # reports them at most once a second).
        before = _updates(cursor)
        leased = send._lease([row.pk for row in evening_reminder_rows], due)
        assert len(leased) == 5
        marks = send.SentMarks()
        for delivery in leased:
            marks.mark(delivery.pk)
        after = _updates(cursor)
        assert (after[0] - before[0], after[1] - before[1]) == (10, 10)
        # A full page has no room for a new version: the table keeps half of each free.
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [Delivery._meta.db_table]
        )
        assert cursor.fetchone()[0] == ["fillfactor=50"]


def _updates(cursor) -> tuple[int, int]:
    """Rows of the delivery table updated, and of those HOT, by this backend so far."""
    cursor.execute(
        "SELECT pg_stat_get_xact_tuples_updated(%s::regclass), "
        "pg_stat_get_xact_tuples_hot_updated(%s::regclass)",
        [Delivery._meta.db_table] * 2,
    )
    return cursor.fetchone()
