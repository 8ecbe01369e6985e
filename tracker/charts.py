"""Server-rendered SVG charts: no chart library, no script, no style attributes (strict CSP).

Each function returns markup for an <svg role="img"> whose look lives in
static/css/tracker.css (classes only), so the dim theme and print restyle it. Every chart is
shown next to a table with the same numbers (the template's job) for screen readers.
"""

import datetime
from collections.abc import Sequence

from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tracker.amounts import mg_text
from tracker.models import Quality

WIDTH, HEIGHT = 480, 250
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 14, 40
# Presentation attributes (not style attributes: CSP allows them) give print and PDF their
# colours; static/css/tracker.css overrides them for the dim theme.
LINE_COLOURS = {"chart-quality": "#b0701e", "chart-average": "#2b2d31"}
LINE_DASH = {"chart-average": ' stroke-dasharray="5 3"'}
GRID = 'class="chart-grid" stroke="#c9c6bf" stroke-width="1" '
LABEL = 'class="chart-label" fill="#4a5057" font-size="14" '
BAR = 'class="chart-bar" fill="#6f8fbf" '
DOSE = 'class="chart-dose" stroke="#3d7a4a" stroke-width="2.5" '
THRESHOLD = 'class="chart-threshold" stroke="#a0522d" stroke-width="1.5" stroke-dasharray="6 4" '
POINT = 'class="chart-point" fill="#b0701e" '


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(title: str, desc: str, body: list[str], css_class: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every interpolated text goes through escape() above
        f'<svg class="chart {css_class}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'preserveAspectRatio="xMidYMid meet" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{''.join(body)}</svg>"
    )


def _polyline(points: list[tuple[float, float]], css_class: str) -> list[str]:
    """Polylines broken at gaps (None), so no line is drawn through unlogged nights."""
    out, run = [], []
    for point in [*points, None]:
        if point is None or point[1] is None:
            if len(run) == 1:
                x, y = run[0]
                out.append(
                    f'<circle class="{css_class}-dot" cx="{_fmt(x)}" cy="{_fmt(y)}" r="2.5"/>'
                )
            elif run:
                coords = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in run)
                out.append(
                    f'<polyline class="{css_class}" fill="none" stroke="{LINE_COLOURS[css_class]}" '
                    f'stroke-width="2"{LINE_DASH.get(css_class, "")} points="{coords}"/>'
                )
            run = []
        else:
            run.append(point)
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
    """Severity as bars (0–10), sleep quality as a line (1–5 on the right axis), the 7-night
    average of severity as a second line, doses as marks under the axis."""
    count = max(len(days), 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / count
    bar_w = max(step * 0.7, 1.0)

    def y_of(value: float, top: float) -> float:
        return TOP + plot_h * (1 - value / top)

    body = []
    for level in (0, 5, 10):
        y = y_of(level, 10)
        body.append(
            f'<line {GRID}x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(y)}" '
            f'y2="{_fmt(y)}"/><text {LABEL}x="{LEFT - 6}" y="{_fmt(y + 4)}" '
            f'text-anchor="end">{level}</text>'
        )
    for i, value in enumerate(severity):
        if value is None:
            continue
        x = LEFT + i * step + (step - bar_w) / 2
        y = y_of(max(value, 0.15), 10)  # a sliver for 0, so a logged calm night is visible
        body.append(
            f'<rect {BAR}x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" '
            f'height="{_fmt(TOP + plot_h - y)}"/>'
        )
    centre = [LEFT + (i + 0.5) * step for i in range(len(days))]
    body += _polyline(
        [(x, None if q is None else y_of(q, 5)) for x, q in zip(centre, quality, strict=True)],
        "chart-quality",
    )
    body += _polyline(
        [
            (x, None if a is None else y_of(a, 10))
            for x, a in zip(centre, severity_avg, strict=True)
        ],
        "chart-average",
    )
    base = TOP + plot_h
    for x, took in zip(centre, dosed, strict=True):
        if took:
            body.append(
                f'<line {DOSE}x1="{_fmt(x)}" x2="{_fmt(x)}" y1="{_fmt(base + 4)}" '
                f'y2="{_fmt(base + 12)}"/>'
            )
    label_every = max(1, round(count / 4))
    for i in range(0, len(days), label_every):
        body.append(
            f'<text {LABEL}x="{_fmt(centre[i])}" y="{HEIGHT - 8}" '
            f'text-anchor="middle">{escape(date_format(days[i], "j M"))}</text>'
        )
    return _svg(title, desc, body, "chart--nightly")


def weekly_chart(
    *,
    weeks: Sequence[datetime.date],
    counts: Sequence[int | None],
    threshold: int,
    title: str,
    desc: str,
) -> SafeString:
    """Nights per week (0–7) as bars with the 'clinically significant' line (n or more)."""
    count = max(len(weeks), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / count
    bar_w = max(step * 0.7, 1.0)

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / 7)

    body = []
    for level in (0, 7):
        y = y_of(level)
        body.append(
            f'<line {GRID}x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(y)}" '
            f'y2="{_fmt(y)}"/><text {LABEL}x="{LEFT - 6}" y="{_fmt(y + 4)}" '
            f'text-anchor="end">{level}</text>'
        )
    for i, value in enumerate(counts):
        if value is None:
            continue
        x = LEFT + i * step + (step - bar_w) / 2
        y = y_of(max(value, 0.05))
        body.append(
            f'<rect {BAR}x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" '
            f'height="{_fmt(TOP + plot_h - y)}"/>'
        )
    y = y_of(threshold)
    body.append(
        f'<line {THRESHOLD}x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(y)}" '
        f'y2="{_fmt(y)}"/><text {LABEL}x="{WIDTH - RIGHT}" y="{_fmt(y - 4)}" '
        f'text-anchor="end">{escape(_("%(n)s or more a week") % {"n": threshold})}</text>'
    )
    label_every = max(1, round(count / 4))
    for i in range(0, len(weeks), label_every):
        body.append(
            f'<text {LABEL}x="{_fmt(LEFT + (i + 0.5) * step)}" y="{HEIGHT - 8}" '
            f'text-anchor="middle">{escape(date_format(weeks[i], "j M"))}</text>'
        )
    return _svg(title, desc, body, "chart--weekly")


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
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    known = [(d, v) for d, v in zip(dates, values, strict=True) if v is not None]
    body = []

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - min(value, top) / top)

    for level in (0, top / 2, top):
        y = y_of(level)
        body.append(
            f'<line {GRID}x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(y)}" '
            f'y2="{_fmt(y)}"/><text {LABEL}x="{LEFT - 6}" y="{_fmt(y + 4)}" '
            f'text-anchor="end">{_fmt(level)}</text>'
        )
    y = y_of(threshold)
    body.append(
        f'<line {THRESHOLD}x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(y)}" '
        f'y2="{_fmt(y)}"/><text {LABEL}x="{WIDTH - RIGHT}" y="{_fmt(y - 4)}" '
        f'text-anchor="end">{escape(threshold_label)}</text>'
    )
    if known:
        first, last = known[0][0], known[-1][0]
        span = max((last - first).days, 1)
        points = [
            (LEFT + plot_w * (0.5 if first == last else (d - first).days / span), y_of(float(v)))
            for d, v in known
        ]
        if len(points) > 1:
            body += _polyline(points, "chart-quality")
        for (x, y), (d, _value) in zip(points, known, strict=True):
            body.append(f'<circle {POINT}cx="{_fmt(x)}" cy="{_fmt(y)}" r="4"/>')
            body.append(
                f'<text {LABEL}x="{_fmt(x)}" y="{HEIGHT - 8}" text-anchor="middle">'
                f"{escape(date_format(d, 'M Y'))}</text>"
            )
    return _svg(title, desc, body, "chart--points")


