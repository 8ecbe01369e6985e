"""Reads shared by the reminder views, the tick and the sender."""

import datetime
import hashlib
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connections, router
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from reminders import emails, scheduling, tokens
from reminders.models import (
    CalendarFeed,
    Delivery,
    DeliveryStatus,
    PushSubscription,
    ReminderKind,
    ReminderSetting,
)
from tracker.evening import evening_of
from tracker.selectors import (
    blinded_experiment_for,
    evenings_taken,
    last_dose_get,
    saved_product_get,
)

DEFAULT_MINUTES_BEFORE = 30


def reminder_settings_get(*, user) -> dict[str, ReminderSetting]:
    """The user's settings per kind; an unsaved default (off) where none exists yet."""
    found = {s.kind: s for s in ReminderSetting.objects.filter(user=user)}
    return {
        kind: found.get(kind) or ReminderSetting(user=user, kind=kind, enabled=False)
        for kind in ReminderKind.values
    }


def send_time_get(*, setting: ReminderSetting, user) -> datetime.time:
    """The wall-clock time this reminder is sent at, from the profile's sleep schedule."""
    if setting.kind == ReminderKind.MORNING:
        return user.wake_time
    return scheduling.send_time_for(bedtime=user.bedtime, minutes_before=setting.minutes_before)


def verified_primary_email(*, user_id: str = "pk", email: str = "email") -> Exists:
    """True where the user's current address is their verified primary one (any case).

    An expression over the outer query's user id and email columns, so the sender checks a
    whole chunk inside its one locking query.
    """
    return Exists(
        EmailAddress.objects.filter(
            user_id=OuterRef(user_id), email__iexact=OuterRef(email), primary=True, verified=True
        )
    )


def delivery_for_token(*, token: str, purpose: str) -> Delivery | None:
    """The delivery an email link is about; None when the link is bad, expired or outdated."""
    try:
        data = tokens.token_read(purpose=purpose, token=token)
    except tokens.BadToken:
        return None
    return (
        Delivery.objects.select_related("user")
        .filter(pk=data.delivery_id, user_id=data.user_id)
        .first()
    )


TAKEN_LATE_AFTER = datetime.timedelta(hours=3)


def taken_context_get(*, delivery: Delivery, now: datetime.datetime) -> dict:
    """What the "I took it" page needs: saved product, last dose, whether it is late, and
    whether it is a blinded experiment's capsule (then nothing else is asked)."""
    user = delivery.user
    evening = evening_of(delivery.due_at, user.zone, user.wake_time)
    capsule = blinded_experiment_for(user=user, evening=evening) is not None
    product = saved_product_get(user=user)
    last = None if product or capsule else last_dose_get(user=user)
    return {
        "capsule": capsule,
        "product": product,
        "last_dose": last,
        "late": not capsule and now - delivery.due_at > TAKEN_LATE_AFTER,
    }


# "Remind me in 30 minutes": how long, and how many times a night.
SNOOZE_DELAY = datetime.timedelta(minutes=30)
MAX_SNOOZES = 2
# Why a snooze does nothing.
SNOOZE_LOGGED = "logged"  # tonight's dose (or capsule, or skip) is logged
SNOOZE_WAITING = "waiting"  # a snooze is already waiting for its time
SNOOZE_LIMIT = "limit"  # snoozed twice tonight
SNOOZE_TOO_LATE = "too_late"  # the snoozed reminder would fall after the catch-up window


@dataclass(frozen=True)
class SnoozeState:
    refusal: str | None  # None: a snooze may be made now
    snoozes: int  # how many were made tonight
    waiting_until: datetime.datetime | None = None


def snooze_state(*, delivery: Delivery, now: datetime.datetime) -> SnoozeState:
    """Whether tonight's evening reminder may be snoozed at `now`, and if not, why.

    Tonight is every delivery of the user, kind and local date of `delivery` (the scheduled
    one and its snoozes). The window is the reminders' catch-up: a snooze must fall within
    CATCH_UP of the scheduled reminder, as a late reminder would.
    """
    tonight = list(
        Delivery.objects.filter(
            user_id=delivery.user_id, kind=delivery.kind, local_date=delivery.local_date
        )
        .order_by("sequence")
        .values_list("sequence", "due_at", "enqueued_at", "status", "acted_at")
    )
    first_due = tonight[0][1]
    snoozes = [row for row in tonight if row[0] > 0]
    made = len({row[0] for row in snoozes})  # a reminder set to both channels: one per channel
    evening = evening_of(first_due, delivery.user.zone, delivery.user.wake_time)
    if any(row[4] for row in tonight) or evenings_taken(pairs={(delivery.user_id, evening)}):
        return SnoozeState(SNOOZE_LOGGED, made)
    for _sequence, due_at, enqueued_at, status, _acted in snoozes:
        if enqueued_at is None and status == DeliveryStatus.PENDING:
            return SnoozeState(SNOOZE_WAITING, made, waiting_until=due_at)
    if made >= MAX_SNOOZES:
        return SnoozeState(SNOOZE_LIMIT, made)
    if scheduling.is_stale(due_at=first_due, now=snooze_due_at(now=now)):
        return SnoozeState(SNOOZE_TOO_LATE, made)
    return SnoozeState(None, made)


