"""Celery tasks for the tracker: they call a service and return nothing."""

from celery import shared_task

from tracker import pdf_jobs, services


@shared_task(name="tracker.tasks.sleep_imports_purge", ignore_result=True)
def sleep_imports_purge_task() -> None:
    """Delete sleep-import suggestions past their week. Safe to repeat: it only removes rows
    already expired (the pages ignore them anyway)."""
    services.sleep_imports_purge()


@shared_task(name="tracker.tasks.idempotency_keys_purge", ignore_result=True)
def idempotency_keys_purge_task() -> None:
    """Delete stored answers to idempotency keys (API and web forms) older than 24 hours.
    Safe to repeat: it only removes rows already past the window (reads ignore them anyway)."""
    services.idempotency_keys_purge()


@shared_task(name="tracker.tasks.report_pdf_make", **pdf_jobs.RENDER_TASK_OPTIONS)
def report_pdf_make_task(self, job_id: str) -> None:
    """Make the PDF of a person's own report (tracker/pdf_jobs.py). Takes the job's opaque id
    only: the job record holds the range and paper. Safe to repeat: a finished job is left
    as it is, and rendering again writes the same report under the same id. While another
    of the owner's PDFs renders, it waits its turn (2 s, up to 90 times: the render slot
    frees itself after 120 s even if a worker died holding it)."""
    pdf_jobs.render_or_wait(self, job_id=job_id, html=pdf_jobs.own_report_html)
