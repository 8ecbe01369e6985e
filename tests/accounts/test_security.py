from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD


def _signed_in_client(user) -> Client:
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_password_change_ends_other_sessions_and_notifies_by_email(user):
    phone, laptop = _signed_in_client(user), _signed_in_client(user)
    mail.outbox.clear()
    response = phone.post(
        reverse("account_change_password"),
        {"oldpassword": DEFAULT_PASSWORD, "password1": "a brand new passphrase",
         "password2": "a brand new passphrase"},
    )  # fmt: skip
    assert response.status_code == 302
    assert phone.get(reverse("tracker:dashboard")).status_code == 200  # this session stays
    assert laptop.get(reverse("tracker:dashboard")).status_code == 302  # the other one ends
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "password" in mail.outbox[0].subject.lower()


def test_sessions_page_lists_and_ends_my_other_sessions(user):
    phone, laptop = _signed_in_client(user), _signed_in_client(user)
    assert UserSession.objects.filter(user=user).count() == 2
    page = phone.get(reverse("usersessions_list"))
    assert page.status_code == 200
    response = phone.post(reverse("usersessions_list"))  # "Sign out other sessions"
    assert response.status_code == 302
    assert laptop.get(reverse("tracker:dashboard")).status_code == 302
    assert phone.get(reverse("tracker:dashboard")).status_code == 200


def test_email_change_needs_verification_of_the_new_address(user):
    client = _signed_in_client(user)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    mail.outbox.clear()
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "moved@example.com"}
    )
    assert response.status_code == 302
    assert any("moved@example.com" in m.to for m in mail.outbox)
    user.refresh_from_db()
    assert user.email != "moved@example.com"  # not until the new address is confirmed
