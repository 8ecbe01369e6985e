"""The PDF report's stylesheet, read from the static files (WeasyPrint fetches nothing).

Only the print stylesheet: the screen CSS (Bootstrap, the dim theme, SVG theming that
WeasyPrint does not support) would add parse time and warnings, not looks. The charts carry
their print colours as SVG presentation attributes.

Each chart goes to WeasyPrint as an image (a data: URL of the same SVG), not inline: inline,
the ~1,500 elements of a year's nightly chart go through the whole HTML cascade and box tree;
as an image they are drawn by the SVG renderer alone, the same marks and text, a quarter less
time for a year's PDF (bench/README.md).
"""

import base64
import datetime
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.contrib.staticfiles import finders
from django.core.cache import cache as shared_cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.fallback_cache import UNREACHABLE
from tracker.pages import report_context

logger = logging.getLogger(__name__)

# A year's report takes seconds of a Celery worker: one render at a time per person, so a
# few parallel downloads from one account (or its shared links) cannot take every worker
# process (tracker/pdf_jobs.py). The slot frees itself after this long if a render dies
# without releasing it.
PDF_SLOT_SECONDS = 120


def pdf_busy(request) -> HttpResponse:
    """Another PDF of the same person's report is being made: say so, and when to retry."""
    response = render(request, "tracker/pdf_busy.html", status=429)
    response["Retry-After"] = "10"
    return response


@contextmanager
def one_pdf_at_a_time(owner_id: int) -> Iterator[bool]:
    """True while this render holds the owner's PDF slot; False if another render does.

    With Redis unreachable the slot cannot be kept, and the PDF is made anyway (in the
    worker, the job's file cannot be stored then either: the task retries).
    """
    key = f"pdf-render:{owner_id}"
    try:
        held = shared_cache.add(key, 1, PDF_SLOT_SECONDS)
    except UNREACHABLE:
        logger.warning("Redis unreachable: a PDF is made without the one-at-a-time limit")
        yield True
        return
    if not held:
        yield False
        return
    try:
        yield True
    finally:
        try:
            shared_cache.delete(key)
        except UNREACHABLE:
            pass  # the slot expires by itself


@cache
def report_css() -> str:
    with open(finders.find("css/tracker-report.css"), encoding="utf-8") as handle:
        return handle.read()


_SVG = re.compile(r"<svg\b([^>]*)>.*?</svg>", re.DOTALL)
_LABEL = re.compile(r'aria-label="([^"]*)"')
_SVG_DATA = "data:image/svg+xml;base64,"


def _chart_image(match: re.Match) -> str:
    svg = match.group(0)
    if "xmlns=" not in match.group(1):
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    label = _LABEL.search(match.group(1))  # already escaped in the page
    alt = label.group(1) if label else ""
    data = base64.b64encode(svg.encode()).decode("ascii")
    return f'<img class="chart-image" alt="{alt}" src="{_SVG_DATA}{data}">'


def charts_as_images(html: str) -> str:
    """Every inline chart (our own SVG, tracker/charts.py) as an <img> of the same SVG."""
    return _SVG.sub(_chart_image, html)


def report_pdf_bytes(html: str, *, paper: str) -> bytes:
    """The report's HTML as a PDF on A4 or "letter" paper."""
    # WeasyPrint takes ~0.5 s and much memory to import: only a PDF download pays for it.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartsOnly(URLFetcher):
        """WeasyPrint may not fetch anything: the report is self-contained (no SSRF, no
        leaks). The one exception is a chart this module inlined as a data: URL."""

        def fetch(self, url, headers=None):
            if url.startswith(_SVG_DATA):
                body = base64.b64decode(url[len(_SVG_DATA) :])
                return URLFetcherResponse(url, body, {"Content-Type": "image/svg+xml"})
            raise ValueError(f"external resources are disabled in reports: {url[:40]}")

    size = "letter" if paper == "letter" else "A4"
    return HTML(string=charts_as_images(html), url_fetcher=ChartsOnly()).write_pdf(
        stylesheets=[CSS(string=report_css()), CSS(string=f"@page {{ size: {size}; }}")]
    )


def report_pdf_html(
    *,
    user,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime,
    shared: bool = False,
    include_experiment: bool = True,
) -> str:
    """The report's HTML for WeasyPrint, every date in the owner's zone (it is their
    evenings the report is about). `shared`: as the reader of a share link sees it."""
    context = report_context(user=user, start=start, end=end, now=now)
    if shared:
        context["shared"] = True
        if not include_experiment:
            context["experiment"] = None
    with timezone.override(user.zone), translation.override(user.email_language):
        return render_to_string("tracker/report_pdf.html", context)
