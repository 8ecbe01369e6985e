import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission

from reminders import dispatch
from reminders.models import Delivery
from tests.factories import UserFactory
from tests.reminders.conftest import DUE, evening_reminder

pytestmark = pytest.mark.django_db
URL = "/admin/reminders/delivery/"


def _staff(*perms):
    staff = UserFactory(is_staff=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    staff.user_permissions.set(Permission.objects.filter(codename__in=perms))
    return staff


@pytest.fixture
def log(db):
    users = [UserFactory() for _ in range(5)]
    for user in users:
        evening_reminder(user)
    dispatch.reminders_claim_due(now=DUE)
    Delivery.objects.filter(user=users[0]).update(status="skipped", reason="already_logged")
    return users


def test_staff_with_the_permission_see_the_log_without_health_data(
    client, log, django_assert_max_num_queries
):
    client.force_login(_staff("view_delivery"))
    # Constant in the number of rows (session, MFA, permissions, filters, one page query).
    with django_assert_max_num_queries(18):
        response = client.get(URL)
    assert response.status_code == 200
    for user in log:
        assert user.email in response.text
    assert "already_logged" not in response.text
    detail = client.get(f"{URL}{Delivery.objects.first().pk}/change/")
    assert detail.status_code == 200 and "already_logged" not in detail.text


def test_staff_without_the_permission_cannot(client, log):
    client.force_login(_staff("change_article"))
    assert client.get(URL).status_code == 403
