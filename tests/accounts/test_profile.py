import datetime

import pytest
from django.urls import reverse

from accounts.signals import sleep_schedule_changed

PROFILE = {"display_name": "Sam", "time_zone": "Asia/Kolkata", "bedtime": "23:00",
           "wake_time": "06:45"}  # fmt: skip


@pytest.fixture
def schedule_changes():
    seen = []

    def receiver(sender, user_id, **kwargs):
        seen.append(user_id)

    sleep_schedule_changed.connect(receiver)
    yield seen
    sleep_schedule_changed.disconnect(receiver)


def test_profile_update_saves_and_announces_a_schedule_change(
    user_client, user, schedule_changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(reverse("accounts:profile"), PROFILE)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "Asia/Kolkata"
    assert user.bedtime == datetime.time(23, 0)
    assert schedule_changes == [user.pk]


def test_saving_the_same_schedule_announces_nothing(
    user_client, user, schedule_changes, django_capture_on_commit_callbacks
):
    unchanged = {"display_name": "New name", "time_zone": user.time_zone, "bedtime": "22:30",
                 "wake_time": "07:00"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(reverse("accounts:profile"), unchanged)
    assert schedule_changes == []
    user.refresh_from_db()
    assert user.display_name == "New name"


def test_profile_rejects_an_invalid_zone_and_keeps_input(user_client, user):
    response = user_client.post(reverse("accounts:profile"), {**PROFILE, "time_zone": "Nowhere"})
    assert response.status_code == 200
    assert "Choose one of the options shown." in response.text
    assert 'value="23:00"' in response.text
    user.refresh_from_db()
    assert user.time_zone == "Europe/London"


def test_profile_needs_login(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
