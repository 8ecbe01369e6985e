"""Redis down: actions that need their rate limit wait (503) instead of running unthrottled."""

import pytest
from django.urls import reverse

from tests.conftest import tracebacks


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("account_login", {"login": "someone@example.com", "password": "a-password"}),
        ("account_reset_password", {"email": "someone@example.com"}),
        ("account_signup", {"email": "new@example.com", "password1": "x", "password2": "x"}),
    ],
)
def test_rate_limited_actions_ask_to_try_again(client, db, stop_redis, url_name, data):
    logs = stop_redis()
    response = client.post(reverse(url_name), data)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Please try again in a minute" in response.content.decode()
    assert tracebacks(logs) == []


def test_no_reset_email_is_sent_without_the_rate_limit(client, user, stop_redis, mailoutbox):
    stop_redis()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert mailoutbox == []


def test_the_sign_in_page_itself_still_opens(client, db, stop_redis):
    stop_redis()
    assert client.get(reverse("account_login")).status_code == 200


def test_a_bug_on_a_sign_in_page_is_not_passed_off_as_an_outage(client, db, monkeypatch):
    from allauth.account.views import LoginView

    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(LoginView, "post", broken)
    client.raise_request_exception = False
    response = client.post(reverse("account_login"), {"login": "a@example.com", "password": "x"})
    assert response.status_code == 500
