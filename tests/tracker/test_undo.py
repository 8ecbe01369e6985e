"""Undo right after a one-tap dose: a POST form in the confirmation, for a few minutes."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tracker import services
from tracker.models import Dose
from tracker.services.doses import UNDO_WINDOW

pytestmark = pytest.mark.django_db

TAPPED_AT = datetime.datetime(2026, 11, 30, 22, 31, tzinfo=datetime.UTC)


@pytest.fixture
def product(user):
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")


def tap(client):
    return client.post(reverse("tracker:dose_quick"), follow=True)


def test_the_confirmation_offers_undo_without_javascript(user_client, user, product):
    with time_machine.travel(TAPPED_AT, tick=False):
        page = tap(user_client).text
    dose = Dose.objects.get(user=user)
    assert "Dose logged: 200 mg elemental at 22:31." in page
    undo_url = reverse("tracker:dose_undo", kwargs={"pk": dose.pk})
    assert f'<form method="post" action="{undo_url}"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_undo_removes_the_dose_just_logged(client, user, product):
    client.force_login(user)
    client.handler.enforce_csrf_checks = True  # the form in the message carries its token
    with time_machine.travel(TAPPED_AT, tick=False):
        page = tap_with_csrf(client)
        token = page.split('name="csrfmiddlewaretoken" value="', 2)[-1].split('"', 1)[0]
        dose = Dose.objects.get(user=user)
    with time_machine.travel(TAPPED_AT + UNDO_WINDOW - datetime.timedelta(seconds=1), tick=False):
        response = client.post(
            reverse("tracker:dose_undo", kwargs={"pk": dose.pk}),
            {"csrfmiddlewaretoken": token},
            follow=True,
        )
    assert response.status_code == 200
    assert "Undone: the 200 mg dose is removed." in response.text
    assert not Dose.objects.filter(user=user).exists()


def tap_with_csrf(client) -> str:
    dashboard = client.get(reverse("tracker:dashboard")).text
    token = dashboard.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    return client.post(
        reverse("tracker:dose_quick"), {"csrfmiddlewaretoken": token}, follow=True
    ).text


def test_too_late_to_undo_keeps_the_dose_and_says_where_to_go(user_client, user, product):
    with time_machine.travel(TAPPED_AT, tick=False):
        tap(user_client)
    dose = Dose.objects.get(user=user)
    with time_machine.travel(TAPPED_AT + UNDO_WINDOW + datetime.timedelta(seconds=1), tick=False):
        response = user_client.post(
            reverse("tracker:dose_undo", kwargs={"pk": dose.pk}), follow=True
        )
    assert "too late to undo" in response.text and "list of doses" in response.text
    assert Dose.objects.filter(pk=dose.pk).exists()


def test_a_get_never_undoes(user_client, user, product):
    tap(user_client)
    dose = Dose.objects.get(user=user)
    assert user_client.get(reverse("tracker:dose_undo", kwargs={"pk": dose.pk})).status_code == 405
    assert Dose.objects.filter(pk=dose.pk).exists()


def test_undo_is_only_offered_after_a_one_tap_dose(user_client, user, product):
    with time_machine.travel(TAPPED_AT, tick=False):
        response = user_client.post(
            reverse("tracker:dose_new"),
            {
                "taken_at": "2026-11-30T22:00",
                "form": "glycinate",
                "amount_mg": "200",
                "unit": "elemental",
                "note": "",
            },
            follow=True,
        )
    assert "Dose logged: 200 mg elemental at 22:00." in response.text
    assert "/undo/" not in response.text


@pytest.mark.django_db(transaction=True)  # outside a test's transaction, as in production
def test_one_tap_costs_seven_statements_and_no_savepoint(user_client, user, product):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user_client.get(reverse("tracker:dashboard"))  # the session's first request
    with CaptureQueriesContext(connection) as captured:
        assert user_client.post(reverse("tracker:dose_quick")).status_code == 302
    sql = [query["sql"] for query in captured.captured_queries]
    assert not any("SAVEPOINT" in statement for statement in sql), sql
    # Session, user, "My magnesium", the insert, the day's doses, the iron product and other
    # medicines in one (the safety notes), the session's flash message; transaction control
    # aside.
    statements = [s for s in sql if not s.upper().startswith(("BEGIN", "COMMIT", "RELEASE"))]
    assert len(statements) == 7, statements
