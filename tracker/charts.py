"""Server-rendered SVG charts: no chart library, no script, no style attributes (strict CSP).

Text keeps one size at every width: each <svg> is width="100%" with a fixed height in px and
no viewBox, so nothing in it is ever scaled. Across, positions are percentages of the width
(x, x1, cx, width all accept them); down, they are px. Lines are therefore drawn as <line>
segments, since polyline points cannot be percentages. The leftmost x label is anchored at
its start and the rightmost at its end, so no label runs past the edge at any width.

Each series has its own scale: legs (0–10) and sleep quality (1–5) are two bands of the
nightly chart, each with its own labelled axis. The look lives in static/css/tracker.css
(classes only), so the dim theme and print restyle it; presentation attributes give the PDF
its colours. Every chart sits next to a table with the same numbers (tracker/chart_tables.py).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT_PX = 12
# The plot spans these percentages of the width; the left 7% holds the axis numbers ("10" is
# about 15 px wide at 12 px; 7% of a 330 px phone chart is 23 px).
PLOT_LEFT, PLOT_RIGHT = 7.0, 99.5
# Fewer logged nights than this and nights are dots, not joined: no trend through a few points.
LINES_FROM_NIGHTS = 7
# Bars keep a slim width when there are only a few of them (as if there were this many).
MIN_NIGHT_SLOTS, MIN_WEEK_SLOTS = 14, 6
COLOURS = {
    "chart-quality": "#b0701e",
    "chart-average": "#2b2d31",
}
GRID = 'class="chart-grid" stroke="#c9c6bf" stroke-width="1"'
LABEL = f'class="chart-label" fill="#4a5057" font-size="{FONT_PX}"'
AXIS_TITLE = f'class="chart-label chart-axis-title" fill="#4a5057" font-size="{FONT_PX}"'
BAR = 'class="chart-bar" fill="#6f8fbf"'
BAR_PARTIAL = 'class="chart-bar chart-bar--partial" fill="#bccbe2"'
DOSE = 'class="chart-dose" stroke="#3d7a4a" stroke-width="2.5"'
THRESHOLD = 'class="chart-threshold" stroke="#a0522d" stroke-width="1.5" stroke-dasharray="6 4"'
POINT = 'class="chart-point" fill="#b0701e"'


@dataclass(frozen=True)
class Band:
    """A horizontal band of a chart: `low`..`high` drawn from `bottom` up to `top` (px)."""

    top: float
    bottom: float
    low: float
    high: float

    def y(self, value: float) -> float:
        value = min(max(value, self.low), self.high)
        return self.bottom - (self.bottom - self.top) * (value - self.low) / (self.high - self.low)


# The nightly chart: legs on top, sleep quality below, dose marks between, dates at the foot.
LEGS = Band(top=24, bottom=124, low=0, high=10)
DOSE_MARKS = (129, 137)
QUALITY = Band(top=168, bottom=218, low=1, high=5)
NIGHTLY_HEIGHT = 244
WEEKS_BAND = Band(top=30, bottom=120, low=0, high=7)
WEEKLY_HEIGHT = 146
LAB_TOP, LAB_BOTTOM = 30, 140  # the lab chart's band; its scale (0 to `top`) is per chart
LAB_HEIGHT = 166


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _x(frac: float) -> str:
    """A fraction of the plot's width as a percentage of the chart's width."""
    return _fmt(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * frac) + "%"


def _w(frac: float) -> str:
    """A fraction of the plot's width as a width in percent of the chart's width."""
    return _fmt((PLOT_RIGHT - PLOT_LEFT) * frac) + "%"


def _svg(title: str, desc: str, body: list[str], css_class: str, height: int) -> SafeString:
    return mark_safe(  # noqa: S308 - every interpolated text goes through escape()  # nosec B308 B703
        f'<svg class="chart {css_class}" width="100%" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f"<desc>{escape(desc)}</desc>{''.join(body)}</svg>"
    )


def _text(x: str, y: float, text: str, anchor: str = "start", attrs: str = LABEL) -> str:
    return f'<text {attrs} x="{x}" y="{_fmt(y)}" text-anchor="{anchor}">{escape(text)}</text>'


def _axis(band: Band, levels: Sequence[float], *, above: bool = False) -> list[str]:
    """Grid lines across the plot, each with its number left of the plot (up to two digits
    fit there on a phone) or, `above`, sitting on the line at the plot's left."""
    out = []
    for level in levels:
        y = band.y(level)
        out.append(f'<line {GRID} x1="{_x(0)}" x2="{_x(1)}" y1="{_fmt(y)}" y2="{_fmt(y)}"/>')
        if above:
            out.append(_text(_x(0), y - 3, _fmt(level)))
        else:
            out.append(
                f'<text {LABEL} x="{_x(0)}" dx="-4" y="{_fmt(y + 4)}" '
                f'text-anchor="end">{_fmt(level)}</text>'
            )
    return out


