"""A schema-driven fuzz run (schemathesis) of the API, driving the Django WSGI app directly.

Every operation of the generated OpenAPI schema gets valid and invalid requests (examples,
boundary "coverage" cases and random ones, with a fixed seed), signed with a write token of
a user who has a few nights and doses. Each answer must be no 500, a status the schema
declares for that operation, JSON, and a body that matches the schema.
"""

import datetime

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import ratelimit, services
from tracker import services as tracker_services

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())
schema.config.generation.update(modes=["positive", "negative"], max_examples=15, deterministic=True)
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def secret(user, other_user, monkeypatch):
    """A write token, some rows of the user's (and one of another user), no rate limit."""
    monkeypatch.setattr(ratelimit, "LIMITS", {"read": 10**6, "write": 10**6})
    start = datetime.date(2026, 1, 1)
    for i, owner in enumerate([user, user, user, other_user]):
        tracker_services.night_log(
            user=owner, evening=start + datetime.timedelta(days=i), severity=i, sleep_quality=3
        )
        tracker_services.dose_record(
            user=owner, taken_at=datetime.datetime(2026, 1, 1 + i, 21, tzinfo=datetime.UTC),
            form="glycinate", amount_mg=200, unit="elemental",
        )  # fmt: skip
    return services.token_create(user=user, name="Fuzz", scope="write", days=30)[1]


@pytest.fixture
def _one_connection():
    """The WSGI handler, unlike the test client, closes the connection after each request,
    which would end the test's transaction: keep it open, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@pytest.mark.django_db
def test_the_api_keeps_to_its_schema(case, secret, _one_connection):
    response = case.call(headers={"Authorization": f"Bearer {secret}"})
    case.validate_response(response, checks=CHECKS)
