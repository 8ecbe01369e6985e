import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User

SIGNUP = {
    "email": "new@example.com",
    "password1": "a long enough passphrase",
    "password2": "a long enough passphrase",
    "display_name": "Alex",
    "time_zone": "America/New_York",
    "health_data_consent": "on",
}


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
    assert user.language == "en"  # the language the site was shown in: emails follow it
    assert not EmailAddress.objects.get(user=user).verified
    # Mandatory verification: not signed in until the link is followed.
    assert client.get(reverse("tracker:dashboard")).status_code == 302
    assert len(mail.outbox) == 1
    path = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body).group(0)
    client.post(path)
    assert EmailAddress.objects.get(user=user).verified


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
