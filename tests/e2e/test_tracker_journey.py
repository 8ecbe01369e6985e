"""Save a product, log a dose in one tap, log last night, see both on the chart and the report."""

import os

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import UserFactory

SHOTS = os.environ.get("TRACKER_SCREENSHOTS")  # a folder: save screenshots for review


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_product_one_tap_dose_last_night_chart_and_report(page, transactional_db):
    user = UserFactory(display_name="Robin", time_zone="Europe/London")
    sign_in(page, user)
    assert_accessible(page)
    _shot(page, "01-dashboard-empty")

    page.get_by_role("link", name="Save “My magnesium” for one-tap logging").click()
    page.wait_for_url("**/tracker/product/")
    assert_accessible(page)
    page.get_by_label("Form").select_option("glycinate")
    page.get_by_label("Amount (mg)").fill("1420")
    page.get_by_label("mg of the compound").check()
    # The live preview (progressive enhancement) converts as the user types.
    assert page.get_by_text("≈ 200.2 mg elemental magnesium", exact=False).is_visible()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/tracker/")
    assert page.get_by_text("“My magnesium” is saved").is_visible()

    page.get_by_role("button", name="I took my magnesium now").click()
    page.wait_for_url("**/tracker/")
    assert page.get_by_text("200.2 mg elemental").first.is_visible()
    assert page.get_by_text("Logged at").is_visible()

    # How was last night? Severity and quality as large buttons, then save.
    page.locator("label[for=quick_severity_6]").click()
    page.locator("label[for=quick_sleep_quality_1]").click()  # ids count from 0: "Poor"
    page.get_by_role("button", name="Save last night").click()
    page.wait_for_url("**/tracker/")
    assert page.get_by_text("Legs 6/10 · sleep Poor").first.is_visible()
    # Then the optional stomach question, one tap an answer.
    with page.expect_navigation():
        page.get_by_role("button", name="Loose stools").click()
    assert page.get_by_text("Noted for the night of").is_visible()
    assert page.get_by_role("button", name="Loose stools", pressed=True).is_visible()
    assert_accessible(page)
    _shot(page, "02-dashboard-logged")

    chart = page.locator("svg.chart--nightly")
    assert chart.locator("rect.chart-bar").count() == 1  # last night's severity
    assert chart.locator("line.chart-dose").count() == 1  # tonight's dose
    page.get_by_text("Show the numbers as a table").first.click()
    table = page.get_by_role("table", name="Night by night")
    assert table.get_by_role("cell", name="200.2").is_visible()

    page.goto("/tracker/report/")
    assert_accessible(page)
    _shot(page, "03-report")
    # Its PDF comes from a Celery worker: tests/e2e/test_pdf_journey.py.


def test_log_pages_are_accessible(page, transactional_db):
    from tracker.demo import demo_data_ensure

    user = UserFactory(display_name="Sam", time_zone="America/New_York")
    demo_data_ensure(user=user)
    sign_in(page, user)
    assert_accessible(page)
    _shot(page, "04-dashboard-demo")
    for path in (
        "/tracker/?days=365",
        "/tracker/log/",
        "/tracker/nights/",
        "/tracker/nights/new/",
        "/tracker/doses/",
        "/tracker/doses/new/",
        "/tracker/medicines/",
        "/tracker/labs/",
        "/tracker/trial/",
    ):
        page.goto(path)
        assert_accessible(page)
        _shot(page, "05" + path.replace("/", "-").replace("?", "-"))
    # A validation error is tied to its field and keeps what was typed.
    page.goto("/tracker/doses/new/")
    page.get_by_label("Amount (mg)").fill("5000")
    page.get_by_label("Note").fill("keep this")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("probably a typo").is_visible()
    assert page.get_by_label("Note").input_value() == "keep this"
    assert_accessible(page)
