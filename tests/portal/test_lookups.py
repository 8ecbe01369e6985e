"""`any_of`: the same rows as `__in`, with the list bound as one parameter on PostgreSQL."""

import pytest
from django.db import connection

from accounts.models import User
from reminders.models import ReminderSetting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds_on_fields_and_relations():
    users = [UserFactory() for _ in range(4)]
    for user in users:
        ReminderSetting.objects.create(user=user, kind="evening")
    wanted = [users[0].pk, users[2].pk, 10**9]
    assert set(User.objects.filter(pk__any_of=wanted)) == set(User.objects.filter(pk__in=wanted))
    settings_of = ReminderSetting.objects.filter(user_id__any_of={users[1].pk, users[3].pk})
    assert {s.user_id for s in settings_of} == {users[1].pk, users[3].pk}


def test_an_empty_list_matches_nothing():
    UserFactory()
    assert not User.objects.filter(pk__any_of=[]).exists()


def test_on_postgresql_the_list_is_one_parameter():
    ids = list(range(1, 501))
    query = User.objects.filter(pk__any_of=ids).values("pk").query
    sql, params = query.get_compiler(connection=connection).as_sql()
    if connection.vendor == "postgresql":
        assert "= ANY(%s)" in sql
        assert list(params) == [ids]
    else:
        assert list(params) == ids
