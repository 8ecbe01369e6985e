import logging

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_admin_login_goes_through_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_without_mfa_are_sent_to_set_it_up(client, staff, settings):
    settings.ADMIN_REQUIRE_MFA = True
    client.force_login(staff)
    response = client.get("/admin/", follow=True)
    # allauth asks for the password again before enrolling a second factor.
    assert [url for url, _ in response.redirect_chain][-2:] == [
        reverse("mfa_activate_totp"),
        f"{reverse('account_reauthenticate')}?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    ]


def test_staff_with_mfa_may_use_the_admin(client, staff, settings):
    settings.ADMIN_REQUIRE_MFA = True
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_the_mfa_requirement_can_be_switched_off_for_the_demo(client, staff, settings):
    settings.ADMIN_REQUIRE_MFA = False
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_non_staff_are_refused_and_the_refusal_is_logged(client, user, caplog):
    client.force_login(user)
    with caplog.at_level(logging.WARNING, logger="restwell.security"):
        response = client.get("/admin/login/")
    assert response.status_code == 403
    assert f"permission denied user_id={user.pk}" in caplog.text


def test_failed_logins_are_logged_without_the_password(client, user, caplog):
    with caplog.at_level(logging.WARNING, logger="restwell.security"):
        client.post(reverse("account_login"), {"login": user.email, "password": "hunter2-wrong"})
    assert f"login failed user_id={user.pk} ip=127.0.0.1" in caplog.text
    assert "hunter2" not in caplog.text
    assert DEFAULT_PASSWORD not in caplog.text


def test_client_ip_is_read_behind_the_configured_proxies(client, user, caplog, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    with caplog.at_level(logging.WARNING, logger="restwell.security"):
        client.post(
            reverse("account_login"),
            {"login": user.email, "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    assert "ip=203.0.113.7" in caplog.text


def test_forwarded_for_is_ignored_without_trusted_proxies(client, user, caplog, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    with caplog.at_level(logging.WARNING, logger="restwell.security"):
        client.post(
            reverse("account_login"),
            {"login": user.email, "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    assert "ip=127.0.0.1" in caplog.text
