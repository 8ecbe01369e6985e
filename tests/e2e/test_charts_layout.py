"""Charts as rendered by Chromium: text stays small at phone and desktop widths, no label runs
past its chart, the weekly chart stays short, and the report prints one table of nights.

The user is the demo user: about 60 nights, shown in the 365-day view (the issue's case of
sixty nights squeezed into the last sixth of a year).
"""

import datetime
import os

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import UserFactory
from tracker import services
from tracker.demo import demo_data_ensure
from tracker.evening import evening_of

SHOTS = os.environ.get("TRACKER_SCREENSHOTS")  # a folder: save screenshots for review

MEASURE = """() => [...document.querySelectorAll('svg.chart')].map((svg) => {
  const box = svg.getBoundingClientRect();
  return {
    kind: svg.getAttribute('class'),
    width: box.width,
    height: box.height,
    texts: [...svg.querySelectorAll('text')].map((text) => {
      const r = text.getBoundingClientRect();
      return {
        text: text.textContent,
        size: parseFloat(getComputedStyle(text).fontSize),
        height: r.height,
        left: r.left - box.left,
        right: r.right - box.left,
      };
    }),
  };
})"""


@pytest.mark.parametrize("width", [360, 1280])
def test_chart_text_is_small_and_inside_at_every_width(page, transactional_db, width):
    user = UserFactory(display_name="Sam", time_zone="Europe/London")
    demo_data_ensure(user=user)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, user)
    for path, kinds in (
        ("/tracker/?days=30", {"nightly", "weekly"}),
        ("/tracker/?days=365", {"nightly", "weekly"}),
        ("/tracker/labs/", {"points"}),
    ):
        page.goto(path)
        if SHOTS:
            name = f"charts-{width}-{path.strip('/').replace('/', '-').replace('?', '-')}.png"
            page.screenshot(path=os.path.join(SHOTS, name), full_page=True)
        charts = page.evaluate(MEASURE)
        assert {c["kind"] for c in charts} == {f"chart chart--{kind}" for kind in kinds}
        for chart in charts:
            assert chart["texts"], chart["kind"]
            for text in chart["texts"]:
                assert text["size"] <= 14, (width, path, text)
                assert text["height"] <= 16, (width, path, text)
                # Whole labels: nothing starts before the chart's left edge or ends past its
                # right one ("1 De" was the last label of the old 365-day chart).
                assert text["left"] >= -0.5 and text["right"] <= chart["width"] + 0.5, (
                    width,
                    path,
                    text,
                )
            if chart["kind"].endswith("weekly"):
                assert chart["height"] <= 200
        if path.endswith("365"):
            # 60 nights are drawn across the whole width, from the first logged evening.
            first_bar = page.evaluate(
                """() => {
                  const svg = document.querySelector('svg.chart--nightly');
                  const bar = svg.querySelector('rect.chart-bar');
                  return (bar.getBoundingClientRect().left - svg.getBoundingClientRect().left)
                    / svg.getBoundingClientRect().width;
                }"""
            )
            assert first_bar < 0.12
            assert page.get_by_text("The chart starts on").is_visible()
    assert_accessible(page)


def test_two_nights_labels_stay_inside_on_a_phone(page, transactional_db):
    user = UserFactory(display_name="Robin", time_zone="Europe/London")
    tonight = evening_of(timezone.now(), user.zone, user.wake_time)
    for days in (2, 1):
        services.night_log(
            user=user, evening=tonight - datetime.timedelta(days=days), severity=6, sleep_quality=2
        )
    sign_in(page, user)
    (chart,) = page.evaluate(MEASURE)
    assert chart["kind"] == "chart chart--nightly"  # no weekly bars from two nights
    labels = [t for t in chart["texts"] if t["text"][0].isdigit() and " " in t["text"]]
    assert len(labels) == 3  # two nights and tonight, each under its own slot
    for text in chart["texts"]:
        assert text["size"] <= 14 and text["height"] <= 16, text
        assert text["left"] >= -0.5 and text["right"] <= chart["width"] + 0.5, text


def test_report_prints_one_table_of_nights(page, transactional_db):
    user = UserFactory(display_name="Sam", time_zone="Europe/London")
    demo_data_ensure(user=user)
    sign_in(page, user)
    page.goto("/tracker/report/")
    page.emulate_media(media="print")
    assert page.get_by_role("table", name="Every evening with a night or a dose logged")
    assert not page.locator("details.chart-data--nightly").is_visible()
    assert page.locator("svg.chart--nightly").is_visible()