def _x_labels(
    positions: Sequence[float],
    dates: Sequence[datetime.date],
    fmt: str,
    y: float,
    *,
    wide: bool = False,
) -> list[str]:
    """Dates under the plot; positions are fractions of its width. `wide`: six or fewer
    equal slots, each label centred under its own. Otherwise up to four: the first anchored
    at its start, the last at its end (so neither is clipped), two between them centred.
    Only the dates shown are formatted (a year of date_format calls costs ~25 ms)."""
    n = len(positions)
    if wide:
        return [_text(_x(positions[i]), y, date_format(dates[i], fmt), "middle") for i in range(n)]
    if n == 0:
        return []
    if n == 1:
        return [_text(_x(positions[0]), y, date_format(dates[0], fmt), "start")]
    picks = [0, *([round((n - 1) / 3), round(2 * (n - 1) / 3)] if n >= 7 else []), n - 1]
    out = []
    for i in dict.fromkeys(picks):
        anchor = "start" if i == 0 else "end" if i == n - 1 else "middle"
        out.append(_text(_x(positions[i]), y, date_format(dates[i], fmt), anchor))
    return out


def _bars(values, band: Band, *, width: float, partial=None, floor: float = 0.15) -> list[str]:
    """Bars centred in equal slots; `partial[i]` draws bar i lighter. A logged 0 gets a
    sliver (`floor`), so a calm night is visible and a missing one is not."""
    n = len(values)
    out = []
    for i, value in enumerate(values):
        if value is None:
            continue
        y = band.y(max(value, floor))
        attrs = BAR_PARTIAL if partial and partial[i] else BAR
        out.append(
            f'<rect {attrs} x="{_x((i + 0.5) / n - width / 2)}" y="{_fmt(y)}" '
            f'width="{_w(width)}" '
            f'height="{_fmt(band.bottom - y)}"/>'
        )
    return out


def _series(
    points: Sequence[float | None], band: Band, css_class: str, *, join: bool, dots: bool
) -> str:
    """One value per slot: segments between neighbouring values when `join` (never across
    an unlogged night), and a dot at each value when `dots` (else only where a value has no
    neighbour to join). Attributes on the group, once."""
    n = len(points)
    at = [None if v is None else (_x((i + 0.5) / n), _fmt(band.y(v))) for i, v in enumerate(points)]
    radius = 3 if n <= 120 else 1.5
    lines, marks = [], []
    for i, here in enumerate(at):
        if here is None:
            continue
        after = at[i + 1] if i + 1 < n else None
        before = at[i - 1] if i else None
        if join and after is not None:
            lines.append(f'<line x1="{here[0]}" y1="{here[1]}" x2="{after[0]}" y2="{after[1]}"/>')
        if dots or not join or (before is None and after is None):
            marks.append(f'<circle cx="{here[0]}" cy="{here[1]}" r="{radius}"/>')
    colour = COLOURS[css_class]
    dash = ' stroke-dasharray="5 3"' if css_class == "chart-average" else ""
    out = ""
    if lines:
        stroke = f'stroke="{colour}" stroke-width="1.5"{dash}'
        out += f'<g class="{css_class}" {stroke}>{"".join(lines)}</g>'
    if marks:
        out += f'<g class="{css_class}-dot" fill="{colour}">{"".join(marks)}</g>'
    return out


def nightly_chart(
    *,
    days: Sequence[datetime.date],
    severity: Sequence[int | None],
    quality: Sequence[int | None],
    severity_avg: Sequence[float | None],
    dosed: Sequence[bool],
    title: str,
    desc: str,
) -> SafeString:
    """Two bands over the same evenings: legs as bars on 0–10 with the 7-night average as a
    dashed line, sleep quality as dots on its own 1–5 axis; doses as marks between them.
    With fewer than LINES_FROM_NIGHTS nights logged nothing is joined and no average drawn."""
    n = max(len(days), 1)
    join = sum(1 for v in severity if v is not None) >= LINES_FROM_NIGHTS
    centres = [(i + 0.5) / n for i in range(len(days))]
    body = [
        _text("0", 14, _("Legs (0 none – 10 worst)"), attrs=AXIS_TITLE),
        *_axis(LEGS, (0, 5, 10)),
        *_bars(severity, LEGS, width=0.7 / max(n, MIN_NIGHT_SLOTS) if n <= 120 else 1 / n),
    ]
    if join:
        body.append(_series(severity_avg, LEGS, "chart-average", join=True, dots=False))
    body += [
        f'<line {DOSE} x1="{_x(c)}" x2="{_x(c)}" y1="{DOSE_MARKS[0]}" y2="{DOSE_MARKS[1]}"/>'
        for c, took in zip(centres, dosed, strict=True)
        if took
    ]
    body += [
        _text(
            "0", QUALITY.top - 10, _("Sleep quality (1 very poor – 5 very good)"), attrs=AXIS_TITLE
        ),
        *_axis(QUALITY, (1, 3, 5)),
        _series(quality, QUALITY, "chart-quality", join=join, dots=n <= 120),
        *_x_labels(centres, days, "j M", NIGHTLY_HEIGHT - 8, wide=n <= 6),
    ]
    return _svg(title, desc, body, "chart--nightly", NIGHTLY_HEIGHT)


