"""Celery tasks for articles: they load what a service needs and call it."""

import datetime

from celery import shared_task
from django.utils import timezone

from articles import selectors, services


@shared_task(name="articles.tasks.review_digests_send", ignore_result=True)
def review_digests_send_task(today: str | None = None) -> int:
    """Weekly: email each medical reviewer the articles due or overdue for review. Safe to
    repeat: each reviewer gets at most one such email per ISO week (ReviewDigest), none when
    nothing is due. `today` (ISO date) lets a test fix the day; beat leaves it to the clock."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    due = list(selectors.articles_due_for_review(today=day))
    return services.review_digests_send(today=day, due=due)
