"""The web forms the offline queue resends: one write per idempotency key, the same answer
again for a replay, a clear refusal for a reused key, and a night edited on two devices."""

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse

from tracker import services
from tracker.models import Dose, IdempotencyKey, NightLog

pytestmark = pytest.mark.django_db

# 08:00 in London on 3 December: last night is the evening of 2 December.
NOW = datetime.datetime(2026, 12, 3, 8, 0, tzinfo=datetime.UTC)
QUEUE = {"HTTP_X_RESTWELL_QUEUE": "1"}


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def product(user):
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")


def _night(key, **answers):
    return {"evening": "2026-12-02", "severity": "3", "sleep_quality": "4", "quick": "1",
            "idempotency_key": key, **answers}  # fmt: skip


def _dose(key, **answers):
    return {"taken_at": "2026-12-02T21:45", "form": "glycinate", "amount_mg": "200",
            "unit": "elemental", "note": "", "idempotency_key": key, **answers}  # fmt: skip


def test_the_same_night_sent_twice_is_one_row_and_the_same_redirect(user_client, user):
    key = str(uuid.uuid4())
    first = user_client.post(reverse("tracker:night_new"), _night(key))
    again = user_client.post(reverse("tracker:night_new"), _night(key))
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == reverse("tracker:dashboard")
    assert NightLog.objects.filter(user=user).count() == 1
    page = user_client.get(again["Location"]).text
    assert "This entry was already saved; it is not logged twice." in page


def test_the_same_dose_form_sent_twice_is_one_row(user_client, user):
    key = str(uuid.uuid4())
    for _ in range(3):
        response = user_client.post(reverse("tracker:dose_new"), _dose(key))
        assert response["Location"] == reverse("tracker:dose_list")
    assert Dose.objects.filter(user=user).count() == 1


def test_a_queued_tap_is_logged_once_at_the_moment_it_was_made(user_client, user, product):
    tapped = {"tapped_at": "2026-12-02T21:58:00.000Z", "idempotency_key": str(uuid.uuid4())}
    first = user_client.post(reverse("tracker:dose_quick"), tapped, **QUEUE)
    again = user_client.post(reverse("tracker:dose_quick"), tapped, **QUEUE)
    assert first.json()["status"] == "saved"
    assert first.json()["location"] == reverse("tracker:dashboard")
    assert first.json()["messages"][0] == "Dose logged: 200 mg elemental at 21:58."
    assert again.json() == {
        "status": "replayed",
        "location": reverse("tracker:dashboard"),
        "messages": ["This entry was already saved; it is not logged twice."],
    }
    dose = Dose.objects.get(user=user)
    assert dose.taken_at == datetime.datetime(2026, 12, 2, 21, 58, tzinfo=datetime.UTC)


def test_a_tap_from_a_clock_running_ahead_is_logged_now(user_client, user, product):
    ahead = (NOW + datetime.timedelta(minutes=40)).isoformat()
    user_client.post(reverse("tracker:dose_quick"), {"tapped_at": ahead})
    assert Dose.objects.get(user=user).taken_at == NOW


def test_the_same_key_with_other_answers_is_refused_clearly(user_client, user):
    key = str(uuid.uuid4())
    user_client.post(reverse("tracker:night_new"), _night(key))
    response = user_client.post(reverse("tracker:night_new"), _night(key, severity="7"))
    assert response.status_code == 409
    assert "already sent with different answers" in response.text
    queued = user_client.post(reverse("tracker:night_new"), _night(key, severity="7"), **QUEUE)
    assert queued.status_code == 409
    assert queued.json()["status"] == "conflict"
    assert "already sent with different answers" in queued.json()["messages"][0]
    assert NightLog.objects.get(user=user).severity == 3


def test_another_users_key_does_not_collide(client, user, other_user):
    key = str(uuid.uuid4())
    for person in (user, other_user):
        client.force_login(person)
        assert client.post(reverse("tracker:dose_new"), _dose(key))["Location"].endswith("/doses/")
    assert Dose.objects.filter(user=user).count() == 1
    assert Dose.objects.filter(user=other_user).count() == 1
    assert IdempotencyKey.objects.filter(key=key).count() == 2


def test_a_form_with_errors_gives_its_key_back(user_client, user):
    key = str(uuid.uuid4())
    refused = user_client.post(reverse("tracker:night_new"), _night(key, severity="12"), **QUEUE)
    assert refused.status_code == 200  # the form with its errors, for the queue to show
    assert "Choose a number from 0 (none) to 10 (worst imaginable)." in refused.text
    assert not IdempotencyKey.objects.filter(key=key).exists()
    fixed = user_client.post(reverse("tracker:night_new"), _night(key), **QUEUE)
    assert fixed.json()["status"] == "saved"
    assert NightLog.objects.filter(user=user).count() == 1


def test_a_refused_tap_is_not_remembered(user_client, user):
    key = str(uuid.uuid4())
    response = user_client.post(reverse("tracker:dose_quick"), {"idempotency_key": key})
    assert response["Location"] == reverse("tracker:product")
    assert not IdempotencyKey.objects.exists()


def test_a_damaged_key_is_a_clear_400(user_client, user):
    response = user_client.post(reverse("tracker:dose_new"), _dose("<script>"))
    assert response.status_code == 400
    assert "damaged key" in response.text
    assert not Dose.objects.exists()


def test_a_form_without_a_key_works_as_before(user_client, user):
    user_client.post(reverse("tracker:dose_new"), _dose(""))
    user_client.post(reverse("tracker:dose_new"), _dose(""))
    assert Dose.objects.filter(user=user).count() == 2


def test_csrf_is_still_checked(client, user):
    client.force_login(user)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("tracker:dose_new"), _dose(str(uuid.uuid4())))
    assert response.status_code == 403
    assert not Dose.objects.exists()


# --- A night edited on two devices: the last save wins, and says so ----------------------


def _edit(client, night, version, severity):
    return client.post(
        reverse("tracker:night_edit", kwargs={"pk": night.pk}),
        {"evening": night.evening.isoformat(), "severity": str(severity), "sleep_quality": "3",
         "version": version},
        follow=True,
    )  # fmt: skip


def test_the_last_save_wins_and_the_user_is_told(user_client, user):
    night = services.night_log(
        user=user, evening=datetime.date(2026, 12, 2), severity=2, sleep_quality=3
    )
    form_on_phone = user_client.get(reverse("tracker:night_edit", kwargs={"pk": night.pk}))
    version = form_on_phone.context["form"]["version"].value()
    assert f'value="{version}"' in form_on_phone.text
    # The laptop saves at 22:41 on the 2nd (the phone's form was loaded before).
    with time_machine.travel(datetime.datetime(2026, 12, 2, 22, 41, tzinfo=datetime.UTC)):
        _edit(user_client, night, version, 5)
    page = _edit(user_client, night, version, 8).text
    assert NightLog.objects.get(pk=night.pk).severity == 8
    assert (
        "This night was also changed on another device at 2 December, 22:41; your version is "
        "now saved." in page
    )


def test_an_edit_from_an_up_to_date_form_says_nothing_more(user_client, user):
    night = services.night_log(
        user=user, evening=datetime.date(2026, 12, 2), severity=2, sleep_quality=3
    )
    page = _edit(user_client, night, night.updated_at.isoformat(), 6).text
    assert "The night of 2 December 2026 is updated." in page
    assert "another device" not in page
    # A form from before this feature (no version) saves without the check.
    assert "another device" not in _edit(user_client, night, "", 7).text
