"""The PDF report's stylesheet, read from the static files (WeasyPrint fetches nothing).

Only the print stylesheet: the screen CSS (Bootstrap, the dim theme, SVG theming that
WeasyPrint does not support) would add parse time and warnings, not looks. The charts carry
their print colours as SVG presentation attributes.
"""

from functools import cache

from django.contrib.staticfiles import finders


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
