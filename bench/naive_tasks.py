"""The naive design, for the bench's comparison only: one task and one new SMTP connection
per user. Loaded into the bench's workers with `-I bench.naive_tasks`; never in production.
"""

from celery import shared_task
from django.core.mail import get_connection
from django.utils import timezone


@shared_task(name="bench.naive_send", ignore_result=True)
def naive_send(delivery_id: int) -> None:
    from reminders.emails import Renderer
    from reminders.models import Delivery

    delivery = Delivery.objects.select_related("user").get(pk=delivery_id)
    message = Renderer().render(delivery)
    get_connection().send_messages([message])  # opens and closes its own connection
    Delivery.objects.filter(pk=delivery_id).update(status="sent", sent_at=timezone.now())
