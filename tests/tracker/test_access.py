"""Every tracker URL: anonymous → login; another user's ids → 404; GET changes nothing."""

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
def test_anonymous_visitors_are_sent_to_sign_in(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize(
    "name",
    [
        "tracker:night_edit",
        "tracker:night_delete",
        "tracker:dose_edit",
        "tracker:dose_delete",
        "tracker:medicine_delete",
        "tracker:lab_delete",
    ],
)
def test_anonymous_visitors_cannot_reach_objects(client, name):
    response = client.post(reverse(name, kwargs={"pk": 1}))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_anonymous_cannot_one_tap_or_download_the_pdf(client):
    for name in ("tracker:dose_quick", "tracker:report_pdf"):
        response = (
            client.post(reverse(name))
            if name == "tracker:dose_quick"
            else client.get(reverse(name))
        )
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


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


def test_another_users_objects_are_404(client, other_user, night, dose, lab, medicine):
    client.force_login(other_user)
    for name, pk in (
        ("tracker:night_edit", night.pk),
        ("tracker:night_delete", night.pk),
        ("tracker:dose_edit", dose.pk),
        ("tracker:dose_delete", dose.pk),
        ("tracker:medicine_delete", medicine.pk),
        ("tracker:lab_delete", lab.pk),
    ):
        url = reverse(name, kwargs={"pk": pk})
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"severity": 1, "sleep_quality": 1}).status_code == 404, name
    assert NightLog.objects.filter(pk=night.pk).exists()
    assert Dose.objects.filter(pk=dose.pk).exists()
    assert OtherMedicine.objects.filter(pk=medicine.pk).exists()
    assert LabResult.objects.filter(pk=lab.pk).exists()


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
