import json

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from accounts.export_registry import NOT_EXPORTED, registered_models
from accounts.models import User
from tests.factories import DEFAULT_PASSWORD


def _models_pointing_at_users() -> set[str]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is not None
                and field.related_model._meta.label == settings.AUTH_USER_MODEL
            ):
                found.add(model._meta.label_lower)
    return found | {"accounts.user"}


def test_every_model_that_stores_something_about_a_user_is_exported():
    forgotten = _models_pointing_at_users() - registered_models() - set(NOT_EXPORTED)
    assert forgotten == set(), (
        "Register an exporter in <app>/personal_data.py (or list it in NOT_EXPORTED with a "
        f"reason): {sorted(forgotten)}"
    )


def _owner_path(model) -> str:
    """The lookup from a registered model to its user: itself, `user`, or through a parent
    (an experiment's amendments belong to the experiment's user)."""
    if model is User:
        return "pk"
    names = {field.name: field for field in model._meta.get_fields()}
    if "user" in names:
        return "user"
    for field in names.values():
        if isinstance(field, models.ForeignKey) and any(
            f.name == "user" for f in field.related_model._meta.get_fields()
        ):
            return f"{field.name}__user"
    raise AssertionError(f"{model} has no path to its user")


def _sign_in(client, user):
    """Sign in and confirm the password again, as allauth asks before sensitive actions."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_export_asks_to_reauthenticate_first(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]


def test_export_downloads_everything_as_json(client, user):
    _sign_in(client, user)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)["data"]
    assert set(data) == registered_models()
    assert data["accounts.user"][0]["email"] == user.email
    assert data["account.emailaddress"] == [
        {"email": user.email, "verified": True, "primary": True}
    ]


def test_export_contains_nobody_else(client, user, other_user):
    _sign_in(client, user)
    assert other_user.email not in client.get(reverse("accounts:export")).text


def test_delete_asks_to_reauthenticate_first(client, user):
    client.force_login(user)
    assert client.post(reverse("accounts:delete"), {"confirm": "on"}).status_code == 302
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_needs_the_confirmation_box(client, user):
    _sign_in(client, user)
    response = client.post(reverse("accounts:delete"), {})
    assert response.status_code == 200
    assert "Tick the box to confirm." in response.text
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_removes_the_account_and_everything_it_owns(client, user, other_user):
    _sign_in(client, user)
    owned = [apps.get_model(label) for label in registered_models()]
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    for model in owned:
        assert not model.objects.filter(**{_owner_path(model): user.pk}).exists(), model
    assert User.objects.filter(pk=other_user.pk).exists()
    assert client.get(reverse("tracker:dashboard")).status_code == 302


@pytest.mark.parametrize("name", ["accounts:export", "accounts:delete", "accounts:profile"])
def test_account_pages_need_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
