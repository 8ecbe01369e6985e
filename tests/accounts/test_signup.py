import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.conftest import clear_run_cache

SIGNUP = {
    "email": "new@example.com",
    "password1": "a long enough passphrase",
    "display_name": "Alex",
    "time_zone": "America/New_York",
    "health_data_consent": "on",
    "adult": "on",
}


@pytest.mark.django_db
def test_signup_needs_the_18_or_older_box(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "adult": ""})
    assert response.status_code == 200
    assert "Restwell accounts are for adults. Tick the box to confirm you are 18 or older." in (
        response.text
    )
    assert "the 350 mg upper level" in response.text  # the reason, beside the box
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_needs_explicit_health_data_consent(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "health_data_consent": ""})
    assert response.status_code == 200
    assert "cannot keep a sleep and symptom log without your consent" in response.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_rejects_an_unknown_time_zone(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_records_zone_consent_and_requires_verification(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.time_zone == "America/New_York"
    assert user.display_name == "Alex"
    assert user.health_data_consent_at is not None
    assert user.adult_confirmed_at == user.health_data_consent_at
    assert user.language == "en"  # the language the site was shown in: emails follow it
    assert not EmailAddress.objects.get(user=user).verified
    # Mandatory verification: not signed in until the link is followed.
    assert client.get(reverse("tracker:dashboard")).status_code == 302
    assert len(mail.outbox) == 1
    path = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body).group(0)
    response = client.post(path)
    assert EmailAddress.objects.get(user=user).verified
    # The same browser is signed in by the link, and lands on the one-time onboarding.
    assert response["Location"] == reverse("reminders:onboarding")
    assert client.get(reverse("tracker:dashboard")).status_code == 200


@pytest.mark.django_db
def test_the_link_followed_on_another_device_confirms_but_does_not_sign_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    path = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body).group(0)
    other_device = type(client)()
    other_device.post(path)
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified
    assert other_device.get(reverse("tracker:dashboard")).status_code == 302


@pytest.mark.django_db
def test_signup_asks_for_the_password_once_in_our_words(client):
    page = client.get(reverse("account_signup")).text
    assert "Create your account" in page and "Sign Up" not in page
    assert page.count('type="password"') == 1


@pytest.mark.django_db
def test_a_new_confirmation_link_can_be_asked_for(client):
    client.post(reverse("account_signup"), SIGNUP)
    page = client.get(reverse("account_email_verification_sent")).text
    assert reverse("accounts:verification_resend") in page
    mail.outbox.clear()
    clear_run_cache()  # past the cooldown that followed the sign-up's own email
    response = client.post(reverse("accounts:verification_resend"), {"email": "NEW@example.com"})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    # Asking again at once sends nothing more (allauth's cooldown), with the same answer.
    again = client.post(reverse("accounts:verification_resend"), {"email": "new@example.com"})
    assert again["Location"] == response["Location"] and len(mail.outbox) == 1


@pytest.mark.django_db
def test_resending_reveals_nothing_about_who_has_an_account(client, user):
    unknown = client.post(reverse("accounts:verification_resend"), {"email": "nobody@example.com"})
    verified = client.post(reverse("accounts:verification_resend"), {"email": user.email})
    assert unknown["Location"] == verified["Location"] == reverse("account_email_verification_sent")
    assert not mail.outbox


@pytest.mark.django_db
def test_resending_with_a_bad_address_says_what_to_do(client):
    response = client.post(reverse("accounts:verification_resend"), {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter an email address like name@example.com." in response.text


@pytest.mark.django_db
def test_signup_page_links_to_the_privacy_notice(client):
    assert reverse("privacy") in client.get(reverse("account_signup")).text


@pytest.mark.django_db
def test_password_reset_does_not_reveal_whether_an_account_exists(client, user):
    known = client.post(reverse("account_reset_password"), {"email": user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


@pytest.mark.django_db
def test_login_is_rate_limited(client, user):
    statuses = [
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
        for _ in range(12)
    ]
    assert any(r.status_code == 429 or "Too many failed login attempts" in r.text for r in statuses)
