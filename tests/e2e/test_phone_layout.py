"""At 360 px no page scrolls sideways, and the dashboard's two daily actions need no scrolling.

The user has data that stretches a layout: weeks of nights and doses, long notes and tags,
a long unbroken word (a pasted link), a medicine and a blood test.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.seeding import launch_content_seed
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import UserFactory
from tracker import services
from tracker.demo import demo_data_ensure
from tracker.models import NightLog

LONG_NOTE = (
    "Legs were restless from about ten, walked around the kitchen twice, then a warm shower "
    "helped a little; the neighbours' party did not. "
    "https://example.org/a-very-long-pasted-link-without-any-spaces-at-all-to-break-on-anywhere"
)

LONDON = zoneinfo.ZoneInfo("Europe/London")

SIGNED_IN_PAGES = (
    "/tracker/",
    "/tracker/nights/",
    "/tracker/nights/new/",
    "/tracker/doses/",
    "/tracker/doses/new/",
    "/tracker/log/",
    "/tracker/product/",
    "/tracker/medicines/",
    "/tracker/labs/",
    "/tracker/trial/",
    "/tracker/report/",
    "/tracker/experiment/",
    "/tracker/experiment/report/",
    "/reminders/",
    "/accounts/profile/",
    "/accounts/email/",
    "/accounts/tokens/",
    "/articles/",
)
SIGNED_OUT_PAGES = ("/", "/privacy/")

OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .filter((el) => !el.closest('.table-responsive, .visually-hidden, .skip-link'))
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


def _user_with_data():
    user = UserFactory(display_name="Alexandrina Montgomery-Smythe", time_zone="Europe/London")
    demo_data_ensure(user=user)
    services.medicine_add(user=user, kind="gabapentin", usual_time=datetime.time(22, 0))
    for night in NightLog.objects.filter(user=user).order_by("-evening")[:6]:
        night.notes = LONG_NOTE
        night.tags = "late dinner, hot room, long drive home, argument, red wine with dinner"
        night.save()
    for days in range(1, 4):
        services.dose_record(
            user=user,
            taken_at=timezone.now() - datetime.timedelta(days=days, hours=1),
            form="glycinate",
            amount_mg=1420,
            unit="compound",
            note=LONG_NOTE[-190:],
        )
    return user


def _sideways(page, path):
    page.goto(path)
    found = page.evaluate(OVERFLOW)
    return [] if found["scroll"] <= found["width"] else [f"{path} scrolls sideways: {found}"]


def test_no_page_scrolls_sideways_at_360_px(page, transactional_db, settings):
    settings.ARTICLES_PUBLIC = True
    launch_content_seed()
    article = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    user = _user_with_data()
    night = NightLog.objects.filter(user=user).order_by("-evening").first()
    dose = user.doses.order_by("-taken_at").first()

    problems = []
    for path in SIGNED_OUT_PAGES:
        problems += _sideways(page, path)
    sign_in(page, user)
    extra = (
        f"/tracker/nights/{night.pk}/edit/",
        f"/tracker/doses/{dose.pk}/edit/",
        article.get_absolute_url(),
    )
    for path in SIGNED_IN_PAGES + extra:
        problems += _sideways(page, path)
    assert problems == [], "\n".join(problems)


def _in_viewport(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def _bottom_nav_top(page):
    return page.locator(".app-nav").bounding_box()["y"]


# Fixed instants in London (the browser's zone too): the morning card leads at 06:59 and 10:33,
# the evening card at 21:00 and 00:30 (tracker.evening.morning_first).
DAILY_ACTION_INSTANTS = [
    pytest.param(datetime.datetime(2026, 6, 15, h, m, tzinfo=LONDON), top, id=f"{h:02}{m:02}")
    for h, m, top in (
        (6, 59, "morning"),
        (10, 33, "morning"),
        (21, 0, "tonight"),
        (0, 30, "tonight"),
    )
]


@pytest.mark.parametrize(("now", "top"), DAILY_ACTION_INSTANTS)
def test_dashboard_daily_actions_need_no_scrolling(page, transactional_db, now, top):
    with time_machine.travel(now, tick=True):
        user = UserFactory(display_name="Alexandrina Montgomery-Smythe", time_zone="Europe/London")
        services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
        sign_in(page, user)
        # As on any later visit: without the one-off "signed in" message above the cards.
        page.goto("/tracker/")
        assert page.viewport_size == {"width": 360, "height": 740}
        first = page.locator(".quick-card h2").first.get_attribute("id")
        assert first == f"{top}-heading"
        evening = page.get_by_role("button", name="I took my magnesium now")
        morning = page.get_by_role("button", name="Save last night")
        nav_top = _bottom_nav_top(page)  # the fixed tab bar covers the bottom of the viewport
        for action in (evening, morning):
            assert _in_viewport(page, action), action
            box = action.bounding_box()
            assert box["y"] + box["height"] <= nav_top, "hidden behind the tab bar"
            assert box["height"] >= 44
        # The morning answers (a severity and a quality) are within reach too.
        for label in ("label[for=quick_severity_10]", "label[for=quick_sleep_quality_4]"):
            assert _in_viewport(page, page.locator(label)), label
        assert page.evaluate(OVERFLOW)["scroll"] <= 360  # no sideways scroll either
        assert_accessible(page)


def test_a_missed_night_is_one_tap_from_the_nights_list(page, transactional_db):
    user = UserFactory(display_name="Sam", time_zone="Europe/London")
    newest = timezone.localdate(timezone=user.zone) - datetime.timedelta(days=1)
    missed = newest - datetime.timedelta(days=2)
    for days in range(0, 6):
        evening = newest - datetime.timedelta(days=days)
        if evening != missed:
            services.night_log(user=user, evening=evening, severity=3, sleep_quality=3)
    sign_in(page, user)
    page.goto("/tracker/nights/")
    assert_accessible(page)
    name = f"{missed.day} {missed:%B}, not logged"
    link = page.get_by_role("link", name=name)
    box = link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    link.click()
    page.wait_for_url(f"**/tracker/nights/new/?evening={missed.isoformat()}")
    heading = f"How was the night of {missed.day} {missed:%B %Y}?"
    assert page.get_by_role("heading", name=heading).is_visible()
    assert_accessible(page)
    page.locator("label[for=id_severity_4]").click()
    page.locator("label[for=id_sleep_quality_2]").click()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/tracker/nights/")
    assert page.get_by_role("link", name=f"{missed.day} {missed:%B}, logged").is_visible()
    assert NightLog.objects.filter(user=user).count() == 6
