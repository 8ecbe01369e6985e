"""Who may use the API: a valid token of the right scope, never a session or a stale token."""

import datetime
import hashlib
import logging

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from api import errors, services
from api.models import PersonalAccessToken
from tests.api.conftest import ApiClient, bearer

NIGHTS = "/api/v1/nights/"
NIGHT = {"evening": "2026-11-20", "severity": 3, "sleep_quality": 4}
NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)


def _detail(response) -> str:
    return response.json()["detail"]


@pytest.mark.django_db
def test_no_token_is_401_with_a_plain_message(client):
    response = client.get(NIGHTS)
    assert response.status_code == 401
    assert _detail(response) == str(errors.NO_TOKEN)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "rw_abc"])
def test_a_malformed_authorization_header_is_401(client, header):
    response = client.get(NIGHTS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert _detail(response) == str(errors.NO_TOKEN)


@pytest.mark.django_db
@pytest.mark.parametrize("secret", ["rw_" + "x" * 43, "not-a-token", "rw_" + "é" * 300])
def test_an_unknown_token_is_401(client, secret):
    response = client.get(NIGHTS, **bearer(secret))
    assert response.status_code == 401
    assert _detail(response) == str(errors.UNKNOWN_TOKEN)


def test_a_revoked_token_is_401(api, write_token):
    assert api.get(NIGHTS).status_code == 200
    services.token_revoke(token=write_token[0])
    response = api.get(NIGHTS)
    assert response.status_code == 401
    assert _detail(response) == str(errors.REVOKED_TOKEN)


def test_an_expired_token_is_401_and_works_until_then(user):
    with time_machine.travel(NOW, tick=False):
        _token, secret = services.token_create(user=user, name="Old", scope="read", days=30)
    api = ApiClient(secret)
    with time_machine.travel(NOW + datetime.timedelta(days=30, seconds=-1), tick=False):
        assert api.get(NIGHTS).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        response = api.get(NIGHTS)
    assert response.status_code == 401
    assert _detail(response) == str(errors.EXPIRED_TOKEN)


def test_a_read_token_reads_but_cannot_write(read_api, user):
    assert read_api.get(NIGHTS).status_code == 200
    assert read_api.get("/api/v1/dashboard/").status_code == 200
    for path in (NIGHTS, "/api/v1/doses/"):
        response = read_api.post(path, NIGHT)
        assert response.status_code == 403
        assert _detail(response) == str(errors.READ_ONLY_TOKEN)
    assert not user.night_logs.exists()


def test_a_session_does_not_open_the_api(user_client):
    """Signed in on the web, but no token: the API does not know you (and so needs no CSRF)."""
    assert user_client.get(NIGHTS).status_code == 401
    assert user_client.post(NIGHTS, NIGHT, content_type="application/json").status_code == 401


def test_token_writes_need_no_csrf_token(write_token, user):
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            NIGHTS, NIGHT, content_type="application/json", **bearer(write_token[1])
        )
    assert response.status_code == 201
    assert user.night_logs.count() == 1


def test_only_a_hash_of_the_secret_is_stored(write_token):
    token, secret = write_token
    assert secret.startswith("rw_") and len(secret) >= 40
    stored = PersonalAccessToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:10]
    values = PersonalAccessToken.objects.filter(pk=token.pk).values().get()
    assert all(secret not in str(value) for value in values.values())


def test_last_used_is_recorded_at_most_once_a_minute(api, write_token, django_assert_num_queries):
    token = write_token[0]
    with time_machine.travel(NOW, tick=False):
        api.get(NIGHTS)
        token.refresh_from_db()
        assert token.last_used_at == NOW
    with time_machine.travel(NOW + datetime.timedelta(seconds=30), tick=False):
        # token lookup, count, page: no write
        with django_assert_num_queries(3):
            api.get(NIGHTS)
    token.refresh_from_db()
    assert token.last_used_at == NOW


def test_a_token_never_reaches_the_logs(client, write_token, caplog):
    caplog.set_level(logging.DEBUG)
    secret = write_token[1]
    client.get(NIGHTS, HTTP_AUTHORIZATION=f"Token {secret}")  # the wrong scheme
    client.get(f"{NIGHTS}?token={secret}", **bearer(secret + "x"))
    assert caplog.records
    assert all(secret not in record.getMessage() for record in caplog.records)


def test_the_log_redaction_cuts_api_tokens():
    from portal.logging import redact_link_tokens

    secret = "rw_" + "A1b2-_" * 7 + "z"
    line = f"GET /api/v1/nights/?t={secret} 401"
    assert redact_link_tokens(line) == "GET /api/v1/nights/?t=rw_[redacted] 401"


def test_a_revoked_token_stays_revoked_from_its_first_revocation(write_token):
    token = write_token[0]
    first = timezone.now() - datetime.timedelta(days=1)
    services.token_revoke(token=token, now=first)
    services.token_revoke(token=token)
    token.refresh_from_db()
    assert token.revoked_at == first


def test_a_deactivated_accounts_token_is_401(api, user):
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = api.get(NIGHTS)
    assert response.status_code == 401
    assert _detail(response) == str(errors.UNKNOWN_TOKEN)