def snooze_due_at(*, now: datetime.datetime) -> datetime.datetime:
    """SNOOZE_DELAY from now, rounded up to the minute the tick releases it in."""
    due = now + SNOOZE_DELAY
    whole = due.replace(second=0, microsecond=0)
    return whole if whole == due else whole + datetime.timedelta(minutes=1)


def calendar_token_digest(token: str) -> str:
    """How a calendar feed's token is looked up: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_for_token(*, token: str) -> CalendarFeed | None:
    """The feed a /calendar/<token>.ics URL names; None when unknown, reset or tampered."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(digest=calendar_token_digest(token))
        .first()
    )


def _calendar_links(token: str | None) -> dict[str, str] | None:
    """A calendar feed's URL (absolute, from SITE_URL) and the same as webcal://, which
    calendar apps open as a subscription; None when the link is off (no token)."""
    if token is None:
        return None
    url = settings.SITE_URL + reverse("calendar:feed", args=[token])
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def calendar_links_get(*, user) -> dict[str, str] | None:
    """The user's calendar feed links (see _calendar_links); None when the link is off."""
    feed = CalendarFeed.objects.filter(user=user).only("token").first()
    return _calendar_links(feed and feed.token)


@dataclass(frozen=True)
class SettingsPageFacts:
    has_verified_email: bool  # email reminders can go out
    calendar: dict[str, str] | None  # the calendar feed's links, None when off
    device_count: int  # the devices that get notifications


# The three facts in one round trip, written out: built through the ORM (an Exists, two
# Subquerys and a Coalesce over OuterRefs) the query cost about 1.3 ms of CPU to compile on
# SQLite and PostgreSQL alike, a sixth of the page, against a few microseconds to run. Valid
# SQL on both; the address is compared as `email__iexact` compares it on PostgreSQL
# (verified_primary_email).
_SETTINGS_PAGE_FACTS_SQL = """
SELECT
  EXISTS (
    SELECT 1 FROM "account_emailaddress" e
    WHERE e."user_id" = u."id" AND UPPER(e."email") = UPPER(u."email")
      AND e."primary" AND e."verified"
  ),
  (SELECT f."token" FROM "reminders_calendarfeed" f WHERE f."user_id" = u."id" LIMIT 1),
  (SELECT COUNT(*) FROM "reminders_pushsubscription" p WHERE p."user_id" = u."id")
FROM "accounts_user" u
WHERE u."id" = %s
"""


def settings_page_facts(*, user) -> SettingsPageFacts:
    """What the reminder settings page says beside the form, in one query (the page is
    opened often; three small lookups cost more than their rows)."""
    with connections[router.db_for_read(CalendarFeed)].cursor() as cursor:
        cursor.execute(_SETTINGS_PAGE_FACTS_SQL, [user.pk])
        has_verified_email, calendar_token, device_count = cursor.fetchone()
    return SettingsPageFacts(
        bool(has_verified_email), _calendar_links(calendar_token), device_count
    )


def evening_email_preview(*, user, now: datetime.datetime) -> str:
    """The evening email's HTML exactly as the sender renders it for `user` tonight, with
    links that go nowhere (a preview acts on nothing)."""
    setting = reminder_settings_get(user=user)[ReminderKind.EVENING]
    zone = user.zone
    today = now.astimezone(zone).date()
    send_at = datetime.datetime.combine(today, send_time_get(setting=setting, user=user), zone)
    delivery = emails.DeliveryToSend(
        pk=0,
        user_id=user.pk,
        kind=ReminderKind.EVENING,
        local_date=today,
        due_at=send_at,
        email=user.email,
        display_name=user.display_name,
        language=user.email_language,
        time_zone=user.time_zone,
        bedtime=user.bedtime,
        wake_time=user.wake_time,
    )
    renderer = emails.renderer_get(language=user.email_language)
    nowhere = dict.fromkeys(emails.LINK_PURPOSES[ReminderKind.EVENING], "#preview")
    return renderer.outgoing(delivery, links=nowhere).html


def push_devices_get(*, user) -> list:
    """The user's devices for notifications, most recently added first."""
    return list(
        PushSubscription.objects.filter(user=user)
        .only("label", "created_at", "last_success_at")
        .order_by("-created_at", "-pk")
    )


def push_public_key() -> str:
    """The VAPID public key a page subscribes with; empty when push is not configured."""
    return settings.VAPID_PUBLIC_KEY if settings.VAPID_PRIVATE_KEY else ""


def device_label(user_agent: str) -> str:
    """ "Chrome on Android": enough to tell one's devices apart; never the whole string."""
    agent = user_agent or ""
    browsers = (
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser", "Samsung Internet"),
        ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    )  # fmt: skip
    systems = (
        ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
        ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
    )  # fmt: skip
    browser = next((name for mark, name in browsers if mark in agent), "")
    system = next((name for mark, name in systems if mark in agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("A browser")
