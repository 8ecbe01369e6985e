"""Blood tests and "My iron" in a browser: a result reads in its band, the sampling question
is answered, the iron product is saved; every page passes axe and the CSP."""

import os

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import UserFactory

SHOTS = os.environ.get("TRACKER_SCREENSHOTS")  # a folder: save screenshots for review


def test_a_ferritin_of_90_reads_in_the_iv_band_and_my_iron_is_saved(page, transactional_db):
    user = UserFactory(display_name="Robin", time_zone="Europe/London")
    sign_in(page, user)
    page.goto(page.url.split("/tracker/")[0] + "/tracker/labs/")
    assert_accessible(page)
    page.get_by_label("Date of the blood test").fill("2026-01-10")
    page.get_by_label("Ferritin (ng/mL, the same as µg/L)").fill("90")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/tracker/labs/")
    assert page.get_by_text("in the 75–100 band where IV iron may be considered").is_visible()
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "iron-01-labs.png"), full_page=True)
    page.get_by_role("link", name="Add my iron").click()
    page.wait_for_url("**/tracker/iron/")
    assert_accessible(page)
    page.get_by_label("Product").fill("Ferrous sulfate 325 mg")
    page.get_by_label("Elemental iron per dose (mg)").fill("65")
    page.get_by_label("How often").select_option("alternate_days")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/tracker/labs/")
    assert page.get_by_text(
        "Ferrous sulfate 325 mg: 65 mg elemental iron, every other day"
    ).is_visible()
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "iron-02-labs-with-iron.png"), full_page=True)