def nightly_table_rows(days) -> SafeString:
    """The chart's table alternative, newest first, built here rather than in the template:
    a year of rows through template tags costs more than everything else on the page."""
    skipped = escape(_("skipped"))
    # Django's date_format("D j M"), with the translated names looked up once per table.
    weekdays = {i: str(name) for i, name in WEEKDAYS_ABBR.items()}
    months = {i: str(name).title() for i, name in MONTHS_3.items()}
    quality_labels = {value: escape(label) for value, label in Quality.choices}
    rows = []
    for day in reversed(days):
        night = day.night
        average = "—" if day.severity_avg is None else f"{day.severity_avg:.1f}"
        if day.dosed:
            dose = mg_text(day.dose_mg)
        else:
            dose = skipped if day.skipped else "—"
        rows.append(
            f'<tr><th scope="row">{escape(weekdays[day.evening.weekday()])} {day.evening.day} '
            f"{escape(months[day.evening.month])}</th>"
            f"<td>{night.severity if night else '—'}</td><td>{average}</td>"
            f"<td>{quality_labels[night.sleep_quality] if night else '—'}</td>"
            f"<td>{dose}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - text escaped above, numbers formatted


def entries_table_rows(days) -> SafeString:
    """The report's compact table (every evening with a night or a dose), built in Python
    for the same reason as nightly_table_rows."""
    weekdays = {i: str(name) for i, name in WEEKDAYS_ABBR.items()}
    months = {i: str(name).title() for i, name in MONTHS_3.items()}
    quality_labels = {value: escape(label) for value, label in Quality.choices}
    rows = []
    for day in days:
        night = day.night
        if not night and not day.dosed:
            continue
        efficiency = night.sleep_efficiency if night else None
        rows.append(
            f'<tr><th scope="row">{escape(weekdays[day.evening.weekday()])} {day.evening.day} '
            f"{escape(months[day.evening.month])} {day.evening.year}</th>"
            f"<td>{night.severity if night else '—'}</td>"
            f"<td>{quality_labels[night.sleep_quality] if night else '—'}</td>"
            f"<td>{'—' if efficiency is None else f'{efficiency:.0f}%'}</td>"
            f"<td>{mg_text(day.dose_mg) if day.dosed else '—'}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - text escaped above, numbers formatted
