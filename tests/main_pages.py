"""The main pages of the product, with the data that fills them, for the checks that walk
every page: axe-core in both themes (tests/e2e/test_accessibility.py) and the Nu HTML Checker
(tests/portal/test_html_valid.py).

A user with the demo log (about 60 nights, doses, a finished experiment, a blood test) plus
everything else a page can show: other medicines, "My iron", a share link and an API token.
"""

import datetime
from dataclasses import dataclass

from django.core.management import call_command

from api.services import token_create
from articles.models import Article
from reminders import tokens
from reminders.models import Delivery, DeliveryStatus, ReminderKind
from sharing.services import share_create
from tests.factories import link_token
from tracker import pdf_jobs, services
from tracker.demo import demo_data_ensure
from tracker.models import Dose, NightLog

# London keeps GMT in winter: the user's 21:40 and the next morning's 07:40 (as in the
# screenshots), when the dashboard leads with "Tonight" and with "How was last night?".
EVENING = datetime.datetime(2026, 11, 30, 21, 40, tzinfo=datetime.UTC)
MORNING = datetime.datetime(2026, 12, 1, 7, 40, tzinfo=datetime.UTC)

ANONYMOUS_PAGES = (
    "/",
    "/privacy/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/offline/",
)


@dataclass
class MainPages:
    signed_in: list[str]
    anonymous: list[str]


def main_pages_seed(*, user, now: datetime.datetime) -> MainPages:
    """Fill every page for `user` at `now`; the paths to visit signed in and signed out."""
    demo_data_ensure(user=user, now=now)
    call_command("seed_content", verbosity=0)
    services.medicine_add(user=user, kind="gabapentin", usual_time=datetime.time(20, 0))
    services.iron_product_set(user=user, name="Ferrous bisglycinate", elemental_mg=28,
                              frequency="alternate_days")  # fmt: skip
    night = NightLog.objects.filter(user=user).order_by("-evening").first()
    dose = Dose.objects.filter(user=user).order_by("-taken_at").first()
    _, share_token = share_create(
        user=user,
        label="Dr Lee",
        start=night.evening - datetime.timedelta(days=27),
        end=night.evening,
        include_experiment=True,
        now=now,
    )
    token_create(user=user, name="Phone app", scope="read", days=30, now=now)
    # Tonight's reminder, sent: the pages its email links open (GET confirms, changes nothing).
    delivery = Delivery.objects.create(
        user=user,
        kind=ReminderKind.EVENING,
        local_date=EVENING.date(),
        due_at=EVENING - datetime.timedelta(minutes=30),
        status=DeliveryStatus.SENT,
        sent_at=EVENING - datetime.timedelta(minutes=30),
    )
    sent = delivery.pk
    links = [
        f"/reminders/{page}/{link_token(purpose=purpose, user_id=user.pk, delivery_id=sent)}/"
        for page, purpose in (
            ("taken", tokens.TAKEN),
            ("skip", tokens.SKIP),
            ("snooze", tokens.SNOOZE),
            ("unsubscribe", tokens.UNSUBSCRIBE),
        )
    ]
    article = Article.objects.filter(status=Article.Status.PUBLISHED).order_by("slug").first()
    # The PDF's waiting page (no worker takes it). Not the ready page: a browser visiting it
    # starts the download (tests/e2e/test_pdf_journey.py checks that page).
    evening = EVENING.date() - datetime.timedelta(days=3)
    waiting = pdf_jobs.pdf_job_start(owner_id=user.pk, link_id=None, start=evening, end=evening,
                                     paper="A4", enqueue=lambda job: None)  # fmt: skip
    signed_in = [
        "/tracker/",
        "/tracker/log/",
        "/tracker/nights/",
        "/tracker/nights/new/",
        f"/tracker/nights/{night.pk}/edit/",
        f"/tracker/nights/{night.pk}/delete/",
        "/tracker/doses/",
        "/tracker/doses/new/",
        f"/tracker/doses/{dose.pk}/edit/",
        "/tracker/product/",
        "/tracker/medicines/",
        "/tracker/labs/",
        "/tracker/iron/",
        "/tracker/trial/",
        "/tracker/experiment/",
        "/tracker/experiment/report/",
        "/tracker/experiment/?new=1",
        "/tracker/report/",
        f"/tracker/pdf/{waiting.id}/",
        "/reminders/",
        "/reminders/welcome/",
        "/accounts/profile/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/delete/",
        "/accounts/shares/",
        "/accounts/tokens/",
        "/articles/",
        f"/articles/{article.slug}/",
        "/privacy/",
    ]
    anonymous = [*ANONYMOUS_PAGES, f"/share/{share_token}/", *links]
    return MainPages(signed_in=signed_in, anonymous=anonymous)
