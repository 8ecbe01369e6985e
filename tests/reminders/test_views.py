"""The settings page and the links in the email (taken, skip, unsubscribe)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from reminders import dispatch, selectors, services, tokens
from reminders.models import Delivery, PushSubscription, ReminderSetting
from tests.factories import link_token
from tests.reminders.conftest import DUE, evening_reminder
from tracker import reference
from tracker.models import Dose, EveningSkip
from tracker.safety import dose_safety_notes
from tracker.services import dose_record, medicine_add, saved_product_set

pytestmark = pytest.mark.django_db
SOON = DUE + datetime.timedelta(minutes=5)


def _delivery(user):
    dispatch.reminders_claim_due(now=DUE)
    return Delivery.objects.get(user=user)


def _url(name, purpose, delivery):
    token = link_token(purpose=purpose, user_id=delivery.user_id, delivery_id=delivery.pk)
    return reverse(name, args=[token])


def taken_url(delivery):
    return _url("reminders:taken", tokens.TAKEN, delivery)


# --- settings page ---------------------------------------------------------------------


def test_settings_need_sign_in(client):
    response = client.get(reverse("reminders:settings"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_settings_page_shows_defaults(user_client):
    response = user_client.get(reverse("reminders:settings"))
    assert response.status_code == 200
    assert "Saved: 22:00, 30 min before your 22:30 bedtime." in response.text
    assert 'name="evening_time" value="22:00"' in response.text


def test_setting_the_time_sets_the_minutes(user_client, user):
    user_client.get(reverse("reminders:settings"))
    # The page showed 22:00 (30 min before 22:30); the user typed 21:50 and left the minutes.
    response = user_client.post(
        reverse("reminders:settings"),
        _form(evening_time="21:50", minutes_before="30", bedtime="22:30"),
    )
    assert response.status_code == 302
    assert ReminderSetting.objects.get(user=user, kind="evening").minutes_before == 40


def test_a_time_across_midnight_counts_the_right_way(user_client, user):
    response = user_client.post(
        reverse("reminders:settings"), _form(evening_time="23:30", bedtime="00:15")
    )
    assert response.status_code == 302
    assert ReminderSetting.objects.get(user=user, kind="evening").minutes_before == 45


def test_changing_the_minutes_keeps_the_time_following(user_client, user):
    # The time field still holds what the page showed (22:00): the minutes were changed.
    response = user_client.post(
        reverse("reminders:settings"),
        _form(evening_time="22:00", minutes_before="60", bedtime="22:30"),
    )
    assert response.status_code == 302
    assert ReminderSetting.objects.get(user=user, kind="evening").minutes_before == 60


def test_a_time_too_long_before_bedtime_says_what_to_do(user_client, user):
    response = user_client.post(
        reverse("reminders:settings"), _form(evening_time="17:00", bedtime="23:00")
    )
    assert response.status_code == 200
    assert "Choose a time up to 4 hours before your bedtime." in response.text
    assert 'id="id_evening_time_error"' in response.text
    assert not ReminderSetting.objects.filter(user=user).exists()  # nothing saved


def _form(**overrides):
    data = {
        "evening_enabled": "on",
        "minutes_before": "45",
        "bedtime": "23:00",
        "evening_days": ["0", "1", "2", "3", "4"],
        "skip_if_logged": "on",
        "wake_time": "07:30",
        "morning_days": ["5", "6"],
        "paused_until": "",
    }
    data.update(overrides)
    return data


@time_machine.travel(datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_saving_settings_updates_the_profile_and_the_next_send(user_client, user):
    response = user_client.post(reverse("reminders:settings"), _form(morning_enabled="on"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.bedtime, user.wake_time) == (datetime.time(23, 0), datetime.time(7, 30))
    evening = ReminderSetting.objects.get(user=user, kind="evening")
    assert evening.minutes_before == 45 and evening.weekdays == 0b0011111
    # Wednesday 10 June, London: 23:00 − 45 min = 22:15 BST = 21:15 UTC.
    assert evening.next_due_at == datetime.datetime(2026, 6, 10, 21, 15, tzinfo=datetime.UTC)
    morning = ReminderSetting.objects.get(user=user, kind="morning")
    assert morning.enabled and morning.next_due_at.astimezone(user.zone).weekday() == 5
    page = user_client.get(reverse("reminders:settings")).text
    assert "Wednesday 10 June, 22:15" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"minutes_before": "500"},
            "minutes_before",
            "Enter a number of minutes between 0 and 240.",
        ),
        ({"minutes_before": "x"}, "minutes_before", "Enter a number of minutes between 0 and 240."),
        ({"bedtime": "25:99"}, "bedtime", "Enter a time like 22:30."),
        ({"evening_days": []}, "evening_days", "Choose at least one day, or turn it off."),
        ({"paused_until": "2000-01-01"}, "paused_until", "Choose today or a later date"),
        ({"paused_until": "9999-12-31"}, "paused_until", "Pause for at most a year"),
        ({"evening_days": ["9"]}, "evening_days", "Choose one of the options shown."),
    ],
)
def test_bad_settings_get_a_clear_message_and_keep_the_input(
    user_client, overrides, field, message
):
    response = user_client.post(reverse("reminders:settings"), _form(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert f'id="id_{field}_error"' in response.text  # the message, tied to the field
    assert ReminderSetting.objects.count() == 0


@pytest.mark.parametrize("minutes_before", ["10000", "", "x"])
def test_the_settings_sentence_shows_what_is_saved_never_the_rejected_input(
    user_client, minutes_before
):
    user_client.post(reverse("reminders:settings"), _form())  # 45 min before 23:00 is saved
    response = user_client.post(
        reverse("reminders:settings"), _form(minutes_before=minutes_before, bedtime="21:00")
    )
    assert response.status_code == 200
    assert "Enter a number of minutes between 0 and 240." in response.text
    assert "Saved: 22:15, 45 min before your 23:00 bedtime." in response.text
    preview = user_client.get(reverse("reminders:email_preview")).text  # the real email
    assert "It is 22:15: time for your magnesium. Your usual bedtime is 23:00." in preview
    assert f"({minutes_before} min before" not in response.text


def test_settings_page_query_count(user_client, user, django_assert_max_num_queries):
    evening_reminder(user)
    with django_assert_max_num_queries(12):
        assert user_client.get(reverse("reminders:settings")).status_code == 200


# --- the "I took it" link ----------------------------------------------------------------


@time_machine.travel(SOON, tick=False)
def test_taken_get_changes_nothing_and_post_logs_the_saved_product_once(client, due_user):
    saved_product_set(user=due_user, form="glycinate", amount_mg=Decimal("200"), unit="elemental")
    url = taken_url(_delivery(due_user))
    response = client.get(url)
    assert response.status_code == 200
    assert "Yes, I took it" in response.text
    assert Dose.objects.count() == 0
    response = client.post(url)
    assert response.status_code == 200
    assert "Logged" in response.text
    dose = Dose.objects.get()
    assert (dose.user, dose.elemental_mg, dose.taken_at) == (due_user, Decimal("200.0"), SOON)
    again = client.post(url)
    assert "Already done" in again.text
    assert Dose.objects.count() == 1


@time_machine.travel(SOON, tick=False)
def test_taken_shows_the_same_safety_notes_as_the_dose_form(client, due_user):
    # 400 mg elemental is above the 350 mg upper level; the dose at 22:05 London time is
    # 5 minutes after the usual gabapentin time.
    saved_product_set(user=due_user, form="glycinate", amount_mg=Decimal("400"), unit="elemental")
    medicine_add(user=due_user, kind="gabapentin", usual_time=datetime.time(22, 0))
    response = client.post(taken_url(_delivery(due_user)))
    assert response.status_code == 200
    text = response.text
    assert "Logged" in text
    dose = Dose.objects.get()
    expected = dose_safety_notes(user=due_user, dose=dose)
    assert len(expected) == 2
    for note in expected:
        assert str(escape(note.text)) in text
        assert str(escape(note.source)) in text
    assert "adds up to 400 mg elemental" in text
    assert "many pharmacists advise taking them at least 2 hours apart" in text
    assert reference.SAFETY_ARTICLE_PATH in text


@time_machine.travel(SOON, tick=False)
def test_taken_shows_the_health_screen_cautions_before_logging(client, due_user):
    saved_product_set(user=due_user, form="glycinate", amount_mg=Decimal("200"), unit="elemental")
    url = taken_url(_delivery(due_user))
    assert "You told us" not in client.get(url).text
    due_user.kidney_disease = "yes"
    due_user.save()
    text = client.get(url).text
    assert "You told us you have kidney disease." in text
    assert "You told us you are pregnant or breastfeeding." not in text
    assert Dose.objects.count() == 0


@time_machine.travel(SOON, tick=False)
def test_taken_with_nothing_to_note_shows_no_note(client, due_user):
    saved_product_set(user=due_user, form="glycinate", amount_mg=Decimal("200"), unit="elemental")
    text = client.post(taken_url(_delivery(due_user))).text
    assert "Logged" in text
    assert "safety-note" not in text


@time_machine.travel(SOON, tick=False)
def test_taken_without_a_saved_product_asks_the_amount_prefilled_from_the_last_dose(
    client, due_user
):
    dose_record(
        user=due_user,
        taken_at=DUE - datetime.timedelta(days=2),
        form="citrate",
        amount_mg=Decimal("150"),
        unit="elemental",
        now=DUE,
    )
    url = taken_url(_delivery(due_user))
    page = client.get(url).text
    assert 'name="amount_mg"' in page and 'value="150.0"' in page
    assert 'value="citrate" selected' in page or 'value="citrate"' in page
    response = client.post(url, {"form": "citrate", "amount_mg": "abc", "unit": "elemental"})
    assert "Enter a number" in response.text
    assert Dose.objects.count() == 1
    response = client.post(url, {"form": "citrate", "amount_mg": "9000", "unit": "elemental"})
    assert "probably a typo" in response.text
    assert Delivery.objects.get().acted_at is None  # the link still works after an error
    client.post(url, {"form": "citrate", "amount_mg": "150", "unit": "elemental"})
    assert Dose.objects.count() == 2


@time_machine.travel(DUE + datetime.timedelta(hours=4), tick=False)
def test_taken_late_asks_the_time_prefilled_with_the_reminder_time(client, due_user):
    saved_product_set(user=due_user, form="glycinate", amount_mg=Decimal("200"), unit="elemental")
    url = taken_url(_delivery(due_user))
    page = client.get(url).text
    assert 'name="taken_at"' in page and 'value="2026-06-10T22:00"' in page
    client.post(url, {"taken_at": "2026-06-10T22:10"})
    assert Dose.objects.get().taken_at == datetime.datetime(
        2026, 6, 10, 21, 10, tzinfo=datetime.UTC
    )


def test_a_tampered_or_foreign_token_gets_a_friendly_page(client, due_user):
    delivery = _delivery(due_user)
    url = taken_url(delivery)
    response = client.get(url[:-3] + "abc/")
    assert response.status_code == 400
    assert "This link no longer works" in response.text
    skip_token_as_taken = reverse(
        "reminders:taken", args=[_url("reminders:skip", tokens.SKIP, delivery).split("/")[-2]]
    )
    assert client.post(skip_token_as_taken).status_code == 400
    assert Dose.objects.count() == 0


def test_an_expired_token_gets_a_friendly_page(client, due_user):
    with time_machine.travel(SOON, tick=False):
        url = taken_url(_delivery(due_user))
    with time_machine.travel(SOON + datetime.timedelta(hours=37), tick=False):
        response = client.post(url)
    assert response.status_code == 400
    assert Dose.objects.count() == 0


def test_a_token_for_another_users_delivery_does_not_work(client, due_user, other_user):
    delivery = _delivery(due_user)
    token = link_token(purpose=tokens.TAKEN, user_id=other_user.pk, delivery_id=delivery.pk)
    assert client.post(reverse("reminders:taken", args=[token])).status_code == 400


# --- skip and unsubscribe --------------------------------------------------------------


@time_machine.travel(SOON, tick=False)
def test_skip_get_confirms_and_post_records_the_evening(client, due_user):
    url = _url("reminders:skip", tokens.SKIP, _delivery(due_user))
    assert "Skip tonight?" in client.get(url).text
    assert EveningSkip.objects.count() == 0
    assert "marked as skipped" in client.post(url).text
    assert EveningSkip.objects.get().evening == datetime.date(2026, 6, 10)
    assert "Already done" in client.post(url).text


def test_unsubscribe_get_changes_nothing_and_one_click_post_turns_off(client, due_user):
    url = _url("reminders:unsubscribe", tokens.UNSUBSCRIBE, _delivery(due_user))
    assert client.get(url).status_code == 200
    assert ReminderSetting.objects.get().enabled
    # RFC 8058: the mail provider posts this body, with no session and no CSRF token.
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    setting = ReminderSetting.objects.get()
    assert (setting.enabled, setting.next_due_at) == (False, None)


def test_unsubscribe_with_a_bad_token_changes_nothing(client, due_user):
    response = client.post(reverse("reminders:unsubscribe", args=["nope"]))
    assert response.status_code == 400
    assert ReminderSetting.objects.get().enabled


@time_machine.travel(SOON, tick=False)
def test_link_pages_are_never_stored_by_a_cache(client, due_user):
    delivery = _delivery(due_user)
    for name, purpose in (
        ("reminders:taken", tokens.TAKEN),
        ("reminders:skip", tokens.SKIP),
        ("reminders:unsubscribe", tokens.UNSUBSCRIBE),
    ):
        response = client.get(_url(name, purpose, delivery))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], name


def test_settings_page_facts_in_one_query(user_client, user, other_user, django_assert_num_queries):
    def device(owner, n):
        PushSubscription.objects.create(
            user=owner,
            endpoint=f"https://push.example.com/{owner.pk}/{n}",
            p256dh="key",
            auth="secret",
            created_at=timezone.now(),
        )

    device(other_user, 1)
    services.calendar_feed_reset(user=other_user, now=timezone.now())
    EmailAddress.objects.filter(user=user).update(verified=False)
    with django_assert_num_queries(1):
        facts = selectors.settings_page_facts(user=user)
    assert facts == selectors.SettingsPageFacts(False, None, 0)
    page = user_client.get(reverse("reminders:settings")).text
    assert "calendar-url" not in page and "appears on your" not in page

    EmailAddress.objects.filter(user=user).update(verified=True)
    services.calendar_feed_reset(user=user, now=timezone.now())
    device(user, 1)
    device(user, 2)
    facts = selectors.settings_page_facts(user=user)
    assert facts == selectors.SettingsPageFacts(True, selectors.calendar_links_get(user=user), 2)
    page = user_client.get(reverse("reminders:settings")).text
    assert escape(facts.calendar["url"]) in page
    assert "appears on each of your 2 devices" in page

    # The address is matched whatever its case, as `email__iexact` (the sender's check).
    EmailAddress.objects.filter(user=user).update(email=user.email.upper())
    assert selectors.settings_page_facts(user=user).has_verified_email
    EmailAddress.objects.filter(user=user).update(email="someone.else@example.com")
    assert not selectors.settings_page_facts(user=user).has_verified_email
