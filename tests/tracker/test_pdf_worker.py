"""The PDF made by a real Celery worker (tests/conftest.py starts one on this run's queue),
through real Redis: the owner's download and a share link's, each polled to a real PDF."""

import datetime
import time

import pypdfium2
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sharing.services import share_create
from tests.factories import UserFactory
from tracker import services
from tracker.evening import evening_of

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_pdf(client, started) -> bytes:
    """Follow the waiting page's status, as its script does, and fetch the file."""
    assert started.status_code == 303, started.status_code
    page = started["Location"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        state = client.get(f"{page}status/").json()["state"]
        if state == "ready":
            break
        assert state in ("queued", "rendering"), state
        time.sleep(0.2)
    else:
        pytest.fail("the worker did not make the PDF within 90 s")
    response = client.get(f"{page}file/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_the_worker_makes_the_owners_pdf_and_the_share_links(celery_worker):
    user = UserFactory()
    tonight = evening_of(timezone.now(), user.zone, user.wake_time)
    for days in range(1, 8):
        services.night_log(user=user, evening=tonight - datetime.timedelta(days=days),
                           severity=days, sleep_quality=3, times={})  # fmt: skip
    owner = Client()
    owner.force_login(user)
    week_ago = (tonight - datetime.timedelta(days=7)).isoformat()
    # Another render of the owner's data holds the slot: the task waits its turn (retries).
    cache.set(f"pdf-render:{user.pk}", 1, 60)
    started = owner.get(f"/tracker/report.pdf?from={week_ago}&paper=letter")
    time.sleep(4)  # two retries at least
    assert owner.get(f"{started['Location']}status/").json() == {"state": "queued"}
    cache.delete(f"pdf-render:{user.pk}")
    pdf = wait_for_pdf(owner, started)
    document = pypdfium2.PdfDocument(pdf)
    assert pdf.startswith(b"%PDF-") and len(document) >= 1
    assert round(document[0].get_size()[0]) == 612  # US Letter, as asked

    week = {"start": tonight - datetime.timedelta(days=7), "end": tonight}
    _link, token = share_create(user=user, label="Dr Lee", now=timezone.now(), **week)
    reader = Client()
    reader.post(reverse("sharing:open", args=[token]))
    shared = wait_for_pdf(reader, reader.get(reverse("sharing:pdf", args=[token])))
    assert shared.startswith(b"%PDF-") and len(pypdfium2.PdfDocument(shared)) >= 1
