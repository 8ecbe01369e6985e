"""PDF reports made by a Celery worker: the job, its state and the finished file, in Redis.

A year's PDF takes seconds of CPU (WeasyPrint). Asking for it starts a job and answers at
once with a page that waits for it; a worker renders it; the file is kept for JOB_SECONDS
under a random job id and given only to whoever may read the report it came from (the owner
signed in, or the reader of the unlocked share link: `link` in the job).

What the job record holds: ids, the evenings' range and the paper size. Never a figure of
the report: the record and the queue message are readable by anyone with Redis access.

Reuse and freshness. The render reads the log when it starts, so a job not yet started
includes everything saved before it runs: asking again for the same report then reuses it.
A job already rendering is reused only within REUSE_SECONDS of its start (a double click,
two tabs); later, a new night may have been saved since it read the log, so the person is
asked to wait a moment and gets a fresh render. A finished job is never reused for a new
request. (A "data stamp" over every table the report reads — nights, doses, labs, the trial,
medicines, the experiment — would need an updated_at or a counter on each; the rule above
needs none and costs at most one extra render.)

One render at a time per person: a new request while that person's latest job is still in
flight (for another range, or stale) answers "being made, try again in a moment", and the
worker takes the owner's render slot (tracker/pdf.py) so even a redelivered task cannot run
two renders of one person's data side by side.
"""

import datetime
import logging
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from portal.fallback_cache import UNREACHABLE
from tracker.pdf import one_pdf_at_a_time, report_pdf_bytes, report_pdf_html

logger = logging.getLogger(__name__)

JOB_SECONDS = 10 * 60  # how long a job and its file are kept: enough to download, no more
REUSE_SECONDS = 5  # a rendering job is reused this long after it started (double clicks)
# A queued job no worker took within this long: the page says the PDF maker may be down.
STUCK_SECONDS = 30
# Past the task's hard time limit (CELERY_TASK_TIME_LIMIT), a "rendering" job is dead.
RENDER_DEAD_SECONDS = 330

QUEUED, RENDERING, READY, FAILED = "queued", "rendering", "ready", "failed"
STUCK = "stuck"  # shown, never stored: queued for longer than STUCK_SECONDS


# The Celery options of both render tasks (tracker's and sharing's): Redis unreachable is
# retried with backoff, and a busy render slot is waited out in 2 s steps (render_or_wait),
# up to 90 times: the slot frees itself after 120 s even if a worker died holding it.
RENDER_TASK_OPTIONS = {
    "bind": True,
    "ignore_result": True,
    "autoretry_for": UNREACHABLE,
    "retry_backoff": True,
    "max_retries": 90,
}


class PdfBusy(Exception):
    """Another PDF of this person's data is being made right now."""


class PdfUnavailable(Exception):
    """Redis (the job store and Celery's broker) cannot be reached: no job can be started."""


class SlotBusy(Exception):
    """In the worker: the owner's render slot is taken; the task retries shortly."""


@dataclass
class PdfJob:
    id: str
    owner: int  # the user whose data the report shows
    link: int | None  # the share link it was asked through; None: the owner, signed in
    start: str  # ISO dates of the evenings covered
    end: str
    paper: str  # "A4" or "letter"
    state: str
    created: float  # epoch seconds
    started: float | None = None

    def shown_state(self, now: float) -> str:
        if self.state == QUEUED and now - self.created > STUCK_SECONDS:
            return STUCK
        if self.state == RENDERING and now - (self.started or self.created) > RENDER_DEAD_SECONDS:
            return FAILED
        return self.state

    def same_report(self, *, owner: int, link: int | None, start, end, paper) -> bool:
        return (self.owner, self.link, self.start, self.end, self.paper) == (
            owner,
            link,
            start,
            end,
            paper,
        )

    @property
    def filename(self) -> str:
        return f"restwell-report-{self.start}-{self.end}.pdf"


def _job_key(job_id: str) -> str:
    return f"pdf-job:{job_id}"


def _file_key(job_id: str) -> str:
    return f"pdf-file:{job_id}"


def _latest_key(owner_id: int) -> str:
    return f"pdf-latest:{owner_id}"


def now_epoch() -> float:
    return timezone.now().timestamp()  # time-machine moves it in tests


def paper_of(value: str) -> str:
    return "letter" if value == "letter" else "A4"


def _load(job_id: str) -> PdfJob | None:
    data = cache.get(_job_key(job_id))
    return PdfJob(**data) if data else None


