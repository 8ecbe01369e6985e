"""The morning card's stomach question: asked once last night is saved, one tap an answer,
checked by the night form's own field; someone else's night is 404 and stays as it was."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tracker import services
from tracker.models import NightLog, Stomach

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 6, 30, tzinfo=datetime.UTC)  # 07:30 in London
LAST_NIGHT = datetime.date(2026, 6, 14)


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


def _quick_save(client):
    return client.post(
        reverse("tracker:night_new"),
        {"evening": LAST_NIGHT.isoformat(), "severity": "6", "sleep_quality": "2", "quick": "1"},
    )


def test_the_question_comes_after_the_two_taps_and_one_tap_answers_it(user_client, user, travel):
    before = user_client.get(reverse("tracker:dashboard")).text
    assert "Save last night" in before
    assert 'name="stomach"' not in before  # the two taps stay within reach: nothing added
    assert _quick_save(user_client)["Location"] == reverse("tracker:dashboard")
    night = NightLog.objects.get(user=user)
    url = reverse("tracker:night_stomach", kwargs={"pk": night.pk})
    text = user_client.get(reverse("tracker:dashboard")).text
    assert f'action="{url}"' in text
    assert text.count('name="stomach"') == len(Stomach.choices)  # one submit button an answer
    assert 'aria-pressed="true"' not in text  # not answered yet

    response = user_client.post(url, {"stomach": "loose"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("tracker:dashboard")
    assert "Noted for the night of 14 June 2026." in response.text
    assert 'value="loose" class="btn btn-outline-primary active" aria-pressed="true"' in (
        response.text
    )
    night.refresh_from_db()
    assert (night.stomach, night.severity, night.sleep_quality) == ("loose", 6, 2)

    user_client.post(url, {"stomach": "none"})  # a second tap changes the answer
    night.refresh_from_db()
    assert night.stomach == "none"


@pytest.mark.parametrize("value", ["maybe", "x" * 500])
def test_a_bad_answer_is_refused_with_the_forms_message(user_client, user, travel, value):
    _quick_save(user_client)
    night = NightLog.objects.get(user=user)
    response = user_client.post(
        reverse("tracker:night_stomach", kwargs={"pk": night.pk}), {"stomach": value}, follow=True
    )
    assert response.status_code == 200
    assert "Choose one of the answers about your stomach, or leave it empty." in response.text
    night.refresh_from_db()
    assert night.stomach == ""


def test_an_empty_answer_clears_it_and_get_is_not_allowed(user_client, user, travel):
    _quick_save(user_client)
    night = NightLog.objects.get(user=user)
    services.night_stomach_set(night=night, stomach="upset")
    url = reverse("tracker:night_stomach", kwargs={"pk": night.pk})
    assert user_client.get(url).status_code == 405
    user_client.post(url, {"stomach": ""})
    night.refresh_from_db()
    assert night.stomach == ""


def test_another_users_night_is_404_and_unchanged(client, user, other_user, travel):
    night = services.night_log(user=other_user, evening=LAST_NIGHT, severity=3, sleep_quality=3)
    client.force_login(user)
    url = reverse("tracker:night_stomach", kwargs={"pk": night.pk})
    assert client.post(url, {"stomach": "both"}).status_code == 404
    night.refresh_from_db()
    assert night.stomach == ""


def test_the_service_keeps_the_rule(user, travel):
    night = services.night_log(user=user, evening=LAST_NIGHT, severity=3, sleep_quality=3)
    with pytest.raises(ValidationError, match="answers about your stomach"):
        services.night_stomach_set(night=night, stomach="sometimes")
    services.night_stomach_set(night=night, stomach=Stomach.BOTH)
    night.refresh_from_db()
    assert night.stomach == "both"
