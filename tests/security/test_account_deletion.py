"""Deleting an account leaves no row and no session.

Every model with a foreign-key path to the user (directly, or through a parent such as an
experiment's amendments or a share link's views) is found by introspection, has at least one
row for the user before (so a new model is noticed, not silently skipped) and none after.
Sessions end in whichever backend stores them. tests/accounts/ covers the page itself and the
database sessions after real sign-ins; this extends it to every model and every backend.
"""

import pytest
import time_machine
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import models
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.services import account_delete
from tests.factories import DEFAULT_PASSWORD
from tests.security.conftest import NOW, populate
from tracker.services.idempotency import idempotency_reserve

pytestmark = pytest.mark.django_db
# Models whose rows about a user only staff have; they are kept or detached on purpose.
STAFF_ONLY = {
    "admin.logentry": "the admin's history of staff actions (cascades with a staff account)",
    "articles.article": "author is SET_NULL: an article outlives the editor who wrote it",
    "articles.medicalreviewer": "a reviewer's public name outlives the login (PROTECT)",
    "articles.articleapproval": "an approval names its reviewer, not a login",
    "articles.reference": "an article's sources (reached through its author)",
    "articles.historicalarticle": "an article's revision history: history_user is SET_NULL, "
    "the version outlives the editor who saved it",
    "articles.historicalreference": "a reference's revision history (history_user SET_NULL)",
    "articles.reviewdigest": "the weekly review-due email sent to a medical reviewer "
    "(reached through the reviewer's profile)",
}


def _paths_to_user(model, depth=2, seen=()) -> list[str]:
    if model is User:
        return ["pk"]
    found = []
    for field in model._meta.get_fields():
        if (
            not isinstance(field, models.ForeignKey | models.OneToOneField)
            or field.related_model in seen
        ):
            continue
        if field.related_model._meta.label == settings.AUTH_USER_MODEL:
            found.append(f"{field.name}__pk")
        elif depth > 1:
            found += [
                f"{field.name}__{inner}"
                for inner in _paths_to_user(field.related_model, depth - 1, (*seen, model))
            ]
    return found


def _owned_models() -> dict[str, list[str]]:
    owned = {}
    for model in apps.get_models():
        paths = _paths_to_user(model)
        if paths and model is not User:
            owned[model._meta.label_lower] = paths
    return owned


def _rows_of(user_pk: int) -> dict[str, int]:
    counts = {}
    for label, paths in _owned_models().items():
        query = models.Q()
        for path in paths:
            query |= models.Q(**{path: user_pk})
        counts[label] = apps.get_model(label).objects.filter(query).count()
    return counts


def _signed_in(user) -> Client:
    """Signed in through the login form, as every sign-in in the product is (allauth records
    it as a UserSession, which is how deletion finds the sessions in any backend)."""
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("tracker:dashboard")).status_code == 200  # a real request
    return client


def test_deletion_leaves_no_row_of_any_model_that_points_at_the_user(user, other_user):
    with time_machine.travel(NOW, tick=False):
        world = populate(user, "deletion")
        populate(other_user, "bystander")
        idempotency_reserve(user=user, key="k-1", fingerprint="f", now=NOW)
        _signed_in(user)  # before the second factor exists
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
        EmailConfirmation.objects.create(
            email_address=EmailAddress.objects.get(user=user), key="k" * 64, sent=NOW
        )
    assert world["delivery"].pk
    before = _rows_of(user.pk)
    missing = {label for label, n in before.items() if n == 0} - set(STAFF_ONLY)
    assert not missing, f"give these rows in tests/security/conftest.populate: {missing}"
    others = _rows_of(other_user.pk)

    account_delete(user=user)

    left = {label: n for label, n in _rows_of(user.pk).items() if n}
    assert not left, f"rows left after deleting the account: {left}"
    assert _rows_of(other_user.pk) == others  # nobody else lost anything


# Every server-side session store Django ships. Not signed_cookies: allauth's user sessions
# (which end the other sessions at deletion) keep each session key in a 40-character column,
# and a signed cookie is longer — PostgreSQL refuses it at sign-in — so that backend cannot run
# this product at all.
@pytest.mark.parametrize(
    "engine",
    [f"django.contrib.sessions.backends.{name}" for name in ("db", "cache", "cached_db")],
)
def test_deletion_ends_every_session_whatever_the_backend(settings, user, other_user, engine):
    settings.SESSION_ENGINE = engine
    phone, laptop, bystander = _signed_in(user), _signed_in(user), _signed_in(other_user)
    keys = [c.cookies[settings.SESSION_COOKIE_NAME].value for c in (phone, laptop)]

    account_delete(user=user)

    for client in (phone, laptop):
        assert client.get(reverse("tracker:dashboard")).status_code == 302
    assert bystander.get(reverse("tracker:dashboard")).status_code == 200
    if engine.endswith(("db", "cache")):
        from importlib import import_module

        store = import_module(engine).SessionStore
        assert not [key for key in keys if store(session_key=key).exists(key)]
        assert not [
            s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
        ]
        assert not [key for key in keys if cache.get(f"django.contrib.sessions.cache{key}")]
