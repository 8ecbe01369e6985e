"""The PDF made by a worker (tracker/pdf_jobs.py): the request answers at once with a page
that waits; reuse, one render at a time per person, fresh data, who may fetch the file, and
what the page says when the worker or Redis is down. No worker here: the task is replaced
(its message is checked) or run in this process; tests/tracker/test_pdf_worker.py runs one."""

import datetime
import logging
import re
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from kombu.exceptions import OperationalError

from tests.factories import UserFactory
from tests.pdf_download import pdf_download
from tracker import pdf_jobs, services
from tracker.pdf import one_pdf_at_a_time

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 19, 0, tzinfo=datetime.UTC)
PDF_URL = "/tracker/report.pdf"  # the contract's URL, as links and bookmarks have it
TASK = "tracker.views.reports.report_pdf_make_task"


@pytest.fixture
def queued(user_client):
    """Ask for the PDF with no worker: returns (the answer, the task mock)."""

    def ask(query: str = "", client=None):
        with mock.patch(TASK) as task:
            response = (client or user_client).get(f"{PDF_URL}{query}")
        return response, task

    return ask


def job_id_of(response) -> str:
    return re.fullmatch(r"/tracker/pdf/([\w-]+)/", response["Location"]).group(1)


def test_asking_answers_at_once_with_a_page_that_waits(user_client, queued):
    with time_machine.travel(NOW, tick=False):
        response, task = queued("?from=2026-06-01&to=2026-06-10&paper=letter")
        job = job_id_of(response)
        page = user_client.get(response["Location"])
        status = user_client.get(reverse("tracker:pdf_job_status", args=[job]))
        early = user_client.get(reverse("tracker:pdf_job_file", args=[job]))
    assert response.status_code == 303
    task.delay.assert_called_once_with(job)  # the opaque id only: no figures in the queue
    assert page.status_code == 200 and "Making your PDF" in page.text
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page.text
    assert "js/pdf-wait.js" in page.text and "<script>" not in page.text  # CSP: no inline
    assert f'href="{response["Location"]}"' in page.text  # "Check again", without JS
    assert "no-store" in page["Cache-Control"] and "no-store" in status["Cache-Control"]
    assert status.json() == {"state": "queued"}
    assert early.status_code == 302 and early["Location"] == response["Location"]
    record = cache.get(f"pdf-job:{job}")
    assert set(record) == {"id", "owner", "link", "start", "end", "paper", "state", "created",
                           "started"}  # fmt: skip
    assert (record["start"], record["end"], record["paper"]) == (
        "2026-06-01",
        "2026-06-10",
        "letter",
    )


def test_the_same_report_asked_twice_while_it_waits_is_one_job(queued):
    with time_machine.travel(NOW, tick=False):
        first, _task = queued("?from=2026-06-01")
        second, task = queued("?from=2026-06-01")
    assert job_id_of(first) == job_id_of(second)
    task.delay.assert_not_called()


def test_another_report_while_one_is_being_made_is_asked_to_wait(queued):
    with time_machine.travel(NOW, tick=False):
        queued("?from=2026-06-01")
        busy, task = queued("?from=2026-05-01")
    assert busy.status_code == 429 and busy["Retry-After"] == "10"
    assert "still being made" in busy.text
    task.delay.assert_not_called()


def test_a_render_under_way_is_reused_only_for_a_moment(user, queued):
    with time_machine.travel(NOW, tick=False) as clock:
        job = job_id_of(queued()[0])
        record = cache.get(f"pdf-job:{job}")
        record |= {"state": pdf_jobs.RENDERING, "started": NOW.timestamp()}
        cache.set(f"pdf-job:{job}", record, 600)
        clock.shift(pdf_jobs.REUSE_SECONDS)
        assert job_id_of(queued()[0]) == job  # a double click
        clock.shift(1)
        # It may have read the log before a night saved since: wait for a fresh one.
        assert queued()[0].status_code == 429


def test_a_pdf_asked_after_a_new_night_includes_it(user, user_client):
    given = []

    def capture(html, paper=""):
        given.append(html)
        return b"%PDF-1.7 fake"

    with (
        time_machine.travel(NOW, tick=False),
        mock.patch("tracker.pdf_jobs.report_pdf_bytes", side_effect=capture),
    ):
        first = pdf_download(user_client, PDF_URL)
        services.night_log(user=user, evening=datetime.date(2026, 6, 14), severity=7,
                           sleep_quality=2, times={})  # fmt: skip
        second = pdf_download(user_client, PDF_URL)
    assert first.content == second.content == b"%PDF-1.7 fake"
    assert len(given) == 2  # rendered again, not the finished file of a moment ago
    assert given[0] != given[1]


def test_another_persons_job_is_404_whatever_the_method(user_client, queued):
    with time_machine.travel(NOW, tick=False):
        job = job_id_of(queued()[0])
        pdf_jobs.pdf_job_render(job_id=job, html=lambda job: "<p>x</p>")
        other = Client()
        other.force_login(UserFactory())
        for name in ("tracker:pdf_job", "tracker:pdf_job_status", "tracker:pdf_job_file"):
            url = reverse(name, args=[job])
            assert other.get(url).status_code == 404, name
            assert other.post(url).status_code == 404, name
            assert user_client.get(url).status_code == 200, name
            assert Client().get(url).status_code == 302  # anonymous: sign in
        missing = reverse("tracker:pdf_job", args=["no-such-job"])
        assert user_client.get(missing).status_code == 404


