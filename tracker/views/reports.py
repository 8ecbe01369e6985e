"""CSV export and the clinician report (HTML with a print stylesheet, and PDF)."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker import exports, page_cache, pages, pdf_jobs
from tracker.forms import DateRangeForm
from tracker.models.stamp import DOSES, NIGHTS
from tracker.tasks import report_pdf_make_task
from tracker.views import pdf_wait


@login_required
@require_GET
def export_csv(request):
    user = request.user
    kind = "doses" if request.GET.get("type") == "doses" else "nights"
    parts = page_cache.PageParts(user=user, now=timezone.now())
    if kind == "doses":
        body = parts.cached(
            "csv_doses", reads=(DOSES,), compute=lambda: exports.doses_csv(user=user)
        )
    else:
        # Two parts, so a dose recomputes only the dose columns and a night only the rest.
        body = exports.nights_csv_join(
            parts.cached(
                "csv_nights", reads=(NIGHTS,), compute=lambda: exports.night_lines(user=user)
            ),
            parts.cached(
                "csv_nights_doses",
                reads=(DOSES,),
                compute=lambda: exports.evening_dose_cells(user=user),
            ),
        )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="restwell-{kind}-{stamp}.csv"'
    return response


def _report_context(request) -> dict:
    form = DateRangeForm(request.GET if request.GET.keys() & {"from", "to"} else None)
    start, end = form.bounds()
    context = pages.report_context(user=request.user, start=start, end=end, now=timezone.now())
    if form.is_bound and not form.is_valid():
        context["filter_form"] = form  # what they typed, with what to change
    else:  # the fields show the range applied: the default, or a capped one, as it is
        applied = {"from": context["start"].isoformat(), "to": context["end"].isoformat()}
        context["filter_form"] = DateRangeForm(applied)
    return context


@login_required
@require_GET
def report(request):
    return render(request, "tracker/report.html", _report_context(request))


@login_required
@require_GET
def report_pdf(request):
    """Start the PDF in a worker (tracker/pdf_jobs.py) and send the browser to wait for it."""
    user = request.user
    form = DateRangeForm(request.GET if request.GET.keys() & {"from", "to"} else None)
    start, end = form.bounds()
    start, end, _clamped = pages.report_range(user=user, start=start, end=end, now=timezone.now())
    paper = pdf_jobs.paper_of(request.GET.get("paper", ""))
    return pdf_wait.pdf_start(
        request,
        start=lambda: pdf_jobs.pdf_job_start(
            owner_id=user.pk,
            link_id=None,
            start=start,
            end=end,
            paper=paper,
            enqueue=lambda job: report_pdf_make_task.delay(job.id),
        ),
        page_url=lambda job: reverse("tracker:pdf_job", args=[job.id]),
        retry=request.get_full_path(),
        report=_report_url(start, end),
    )


def _report_url(start, end) -> str:
    query = urlencode({"from": str(start), "to": str(end)})  # dates or ISO strings
    return f"{reverse('tracker:report')}?{query}"


def _urls(job) -> pdf_wait.PdfUrls:
    query = {"from": job.start, "to": job.end} | (
        {"paper": "letter"} if job.paper == "letter" else {}
    )
    return pdf_wait.PdfUrls(
        page=reverse("tracker:pdf_job", args=[job.id]),
        status=reverse("tracker:pdf_job_status", args=[job.id]),
        file=reverse("tracker:pdf_job_file", args=[job.id]),
        retry=f"{reverse('tracker:report_pdf')}?{urlencode(query)}",
        report=_report_url(job.start, job.end),
    )


def _own_job(view):
    """The signed-in owner's job, else 404 (whatever the method: a job's id says nothing)."""

    @login_required
    @wraps(view)
    def wrapped(request, job: str):
        try:
            found = pdf_jobs.pdf_job_get(job_id=job, owner_id=request.user.pk, link_id=None)
        except pdf_jobs.PdfUnavailable:
            retry = reverse("tracker:report_pdf")
            return pdf_wait.pdf_unavailable(request, retry=retry, report=reverse("tracker:report"))
        if found is None:
            raise Http404
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return view(request, found)

    return wrapped


@_own_job
def pdf_job(request, job):
    return pdf_wait.pdf_page(request, job, _urls(job))


@_own_job
def pdf_job_status(request, job):
    return pdf_wait.pdf_status(job)


@_own_job
def pdf_job_file(request, job):
    return pdf_wait.pdf_file(request, job, _urls(job))
