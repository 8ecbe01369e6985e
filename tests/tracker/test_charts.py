"""The SVG charts neither mislead nor break (issue #12, item 7).

Each series on its own scale, partial weeks left out or marked, the x range starting at the
first logged evening, end labels inside the chart, text that is never scaled. What Chromium
renders is measured in tests/e2e/test_charts_layout.py.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tracker import charts, pages, services
from tracker.summary import period_summary

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 2, 19, 0, tzinfo=datetime.UTC)  # 19:00 in London
TONIGHT = datetime.date(2026, 12, 2)


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


def _nights(user, evenings, *, severity=4, quality=3):
    for evening in evenings:
        services.night_log(
            user=user, evening=evening, severity=severity, sleep_quality=quality, now=NOW
        )


def _last(n, *, before=TONIGHT):
    """The n evenings ending the evening before `before`, oldest first."""
    return [before - datetime.timedelta(days=i) for i in range(n, 0, -1)]


def _svg(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own markup, escaped by the builder


def _pct(value: str) -> float:
    assert value.endswith("%"), f"x positions are percentages of the width, got {value!r}"
    return float(value[:-1])


def _texts(svg):
    return [(t.text, t.attrib) for t in svg.iter("text")]


def _nightly(**overrides):
    days = [datetime.date(2026, 11, 1) + datetime.timedelta(days=i) for i in range(10)]
    values = {
        "days": days,
        "severity": [4] * 10,
        "quality": [5, 1, 3, 5, 1, 3, 5, 1, 3, 5],
        "severity_avg": [None] * 6 + [4.0] * 4,
        "dosed": [True, False] * 5,
        "title": "t",
        "desc": "d",
    }
    return _svg(charts.nightly_chart(**(values | overrides)))


def _axis_label_y(svg, label: str, *, below: float = 0) -> float:
    """The y of a grid line, read from its number on the axis (drawn 4 px below the line)."""
    ys = [
        float(a["y"]) - 4
        for text, a in _texts(svg)
        if text == label and a.get("text-anchor") == "end" and float(a["y"]) > below
    ]
    return ys[0]


def test_sleep_quality_has_its_own_1_to_5_axis_not_the_legs_0_to_10_one():
    svg = _nightly()
    titles = [text for text, _a in _texts(svg)]
    assert any(t.startswith("Legs (0") for t in titles)
    assert any(t.startswith("Sleep quality (1") for t in titles)
    legs_top = _axis_label_y(svg, "10")
    quality_top = _axis_label_y(svg, "5", below=legs_top + 110)  # the second "5": quality's
    quality_bottom = _axis_label_y(svg, "1")
    dots = [
        float(c.attrib["cy"])
        for g in svg.iter("g")
        if g.attrib.get("class") == "chart-quality-dot"
        for c in g.iter("circle")
    ]
    very_good = dots[0]  # quality 5 on the first night
    very_poor = dots[1]  # quality 1 on the second
    assert very_good == pytest.approx(quality_top)
    assert very_poor == pytest.approx(quality_bottom)
    assert very_good != pytest.approx(legs_top)  # "Very good" is not drawn at legs 10
    assert quality_top > charts.LEGS.bottom  # its own band, below the legs one


def test_text_is_never_scaled_and_stays_small():
    svgs = [
        _nightly(),
        _svg(
            charts.weekly_chart(
                weeks=_last(28)[::7],
                counts=[1, 2, 3, 0],
                logged=[7, 7, 3, 7],
                loggable=[7] * 4,
                threshold=2,
                title="t",
                desc="d",
            )
        ),
        _svg(
            charts.points_chart(
                dates=[datetime.date(2026, 1, 5), datetime.date(2026, 6, 5)],
                values=[48.0, 80.0],
                threshold=75,
                threshold_label="75 ng/mL",
                top=150,
                title="t",
                desc="d",
            )
        ),
    ]
    for svg in svgs:
        # No viewBox: the browser cannot scale the drawing (and its text) up to the width.
        assert "viewBox" not in svg.attrib
        assert svg.attrib["width"] == "100%"
        assert re.fullmatch(r"\d+", svg.attrib["height"])
        assert svg.attrib["role"] == "img" and svg.attrib["aria-label"]
        assert svg.find("title") is not None and svg.find("desc") is not None
        for text in svg.iter("text"):
            assert int(text.attrib["font-size"]) <= 14
    css = (Path(settings.BASE_DIR) / "static/css/tracker.css").read_text()
    size = re.search(r"\.chart-label \{[^}]*font-size: (\d+)px", css)
    assert size and int(size.group(1)) <= 14
    weekly = svgs[1]
    assert int(weekly.attrib["height"]) <= 200


def test_few_nights_are_dots_and_no_average_line():
    svg = _nightly(
        severity=[4, None, 6, None, None, None, None, None, None, None],
        quality=[3, None, 4, None, None, None, None, None, None, None],
        severity_avg=[None] * 10,
    )
    groups = {g.attrib.get("class") for g in svg.iter("g")}
    assert "chart-quality-dot" in groups
    assert "chart-quality" not in groups and "chart-average" not in groups
    widths = [_pct(r.attrib["width"]) for r in svg.iter("rect")]
    assert len(widths) == 2 and max(widths) < 6  # slim bars, not half the chart each


def test_a_few_evenings_get_a_centred_label_each():
    svg = _nightly(
        days=_last(2),
        severity=[6, None],
        quality=[2, None],
        severity_avg=[None, None],
        dosed=[False, True],
    )
    labels = [(t, a) for t, a in _texts(svg) if re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", t)]
    assert [t for t, _a in labels] == ["30 Nov", "1 Dec"]
    for _t, attrs in labels:
        # Centred under slots a quarter of the plot in from each end: room for half a label.
        assert attrs["text-anchor"] == "middle" and 25 <= _pct(attrs["x"]) <= 80


def test_many_nights_are_joined_with_the_average_line():
    svg = _nightly()
    groups = {g.attrib.get("class") for g in svg.iter("g")}
    assert {"chart-quality", "chart-average"} <= groups


def test_365_days_with_60_nights_start_at_the_first_night_and_keep_labels_inside(user, travel):
    logged = _last(60)
    _nights(user, logged)
    summary = period_summary(
        user=user, start=TONIGHT - datetime.timedelta(days=364), end=TONIGHT, now=NOW
    )
    context = pages.charts_context(summary, tonight=TONIGHT)
    assert context["chart_from"] == logged[0]
    svg = _svg(context["chart"])
    bars = sorted(_pct(r.attrib["x"]) for r in svg.iter("rect"))
    assert len(bars) == 60
    assert bars[0] < charts.PLOT_LEFT + 2  # the first night is at the left, not at 83%
    labels = [(t, a) for t, a in _texts(svg) if re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", t)]
    (first, first_at), (last, last_at) = labels[0], labels[-1]
    assert first == "3 Oct" and last == "2 Dec"  # whole labels, tonight's evening last
    assert first_at["text-anchor"] == "start" and _pct(first_at["x"]) >= 0
    assert last_at["text-anchor"] == "end" and _pct(last_at["x"]) <= 100
    for _text, attrs in labels[1:-1]:
        assert attrs["text-anchor"] == "middle" and 20 <= _pct(attrs["x"]) <= 80
    # The table alternative covers the same evenings as the chart.
    assert str(context["table_rows"]).count("<tr>") == 61


def test_partial_weeks_are_left_out_or_marked(user, travel):
    # 30 evenings: blocks of 7 end tonight, so the oldest block holds only 2 evenings. Every
    # night is logged but three in the block of 12 to 18 Nov.
    gap = {datetime.date(2026, 11, 15), datetime.date(2026, 11, 16), datetime.date(2026, 11, 17)}
    _nights(user, [evening for evening in _last(29) if evening not in gap])
    summary = period_summary(
        user=user, start=TONIGHT - datetime.timedelta(days=29), end=TONIGHT, now=NOW
    )
    assert [w.evenings for w in summary.weeks] == [2, 7, 7, 7, 7]
    assert summary.weeks[2].start == datetime.date(2026, 11, 12)
    context = pages.charts_context(summary, tonight=TONIGHT)
    assert [w.start for w in context["weekly_rows"]] == [w.start for w in summary.weeks[1:]]
    svg = _svg(context["weekly_chart"])
    bars = list(svg.iter("rect"))
    assert len(bars) == 4  # the 2-evening block is not drawn as a week
    # The newest block holds tonight, not yet slept: with its 6 other nights it is whole.
    assert [("chart-bar--partial" in b.attrib["class"]) for b in bars] == [
        False, True, False, False,
    ]  # fmt: skip
    assert [t for t, _a in _texts(svg) if " of 7" in t] == ["4 of 7"]


def test_weekly_bars_wait_for_seven_nights(user, travel):
    _nights(user, _last(6))
    summary = period_summary(
        user=user, start=TONIGHT - datetime.timedelta(days=29), end=TONIGHT, now=NOW
    )
    context = pages.charts_context(summary, tonight=TONIGHT)
    assert context["weekly_chart"] is None and context["weekly_needs_nights"] == 1
    assert context["chart"] is not None


def test_report_has_no_chart_without_nights_and_one_printed_table_of_nights(
    user_client, user, travel
):
    text = user_client.get(reverse("tracker:report")).text
    assert "<svg" not in text
    assert "No nights logged in this period, so there is no chart." in text
    _nights(user, _last(10))
    text = user_client.get(reverse("tracker:report")).text
    assert 'class="chart-data chart-data--nightly"' in text
    for css in ("tracker.css", "tracker-report.css"):
        rules = (Path(settings.BASE_DIR) / "static/css" / css).read_text()
        assert "details.chart-data--nightly { display: none; }" in rules
