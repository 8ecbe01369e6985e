"""CSV export and the clinician report (HTML with a print stylesheet, and PDF)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker import exports, page_cache, pages
from tracker.forms import DateRangeForm
from tracker.pdf import one_pdf_at_a_time, pdf_busy, report_pdf_bytes


@login_required
@require_GET
def export_csv(request):
    user = request.user
    kind = "doses" if request.GET.get("type") == "doses" else "nights"
    build = exports.doses_csv if kind == "doses" else exports.nights_csv
    body = page_cache.cached(
        key=page_cache.page_key(user=user, page=f"csv_{kind}", now=timezone.now()),
        compute=lambda: build(user=user),
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
    context = _report_context(request)
    with one_pdf_at_a_time(request.user.pk) as free:
        if not free:
            return pdf_busy(request)
        html = render_to_string("tracker/report_pdf.html", context, request=request)
        pdf = report_pdf_bytes(html, paper=request.GET.get("paper", ""))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"restwell-report-{context['start'].isoformat()}-{context['end'].isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
