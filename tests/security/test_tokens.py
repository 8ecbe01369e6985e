"""Every token through its real URL: email links tampered, expired, used for another purpose,
made for another user, and signed before a SECRET_KEY rotation; share, calendar and API
tokens tampered, revoked and across a rotation. A refused token changes nothing.

What the code promises on rotation: email links are signed (reminders/tokens.py) and read
with SECRET_KEY_FALLBACKS, so they survive a rotation that keeps the old key as a fallback
and die with it; share, calendar and API tokens are random and looked up by SHA-256, so
they do not depend on SECRET_KEY at all.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from api.services import token_revoke
from reminders import tokens
from reminders.services import calendar_feed_reset
from sharing.services import share_revoke
from tests.factories import UserFactory, link_token
from tests.security.conftest import NOW, populate, snapshot, snapshot_difference

pytestmark = pytest.mark.django_db
PURPOSES = (tokens.TAKEN, tokens.SKIP, tokens.SNOOZE, tokens.UNSUBSCRIBE)
OLD_KEY, NEW_KEY = "old-key-" + "o" * 50, "new-key-" + "n" * 50


def _flip(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def _refused(client, purpose, token) -> bool:
    response = client.post(reverse(f"reminders:{purpose}", args=[token]))
    return response.status_code == 400 and "no longer works" in response.text


@pytest.fixture
def world(user, settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    with time_machine.travel(NOW, tick=False):
        yield populate(user, "tokens")


def test_every_bad_email_link_is_refused_and_changes_nothing(world, user, settings):
    delivery = world["delivery"]
    stranger = UserFactory()
    client = Client()
    before = snapshot()
    bad = []
    for purpose in PURPOSES:
        good = world["links"][purpose]
        variants = {
            "tampered": _flip(good),
            "truncated": good[: len(good) // 2],
            "another user's": link_token(
                purpose=purpose, user_id=stranger.pk, delivery_id=delivery.pk
            ),
            **{f"a {other} token": world["links"][other] for other in PURPOSES if other != purpose},
        }
        bad += [(purpose, name) for name, t in variants.items() if not _refused(client, purpose, t)]
    expired = {p: NOW + tokens.MAX_AGE[p] + datetime.timedelta(minutes=1) for p in PURPOSES}
    for purpose, when in expired.items():
        with time_machine.travel(when, tick=False):
            if not _refused(client, purpose, world["links"][purpose]):
                bad.append((purpose, "expired"))
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, []
    bad += [(p, "old key") for p in PURPOSES if not _refused(client, p, world["links"][p])]
    assert not bad, f"bad tokens that were accepted: {bad}"
    assert not snapshot_difference(before, snapshot())


def test_email_links_survive_a_rotation_that_keeps_the_old_key(world, settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    for purpose in PURPOSES:
        response = Client().get(reverse(f"reminders:{purpose}", args=[world["links"][purpose]]))
        assert response.status_code == 200, purpose
        assert "no longer works" not in response.text


def _share(client, token):
    return client.get(reverse("sharing:open", args=[token])).status_code


def _feed(client, token):
    return client.get(reverse("calendar:feed", args=[token])).status_code


def _api(client, secret):
    return client.get("/api/v1/nights/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code


def test_share_calendar_and_api_tokens_tampered_revoked_and_across_a_rotation(
    world, user, settings
):
    client = Client()
    share, feed, secret = world["share_token"], world["feed"].token, world["api_secret"]
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, []  # no fallback at all
    assert (_share(client, share), _feed(client, feed), _api(client, secret)) == (200, 200, 200)

    before = snapshot()
    assert _share(client, _flip(share)) == 404
    assert _feed(client, _flip(feed)) == 404
    assert _api(client, _flip(secret)) == 401
    assert _api(client, secret[:-5]) == 401
    assert not snapshot_difference(before, snapshot())

    share_revoke(link=world["share"], now=NOW)
    token_revoke(token=world["api_token"], now=NOW)
    calendar_feed_reset(user=user, now=NOW)
    assert (_share(client, share), _feed(client, feed), _api(client, secret)) == (410, 404, 401)
