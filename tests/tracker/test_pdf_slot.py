"""One PDF at a time per person: parallel downloads cannot take every web worker."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tracker.pdf import one_pdf_at_a_time

pytestmark = pytest.mark.django_db


def test_a_second_pdf_while_one_is_being_made_is_asked_to_wait(user_client, user):
    with one_pdf_at_a_time(user.pk) as free:  # another request of the same user, mid-render
        assert free
        response = user_client.get(reverse("tracker:report_pdf"))
    assert response.status_code == 429
    assert response["Retry-After"] == "10"
    assert "still being made" in response.text
    after = user_client.get(reverse("tracker:report_pdf"))
    assert after.status_code == 200 and after["Content-Type"] == "application/pdf"


def test_another_persons_render_does_not_block_mine(user_client, other_user):
    with one_pdf_at_a_time(other_user.pk):
        assert user_client.get(reverse("tracker:report_pdf")).status_code == 200


def test_the_slot_is_given_back_when_a_render_fails(user):
    with pytest.raises(RuntimeError):
        with one_pdf_at_a_time(user.pk):
            raise RuntimeError("weasyprint fell over")
    assert cache.get(f"pdf-render:{user.pk}") is None


def test_without_redis_the_pdf_is_still_made(user_client, stop_redis):
    log = stop_redis()
    response = user_client.get(reverse("tracker:report_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "without the one-at-a-time limit" in log.text