def weekly_chart(
    *,
    weeks: Sequence[datetime.date],
    counts: Sequence[int | None],
    logged: Sequence[int],
    loggable: Sequence[int],
    threshold: int,
    title: str,
    desc: str,
) -> SafeString:
    """Nights per 7-night block (0–7) as bars, against the 'clinically significant' line.
    A block with fewer nights logged than could be (`loggable`: tonight cannot be yet) is
    drawn lighter, and says "n of 7" when the bars are wide enough for the words."""
    n = max(len(weeks), 1)
    partial = [n_logged < n_can for n_logged, n_can in zip(logged, loggable, strict=True)]
    body = [
        _text("0", 14, _("Nights (of 7)"), attrs=AXIS_TITLE),
        _text(
            _x(1),
            14,
            _("Dashed line: %(n)s or more a week") % {"n": threshold},
            "end",
            AXIS_TITLE,
        ),
        *_axis(WEEKS_BAND, (0, 7)),
        *_bars(counts, WEEKS_BAND, width=0.6 / max(n, MIN_WEEK_SLOTS), partial=partial, floor=0.05),
    ]
    if len(weeks) <= 5:
        for i, (count, nights) in enumerate(zip(counts, logged, strict=True)):
            if count is not None and partial[i]:
                body.append(
                    _text(
                        _x((i + 0.5) / n),
                        WEEKS_BAND.y(max(count, 0.05)) - 4,
                        _("%(n)s of 7") % {"n": nights},
                        "middle",
                    )
                )
    y = _fmt(WEEKS_BAND.y(threshold))
    body.append(f'<line {THRESHOLD} x1="{_x(0)}" x2="{_x(1)}" y1="{y}" y2="{y}"/>')
    body += _x_labels(
        [(i + 0.5) / n for i in range(len(weeks))],
        weeks,
        "j M",
        WEEKLY_HEIGHT - 8,
        wide=n <= 6,
    )
    return _svg(title, desc, body, "chart--weekly", WEEKLY_HEIGHT)


def points_chart(
    *,
    dates: Sequence[datetime.date],
    values: Sequence[float | None],
    threshold: float,
    threshold_label: str,
    top: float,
    title: str,
    desc: str,
) -> SafeString:
    """A lab value over time, points joined, against a guideline threshold line."""
    band = Band(top=LAB_TOP, bottom=LAB_BOTTOM, low=0, high=top)
    known = [(d, v) for d, v in zip(dates, values, strict=True) if v is not None]
    body = [
        _text(
            _x(1), 14, _("Dashed line: %(label)s") % {"label": threshold_label}, "end", AXIS_TITLE
        ),
        *_axis(band, (0, top / 2, top), above=True),  # three digits: "150"
    ]
    y = _fmt(band.y(threshold))
    body.append(f'<line {THRESHOLD} x1="{_x(0)}" x2="{_x(1)}" y1="{y}" y2="{y}"/>')
    if known:
        first, last = known[0][0], known[-1][0]
        span = max((last - first).days, 1)
        # A little in from both ends, so the end points' dots are whole.
        fracs = [0.5 if first == last else 0.02 + 0.96 * (d - first).days / span for d, _v in known]
        at = [(_x(f), _fmt(band.y(float(v)))) for f, (_d, v) in zip(fracs, known, strict=True)]
        segments = [
            f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}"/>'
            for a, b in zip(at, at[1:], strict=False)
        ]
        if segments:
            body.append(
                f'<g class="chart-quality" stroke="{COLOURS["chart-quality"]}" '
                f'stroke-width="2">{"".join(segments)}</g>'
            )
        body += [f'<circle {POINT} cx="{x}" cy="{cy}" r="4"/>' for x, cy in at]
        body += _x_labels(fracs, [d for d, _v in known], "M Y", LAB_HEIGHT - 8)
    return _svg(title, desc, body, "chart--points", LAB_HEIGHT)
