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
