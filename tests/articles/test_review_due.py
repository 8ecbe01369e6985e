"""Review due: each article's next review date, the admin filter, and the weekly email to
medical reviewers (in process at fixed instants, and through a real worker and SMTP sink)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from articles.models import Article, ReviewDigest
from articles.selectors import articles_due_for_review
from articles.services import REVIEW_INTERVAL, article_save
from articles.tasks import review_digests_send_task
from tests.articles.conftest import make_reviewer

MONDAY = datetime.datetime(2026, 3, 9, 7, 23, tzinfo=datetime.UTC)
TODAY = MONDAY.date()


@pytest.fixture
def articles(article_factory):
    return {
        "overdue": article_factory(
            title="Overdue one", next_review_due=TODAY - datetime.timedelta(days=1)
        ),
        "due": article_factory(
            title="Due one", next_review_due=TODAY + datetime.timedelta(days=28)
        ),
        "later": article_factory(
            title="Later one", next_review_due=TODAY + datetime.timedelta(days=29)
        ),
    }


def test_the_next_review_defaults_to_a_year_after_the_review_date(db):
    article = Article(
        title="T", slug="t", summary="S", body="B", evidence_note="E",
        evidence_strength=Article.Evidence.LIMITED, reviewed_on=TODAY,
    )  # fmt: skip
    article_save(article=article)
    assert article.next_review_due == TODAY + REVIEW_INTERVAL


def test_due_means_overdue_or_within_four_weeks(articles):
    assert [a.title for a in articles_due_for_review(today=TODAY)] == ["Overdue one", "Due one"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("overdue", {"Overdue one"}), ("due", {"Due one"}), ("not_due", {"Later one"})],
)
def test_the_admin_filters_due_overdue_and_not_due(editor_client, articles, value, expected):
    with time_machine.travel(MONDAY, tick=False):
        response = editor_client.get(
            reverse("admin:articles_article_changelist"), {"review": value}
        )
    assert {a.title for a in response.context["cl"].result_list} == expected


def test_each_reviewer_gets_one_email_a_week_without_health_data(articles, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    patel = make_reviewer(display_name="Dr A. Patel")  # with the factory's Dr Test: three
    make_reviewer(display_name="Dr B. Okafor").user.groups.clear()  # no longer a reviewer
    with time_machine.travel(MONDAY, tick=False):
        assert review_digests_send_task() == 2
        assert review_digests_send_task() == 0  # the same week: nothing again
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == [patel.user.email])
    assert message.subject == "Articles due for medical review"
    assert "Overdue one — overdue since 8 March 2026" in message.body
    assert "Due one — due by 6 April 2026" in message.body
    assert "Later one" not in message.body
    assert "/admin/articles/article/" in message.body
    with time_machine.travel(MONDAY + datetime.timedelta(days=7), tick=False):
        assert review_digests_send_task() == 2  # a new week
    assert ReviewDigest.objects.count() == 4  # Okafor, outside the group, never


def test_nothing_is_sent_when_nothing_is_due(article_factory, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    article_factory(next_review_due=TODAY + datetime.timedelta(days=60))
    make_reviewer()
    assert review_digests_send_task(today=TODAY.isoformat()) == 0
    assert mail.outbox == [] and not ReviewDigest.objects.exists()


def test_the_beat_runs_it_weekly():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["articles-review-digests"]
    assert entry["task"] == "articles.tasks.review_digests_send"
    assert entry["schedule"].day_of_week == {1}


@pytest.mark.worker
def test_the_weekly_email_through_a_real_worker_and_smtp(
    celery_worker, smtp_sink, transactional_db
):
    from tests.articles.conftest import make_article

    make_article(
        title="Overdue one",
        status=Article.Status.DRAFT,
        approved=False,
        next_review_due=TODAY - datetime.timedelta(days=3),
    )
    reviewer = make_reviewer(display_name="Dr A. Patel")
    # The worker does not see time-machine: the day is passed, as beat's clock would give it.
    review_digests_send_task.delay(today=TODAY.isoformat())
    review_digests_send_task.delay(today=TODAY.isoformat())
    messages = smtp_sink.wait_for(1, timeout=30)
    assert len(smtp_sink.wait_for(2, timeout=3)) == 1  # the second run sent nothing
    received = messages[0]
    assert received["to"] == [reviewer.user.email]
    assert received["message"]["Subject"] == "Articles due for medical review"
    plain = received["message"].get_body(preferencelist=("plain",)).get_content()
    assert "Hello Dr A. Patel" in plain and "Overdue one — overdue since 6 March 2026" in plain
