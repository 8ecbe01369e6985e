"""Plan the magnesium experiment, start it, and read tonight's allocation on the dashboard."""

from django.utils import timezone

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import UserFactory
from tracker import services
from tracker.evening import evening_of
from tracker.models import Experiment


def test_plan_start_and_read_tonight(page, transactional_db):
    user = UserFactory(display_name="Robin", time_zone="Europe/London")
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    sign_in(page, user)

    page.get_by_role("link", name="Plan an experiment").click()
    page.wait_for_url("**/tracker/experiment/")
    assert_accessible(page)
    # Defaults that work: the legs score, 1 point, 4 pairs of 7 nights, 2 nights washout.
    assert page.get_by_label("How bad your legs were (0 to 10, lower is better)").is_checked()
    assert page.get_by_label("The smallest change that would matter to you").input_value() == "1.0"
    assert page.get_by_label("Pairs of periods").input_value() == "4"
    tonight = evening_of(timezone.now(), user.zone, user.wake_time)
    page.get_by_label("First evening").fill(tonight.isoformat())
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_url("**/tracker/experiment/")
    assert page.get_by_text("Your plan is saved.").is_visible()

    page.get_by_role("button", name="Start: draw the order and lock the plan").click()
    page.wait_for_url("**/tracker/experiment/")
    assert page.get_by_text("The order is drawn and the plan is locked.").is_visible()
    experiment = Experiment.objects.get(user=user)
    line = (
        "Tonight is a magnesium night: 200 mg."
        if experiment.orders[0]
        else "Tonight: no magnesium."
    )
    assert page.get_by_text(line).is_visible()
    assert page.get_by_text(experiment.fingerprint[:16]).is_visible()
    assert_accessible(page)

    page.goto("/tracker/")
    card = page.get_by_role("region", name="Your magnesium experiment")
    assert card.get_by_text(line).is_visible()
    assert card.get_by_text("0 of 4 pairs complete").is_visible()
    assert_accessible(page)