def _save(job: PdfJob) -> None:
    cache.set(_job_key(job.id), asdict(job), JOB_SECONDS)


def pdf_job_start(
    *,
    owner_id: int,
    link_id: int | None,
    start: datetime.date,
    end: datetime.date,
    paper: str,
    enqueue: Callable[[PdfJob], None],
) -> PdfJob:
    """The job that makes this PDF: one in the making for the same report, or a new one.

    Raises PdfBusy while another of the owner's PDFs is being made, PdfUnavailable when
    Redis or the broker cannot be reached (nothing is left half-started then).
    """
    now = now_epoch()
    report = {"owner": owner_id, "link": link_id, "start": start.isoformat()}
    report |= {"end": end.isoformat(), "paper": paper_of(paper)}
    try:
        latest_id = cache.get(_latest_key(owner_id))
        latest = _load(latest_id) if latest_id else None
        if latest is not None:
            state = latest.shown_state(now)
            if latest.same_report(**report) and (
                state == QUEUED
                or (state == RENDERING and now - (latest.started or now) <= REUSE_SECONDS)
            ):
                return latest
            if state in (QUEUED, RENDERING):
                raise PdfBusy
        job = PdfJob(id=secrets.token_urlsafe(16), state=QUEUED, created=now, **report)
        _save(job)
        cache.set(_latest_key(owner_id), job.id, JOB_SECONDS)
    except UNREACHABLE as error:
        logger.warning("Redis unreachable: no PDF can be started")
        raise PdfUnavailable from error
    try:
        enqueue(job)
    except (BrokerError, *UNREACHABLE) as error:
        logger.warning("Celery's broker unreachable: PDF job %s not started", job.id)
        try:
            cache.delete_many([_job_key(job.id), _latest_key(owner_id)])
        except UNREACHABLE:
            pass  # both expire by themselves
        raise PdfUnavailable from error
    return job


def pdf_job_get(*, job_id: str, owner_id: int | None, link_id: int | None) -> PdfJob | None:
    """The job, if it exists and the asker may see it: the owner signed in (owner_id, no
    link), or the reader of the share link it was made through (link_id). Else None.

    Raises PdfUnavailable when Redis cannot be reached."""
    try:
        job = _load(job_id)
    except UNREACHABLE as error:
        raise PdfUnavailable from error
    if job is None:
        return None
    if link_id is not None:
        return job if job.link == link_id else None
    return job if job.link is None and job.owner == owner_id else None


def pdf_job_file(*, job: PdfJob) -> bytes | None:
    """The finished PDF, while it is kept."""
    try:
        return cache.get(_file_key(job.id)) if job.state == READY else None
    except UNREACHABLE as error:
        raise PdfUnavailable from error


def pdf_job_render(*, job_id: str, html: Callable[[PdfJob], str | None]) -> None:
    """Make the job's PDF (in the worker). `html(job)` builds the report's HTML from the
    current log, or None when the report can no longer be read (a share link revoked).

    Raises SlotBusy while another render of the owner's data runs (the caller retries)."""
    job = _load(job_id)
    if job is None or job.state in (READY, FAILED):
        return  # expired, or a redelivered message for a job already done
    with one_pdf_at_a_time(job.owner) as free:
        if not free:
            raise SlotBusy
        job.state, job.started = RENDERING, now_epoch()
        _save(job)
        try:
            document = html(job)
            pdf = None if document is None else report_pdf_bytes(document, paper=job.paper)
        except Exception as error:
            # The job id and the kind of error only: a message could quote the report.
            logger.error("PDF job %s failed: %s", job.id, type(error).__name__)  # noqa: TRY400
            pdf = None
        if pdf is None:
            job.state = FAILED
        else:
            cache.set(_file_key(job.id), pdf, JOB_SECONDS)
            job.state = READY
        _save(job)


def own_report_html(job: PdfJob) -> str | None:
    """The owner's own report for the job's evenings (None: the account is gone)."""
    user = get_user_model().objects.filter(pk=job.owner, is_active=True).first()
    if user is None:
        return None
    start, end = datetime.date.fromisoformat(job.start), datetime.date.fromisoformat(job.end)
    return report_pdf_html(user=user, start=start, end=end, now=timezone.now())


def render_or_wait(task, *, job_id: str, html: Callable[[PdfJob], str | None]) -> None:
    """A render task's body: render the job, or retry in 2 s while the owner's slot is busy."""
    try:
        pdf_job_render(job_id=job_id, html=html)
    except SlotBusy as busy:
        raise task.retry(countdown=2, exc=busy) from busy
