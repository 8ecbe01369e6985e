"""Stylesheets for the PDF report, read from the static files (WeasyPrint fetches nothing)."""

from functools import cache

from django.contrib.staticfiles import finders


@cache
def report_css() -> str:
    parts = []
    # Bootstrap is left out: parsing 200 kB of CSS would dominate the PDF time.
    for name in ("css/tracker.css", "css/tracker-report.css"):
        path = finders.find(name)
        if path:
            with open(path, encoding="utf-8") as handle:
                parts.append(handle.read())
    return "\n".join(parts)