def test_the_finished_file_is_a_pdf_and_the_page_starts_its_download(user_client, queued):
    with time_machine.travel(NOW, tick=False):
        response, _task = queued("?from=2026-06-10&to=2026-06-14")
        job = job_id_of(response)
        pdf_jobs.pdf_job_render(job_id=job, html=pdf_jobs.own_report_html)
        page = user_client.get(response["Location"])
        file = user_client.get(reverse("tracker:pdf_job_file", args=[job]))
    file_url = reverse("tracker:pdf_job_file", args=[job])
    assert "Your PDF is ready" in page.text
    assert f'<noscript><meta http-equiv="refresh" content="0; url={file_url}">' in page.text
    assert file["Content-Type"] == "application/pdf" and file.content.startswith(b"%PDF-")
    assert file["Content-Disposition"] == (
        'attachment; filename="restwell-report-2026-06-10-2026-06-14.pdf"'
    )
    assert "no-store" in file["Cache-Control"]


def test_a_job_no_worker_takes_says_so_and_a_retry_starts_anew(user_client, queued):
    with time_machine.travel(NOW, tick=False) as clock:
        response, _task = queued("?from=2026-06-10")
        clock.shift(pdf_jobs.STUCK_SECONDS + 1)
        page = user_client.get(response["Location"])
        status = user_client.get(reverse("tracker:pdf_job_status", args=[job_id_of(response)]))
        again, task = queued("?from=2026-06-10")
    assert "has not started yet" in page.text and "not answering" in page.text
    assert 'href="/tracker/report.pdf?from=2026-06-10&amp;to=2026-06-15"' in page.text
    assert "/tracker/report/?from=2026-06-10" in page.text  # the printable page instead
    assert status.json() == {"state": "stuck"}
    assert again.status_code == 303 and job_id_of(again) != job_id_of(response)
    task.delay.assert_called_once()


def test_a_failed_render_says_so_with_a_retry(user_client, queued, caplog):
    def broken(job):
        raise ValueError("Legs 9/10 on 14 June")  # whatever it says stays out of the log

    caplog.set_level(logging.INFO)
    with time_machine.travel(NOW, tick=False):
        response, _task = queued()
        job = job_id_of(response)
        pdf_jobs.pdf_job_render(job_id=job, html=broken)
        page = user_client.get(response["Location"])
        again, task = queued()
    assert page.status_code == 200 and "could not be made" in page.text
    assert "Try again" in page.text
    assert f"PDF job {job} failed: ValueError" in caplog.text
    assert "Legs" not in caplog.text
    assert again.status_code == 303 and job_id_of(again) != job  # a failed job is not reused


def test_a_render_waits_for_the_owners_slot_and_is_safe_to_repeat(user, queued):
    with time_machine.travel(NOW, tick=False):
        job = job_id_of(queued()[0])
        with one_pdf_at_a_time(user.pk), pytest.raises(pdf_jobs.SlotBusy):
            pdf_jobs.pdf_job_render(job_id=job, html=pdf_jobs.own_report_html)
        pdf_jobs.pdf_job_render(job_id=job, html=lambda job: "<p>first</p>")
        made = cache.get(f"pdf-file:{job}")
        pdf_jobs.pdf_job_render(job_id=job, html=lambda job: "<p>again</p>")  # redelivered
    assert cache.get(f"pdf-file:{job}") == made
    assert cache.get(f"pdf-render:{user.pk}") is None  # the slot was given back


def test_the_slot_is_given_back_when_a_render_fails(user):
    with pytest.raises(RuntimeError):
        with one_pdf_at_a_time(user.pk):
            raise RuntimeError("weasyprint fell over")
    assert cache.get(f"pdf-render:{user.pk}") is None


def test_with_redis_down_the_page_says_so_and_nothing_is_rendered(user_client, stop_redis):
    log = stop_redis()
    with mock.patch(TASK) as task, mock.patch("tracker.pdf_jobs.report_pdf_bytes") as render:
        response = user_client.get(f"{PDF_URL}?from=2026-06-10")
        page = user_client.get(reverse("tracker:pdf_job", args=["some-job"]))
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "PDFs cannot be made right now" in response.text
    assert 'href="/tracker/report.pdf?from=2026-06-10"' in response.text  # try again
    assert "Save as PDF" in response.text
    assert page.status_code == 503
    task.delay.assert_not_called()
    render.assert_not_called()
    assert not [record for record in log.records if record.exc_info]


def test_with_the_broker_down_the_page_says_so_and_a_retry_works_later(user_client):
    with mock.patch(TASK) as task:
        task.delay.side_effect = OperationalError("Error 111 connecting to 127.0.0.1:6379")
        down = user_client.get(PDF_URL)
    assert down.status_code == 503 and "PDFs cannot be made right now" in down.text
    with mock.patch(TASK):
        assert user_client.get(PDF_URL).status_code == 303  # not "busy" with a dead job


def test_bad_input_asks_for_the_default_report_never_an_error(user_client, queued):
    with time_machine.travel(NOW, tick=False):
        response, _task = queued("?from=2026-13-45&to=yesterday&paper=<b>")
        record = cache.get(f"pdf-job:{job_id_of(response)}")
    assert response.status_code == 303
    assert (record["start"], record["end"], record["paper"]) == ("2026-05-17", "2026-06-15", "A4")
