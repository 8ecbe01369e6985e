"""Tracker pages render, show only their user's data, and a GET changes nothing.

Who may open each URL (anonymous → sign in, another user's id → 404) is the access matrix,
`tests/portal/test_access_matrix.py`."""

import pytest
from django.urls import reverse

from tracker.models import Dose, LabResult, NightLog, OtherMedicine

pytestmark = pytest.mark.django_db

PAGES = [
    ("tracker:dashboard", {}),
    ("tracker:log", {}),
    ("tracker:night_list", {}),
    ("tracker:night_new", {}),
    ("tracker:dose_list", {}),
    ("tracker:dose_new", {}),
    ("tracker:product", {}),
    ("tracker:medicines", {}),
    ("tracker:labs", {}),
    ("tracker:iron", {}),
    ("tracker:trial", {}),
    ("tracker:export_csv", {}),
    ("tracker:report", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_page_renders_for_a_new_user(user_client, name, kwargs):
    assert user_client.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_pages_render_with_data(user_client, night, dose, lab, medicine):
    for name, kwargs in PAGES:
        assert user_client.get(reverse(name, kwargs=kwargs)).status_code == 200, name
    for name, pk in (
        ("tracker:night_edit", night.pk),
        ("tracker:night_delete", night.pk),
        ("tracker:dose_edit", dose.pk),
        ("tracker:dose_delete", dose.pk),
        ("tracker:medicine_delete", medicine.pk),
        ("tracker:lab_delete", lab.pk),
    ):
        assert user_client.get(reverse(name, kwargs={"pk": pk})).status_code == 200, name


def test_another_users_data_never_shows(client, other_user, night, dose):
    client.force_login(other_user)
    for name in ("tracker:night_list", "tracker:dose_list", "tracker:dashboard"):
        response = client.get(reverse(name))
        assert reverse("tracker:night_edit", kwargs={"pk": night.pk}) not in response.text
        assert reverse("tracker:dose_edit", kwargs={"pk": dose.pk}) not in response.text
    csv = client.get(reverse("tracker:export_csv")).text
    assert night.evening.isoformat() not in csv


def test_get_never_deletes(user_client, night, dose, lab, medicine):
    user_client.get(reverse("tracker:night_delete", kwargs={"pk": night.pk}))
    user_client.get(reverse("tracker:dose_delete", kwargs={"pk": dose.pk}))
    assert user_client.get(reverse("tracker:lab_delete", kwargs={"pk": lab.pk})).status_code == 200
    assert (
        user_client.get(reverse("tracker:medicine_delete", kwargs={"pk": medicine.pk})).status_code
        == 200
    )
    assert user_client.get(reverse("tracker:dose_quick")).status_code == 405
    assert NightLog.objects.count() == Dose.objects.count() == 1
    assert LabResult.objects.count() == OtherMedicine.objects.count() == 1
