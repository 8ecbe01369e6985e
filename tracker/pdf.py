"""The PDF report's stylesheet, read from the static files (WeasyPrint fetches nothing).

Only the print stylesheet: the screen CSS (Bootstrap, the dim theme, SVG theming that
WeasyPrint does not support) would add parse time and warnings, not looks. The charts carry
their print colours as SVG presentation attributes.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.contrib.staticfiles import finders
from django.core.cache import cache as shared_cache
from django.http import HttpResponse
from django.shortcuts import render

from portal.fallback_cache import UNREACHABLE

logger = logging.getLogger(__name__)

# A year's report takes seconds of a web worker: one PDF at a time per person, so a few
# parallel downloads from one account (or one shared link) cannot take every worker. The
# slot frees itself after this long if a render dies without releasing it.
PDF_SLOT_SECONDS = 120


def pdf_busy(request) -> HttpResponse:
    """Another PDF of the same person's report is being made: say so, and when to retry."""
    response = render(request, "tracker/pdf_busy.html", status=429)
    response["Retry-After"] = "10"
    return response


@contextmanager
def one_pdf_at_a_time(owner_id: int) -> Iterator[bool]:
    """True while this request holds the owner's PDF slot; False if another render does.

    With Redis unreachable the slot cannot be kept, and the PDF is made anyway: a download
    a person asked for matters more than a limit that only guards against floods.
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


def _no_fetch(url, *args, **kwargs):
    """WeasyPrint may not fetch anything: the report is self-contained (no SSRF, no leaks)."""
    raise ValueError(f"external resources are disabled in reports: {url[:40]}")


def report_pdf_bytes(html: str, *, paper: str) -> bytes:
    """The report's HTML as a PDF on A4 or "letter" paper."""
    # WeasyPrint takes ~0.5 s and much memory to import: only a PDF download pays for it.
    from weasyprint import CSS, HTML

    size = "letter" if paper == "letter" else "A4"
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf(
        stylesheets=[CSS(string=report_css()), CSS(string=f"@page {{ size: {size}; }}")]
    )
