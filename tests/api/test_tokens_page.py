"""/accounts/tokens/: create (the secret shown once), list, revoke; export and deletion."""

import datetime

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.export_registry import export_for
from api import services
from api.models import PersonalAccessToken
from tests.api.conftest import ApiClient
from tracker.models import IdempotencyKey

PAGE = "/accounts/tokens/"


def _revoke_url(token) -> str:
    return reverse("api:token_revoke", args=[token.pk])


def test_the_page_needs_sign_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_account_menu_links_the_page(user_client):
    assert f'href="{PAGE}"' in user_client.get(reverse("accounts:profile")).text


def test_a_new_token_is_shown_once_and_works(user_client, user):
    response = user_client.post(PAGE, {"name": "Phone app", "scope": "write", "days": "90"})
    assert response.status_code == 200
    token = PersonalAccessToken.objects.get(user=user)
    secret = response.context["secret"]
    assert secret.startswith(token.prefix) and secret in response.text
    assert "only time it is shown" in response.text
    assert token.scope == "write" and token.name == "Phone app"
    assert token.expires_at - token.created_at == datetime.timedelta(days=90)
    assert "no-store" in response["Cache-Control"]
    listed = user_client.get(PAGE)
    assert secret not in listed.text
    assert f"{token.prefix}…" in listed.text and "Phone app" in listed.text
    assert ApiClient(secret).get("/api/v1/nights/").status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "scope": "read", "days": "30"}, "name", "Give the token a name"),
        (
            {"name": "x", "scope": "admin", "days": "30"},
            "scope",
            "Choose one of the options shown.",
        ),
        ({"name": "x", "scope": "read", "days": "7"}, "days", "Choose one of the options shown."),
        ({"name": "x", "scope": "read"}, "days", "Choose when the token expires."),
    ],
)
def test_a_wrong_form_says_why_and_creates_nothing(user_client, user, data, field, message):
    response = user_client.post(PAGE, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["secret"] is None
    assert not PersonalAccessToken.objects.filter(user=user).exists()


def test_revoke_is_a_post_and_stops_the_token(user_client, user):
    token, secret = services.token_create(user=user, name="Script", scope="read", days=30)
    assert user_client.get(_revoke_url(token)).status_code == 405
    response = user_client.post(_revoke_url(token))
    assert response.status_code == 302 and response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(secret).get("/api/v1/nights/").status_code == 401
    assert "Revoked on" in user_client.get(PAGE).text


def test_another_users_token_cannot_be_revoked(user_client, other_user):
    token, _secret = services.token_create(user=other_user, name="Theirs", scope="read", days=30)
    assert user_client.post(_revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "Theirs" not in user_client.get(PAGE).text


def test_the_page_lists_in_a_fixed_number_of_queries(
    user_client, user, django_assert_max_num_queries
):
    for i in range(12):
        services.token_create(user=user, name=f"Token {i}", scope="read", days=30)
    with django_assert_max_num_queries(12):
        response = user_client.get(PAGE)
    assert response.text.count("Revoke") >= 12


def test_the_export_lists_tokens_without_secrets(user):
    token, secret = services.token_create(user=user, name="Phone", scope="write", days=30)
    exported = export_for(user)["data"]["api.personalaccesstoken"]
    assert exported == [
        {
            "name": "Phone",
            "starts_with": token.prefix,
            "scope": "write",
            "created_at": token.created_at.isoformat(),
            "expires_at": token.expires_at.isoformat(),
            "last_used_at": None,
            "revoked_at": None,
        }
    ]
    assert token.token_hash not in str(exported) and secret not in str(exported)


def test_deleting_the_account_deletes_its_tokens_and_stored_answers(user, other_user):
    token, _secret = services.token_create(user=user, name="Phone", scope="write", days=30)
    services.token_create(user=other_user, name="Theirs", scope="write", days=30)
    IdempotencyKey.objects.create(user=user, key="k", fingerprint="f", status_code=201, body={})
    account_services.account_delete(user=user)
    assert not PersonalAccessToken.objects.filter(pk=token.pk).exists()
    assert not IdempotencyKey.objects.exists()
    assert PersonalAccessToken.objects.filter(user=other_user).count() == 1
