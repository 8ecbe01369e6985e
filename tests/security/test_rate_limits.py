"""Rate limits hold per IP and per account, whatever X-Forwarded-For says.

TRUSTED_PROXY_COUNT semantics: with N proxies in front, the client's IP is the N-th entry
from the right of X-Forwarded-For (each proxy appends what it saw); entries further left are
the client's own words and count for nothing. With no proxy (the default) the header is
ignored entirely. So a client rotating made-up addresses in the header stays one client.
"""

import itertools

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from api import ratelimit
from sharing.services import share_create
from tests.factories import DEFAULT_PASSWORD
from tests.security.conftest import EVENING, NOW

pytestmark = pytest.mark.django_db
REAL_IP = "198.51.100.23"
_spoofs = (f"203.0.113.{n}" for n in itertools.count(1))


def _headers(proxies: int) -> dict:
    """What the app receives from one real client that makes up a new address each time."""
    spoofed = next(_spoofs)
    if proxies == 0:  # straight to the app: REMOTE_ADDR is the client
        return {"REMOTE_ADDR": REAL_IP, "HTTP_X_FORWARDED_FOR": spoofed}
    # Behind one proxy: the proxy appends the address it saw and connects from 10.0.0.2.
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": f"{spoofed}, {REAL_IP}"}


@pytest.fixture(params=[0, 1], ids=["no-proxy", "one-proxy"])
def proxies(request, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = request.param
    with time_machine.travel(NOW, tick=False):
        yield request.param


def _limited(response) -> bool:
    return response.status_code == 429 or "Too many" in response.content.decode()


def test_failed_logins_per_ip_hold_with_a_spoofed_forwarded_for(proxies, user):
    # allauth: 10 failed logins a minute per IP, whatever the account named.
    answers = [
        Client().post(
            reverse("account_login"),
            {"login": f"nobody{n}@example.com", "password": "wrong"},
            **_headers(proxies),
        )
        for n in range(11)
    ]
    assert not any(_limited(r) for r in answers[:10])
    assert _limited(answers[10])
    # The same client with the right password is still refused this minute.
    late = Client().post(
        reverse("account_login"),
        {"login": user.email, "password": DEFAULT_PASSWORD},
        **_headers(proxies),
    )
    assert late.status_code != 302


def test_failed_logins_per_account_hold_from_many_addresses(user):
    # 5 failed logins per account in 5 minutes, even from 6 different real addresses.
    with time_machine.travel(NOW, tick=False):
        answers = [
            Client().post(
                reverse("account_login"),
                {"login": user.email, "password": "wrong"},
                REMOTE_ADDR=f"192.0.2.{n}",
            )
            for n in range(6)
        ]
        assert not any(_limited(r) for r in answers[:5]) and _limited(answers[5])
        right = Client().post(
            reverse("account_login"),
            {"login": user.email, "password": DEFAULT_PASSWORD},
            REMOTE_ADDR="192.0.2.99",
        )
        assert right.status_code != 302  # the account is paused, not just the addresses


def test_password_reset_per_ip_holds_with_a_spoofed_forwarded_for(proxies, db):
    # allauth: 20 reset requests a minute per IP.
    answers = [
        Client().post(
            reverse("account_reset_password"),
            {"email": f"someone{n}@example.com"},
            **_headers(proxies),
        )
        for n in range(21)
    ]
    assert not any(_limited(r) for r in answers[:20])
    assert _limited(answers[20])


def test_password_reset_per_account_holds_from_many_addresses(user):
    # 5 a minute per address asked for.
    with time_machine.travel(NOW, tick=False):
        answers = [
            Client().post(
                reverse("account_reset_password"), {"email": user.email}, REMOTE_ADDR=f"192.0.2.{n}"
            )
            for n in range(6)
        ]
    assert not any(_limited(r) for r in answers[:5]) and _limited(answers[5])


def test_share_passcode_tries_count_per_link_not_per_address(proxies, user):
    link, token = share_create(
        user=user, label="Dr Lee", start=EVENING, end=EVENING, passcode="4242-1717", now=NOW
    )
    url = reverse("sharing:open", args=[token])
    answers = [
        Client().post(url, {"passcode": f"wrong-{n}"}, **_headers(proxies)) for n in range(5)
    ]
    assert answers[-1].status_code == 429  # the fifth wrong try pauses the link
    right = Client().post(url, {"passcode": "4242-1717"}, **_headers(proxies))
    assert right.status_code == 429  # paused for everyone, even with the right passcode


def test_api_limits_count_per_token_not_per_address(proxies, user, monkeypatch):
    from api.services import token_create

    monkeypatch.setattr(ratelimit, "LIMITS", {"read": 3, "write": 2})
    _token, secret = token_create(user=user, name="Script", scope="read", days=30)
    answers = [
        Client()
        .get("/api/v1/nights/", HTTP_AUTHORIZATION=f"Bearer {secret}", **_headers(proxies))
        .status_code
        for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]


def test_a_login_through_a_proxy_with_a_bare_forwarded_for_is_not_an_error(settings, user):
    """Behind 2 proxies a request carrying a single X-Forwarded-For entry (a misrouted
    request, or a client talking to the inner proxy) is answered, never a 500."""
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = Client().post(
        reverse("account_login"),
        {"login": user.email, "password": "wrong"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response.status_code < 500
