"""Celery tasks for share links: they call a service or selector and return nothing."""

from celery import shared_task

from portal.fallback_cache import UNREACHABLE
from sharing import selectors
from tracker import pdf_jobs


@shared_task(
    name="sharing.tasks.share_pdf_make",
    bind=True,
    ignore_result=True,
    autoretry_for=UNREACHABLE,
    retry_backoff=True,
    max_retries=90,
)
def share_pdf_make_task(self, job_id: str) -> None:
    """Make the PDF a share link's reader asked for (tracker/pdf_jobs.py). The opaque job id
    only: the job names the link, whose range it renders while the link still opens. Safe to
    repeat, and waits its turn behind the owner's other render, as report_pdf_make does."""
    try:
        pdf_jobs.pdf_job_render(job_id=job_id, html=selectors.share_report_pdf_html)
    except pdf_jobs.SlotBusy as busy:
        raise self.retry(countdown=2, exc=busy) from busy
