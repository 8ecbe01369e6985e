"""Celery tasks for share links: they call a service or selector and return nothing."""

from celery import shared_task

from sharing import selectors
from tracker import pdf_jobs


@shared_task(name="sharing.tasks.share_pdf_make", **pdf_jobs.RENDER_TASK_OPTIONS)
def share_pdf_make_task(self, job_id: str) -> None:
    """Make the PDF a share link's reader asked for (tracker/pdf_jobs.py). The opaque job id
    only: the job names the link, whose range it renders while the link still opens. Safe to
    repeat, and waits its turn behind the owner's other render, as report_pdf_make does."""
    pdf_jobs.render_or_wait(self, job_id=job_id, html=selectors.share_report_pdf_html)
