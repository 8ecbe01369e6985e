"""Ask for a PDF as a browser does, with the worker's task run in this process (eager).

The real worker is tests/tracker/test_pdf_jobs.py's business (and the e2e tests'); here the
tests read what a PDF says without starting one."""

from types import SimpleNamespace

from django.utils import timezone

from portal.celery import app
from tracker import pdf_jobs


def pdf_download(client, url: str, **extra):
    """The file's response, or the first answer that is not the way to the waiting page."""
    app.conf.task_always_eager = True
    try:
        start = client.get(url, **extra)
    finally:
        app.conf.task_always_eager = False
    if start.status_code != 303:
        return start
    page = start["Location"]
    return client.get(f"{page}file/", **extra)


def pdf_job_made(user):
    """A finished PDF of the user's report, made here (its id is the object's `pk`)."""
    evening = timezone.localdate(timezone=user.zone)
    job = pdf_jobs.pdf_job_start(owner_id=user.pk, link_id=None, start=evening, end=evening,
                                 paper="A4", enqueue=lambda job: None)  # fmt: skip
    pdf_jobs.pdf_job_render(job_id=job.id, html=lambda job: "<p>A report</p>")
    return SimpleNamespace(pk=job.id)
