"""The PDF's waiting page, its status and the finished file: shared by the signed-in owner's
download (tracker) and the share link's (sharing), which each check who may see the job."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from tracker import pdf_jobs
from tracker.pdf import pdf_busy


@dataclass
class PdfUrls:
    page: str  # the waiting page
    status: str  # its JSON state, for the script
    file: str  # the PDF itself
    retry: str  # the download link again: starts a new job
    report: str  # the printable HTML report (the fallback: print it to PDF)


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


def _go(to: str, *, status: int) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Location"] = to
    return _no_store(response)


def pdf_start(request, *, start: Callable[[], pdf_jobs.PdfJob], page_url: Callable, retry: str,
              report: str) -> HttpResponse:  # fmt: skip
    """Start (or reuse) the job and send the browser to its waiting page at once."""
    try:
        job = start()
    except pdf_jobs.PdfBusy:
        return _no_store(pdf_busy(request))
    except pdf_jobs.PdfUnavailable:
        return pdf_unavailable(request, retry=retry, report=report)
    return _go(page_url(job), status=303)  # "see other": a reload asks the job, not again


def pdf_unavailable(request, *, retry: str, report: str) -> HttpResponse:
    """Redis (the job store and the queue) is down. No render in the request instead: without
    Redis there is no per-person limit either, so a few clicks could hold every web worker
    for seconds each while the site is already degraded; the printable report page still
    works (the browser's "Save as PDF" makes the same document)."""
    context = {"state": "unavailable", "urls": PdfUrls("", "", "", retry, report)}
    response = render(request, "tracker/pdf_wait.html", context, status=503)
    response["Retry-After"] = "60"
    return _no_store(response)


def pdf_page(request, job: pdf_jobs.PdfJob, urls: PdfUrls) -> HttpResponse:
    state = job.shown_state(pdf_jobs.now_epoch())
    response = render(request, "tracker/pdf_wait.html", {"state": state, "urls": urls})
    return _no_store(response)


def pdf_status(job: pdf_jobs.PdfJob) -> HttpResponse:
    return _no_store(JsonResponse({"state": job.shown_state(pdf_jobs.now_epoch())}))


def pdf_file(request, job: pdf_jobs.PdfJob, urls: PdfUrls) -> HttpResponse:
    try:
        pdf = pdf_jobs.pdf_job_file(job=job)
    except pdf_jobs.PdfUnavailable:
        return pdf_unavailable(request, retry=urls.retry, report=urls.report)
    if pdf is None:  # not made yet (or no longer kept): the waiting page says which
        return _go(urls.page, status=302)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return _no_store(response)
