"""The naive design, for the bench's comparison only: one task and one new SMTP connection
per user. Loaded into the bench's workers with `-I bench.naive_tasks`; never in production.
"""

from celery import shared_task
from django.core.mail import get_connection
from django.utils import timezone


def email_for(delivery_id: int):
    """One delivery's reminder as a Django EmailMessage, built from its model instances."""
    # Imported here: this module is loaded by the worker before Django is set up.
    from reminders.emails import DeliveryToSend, renderer_get
    from reminders.models import Delivery

    delivery = Delivery.objects.select_related("user").get(pk=delivery_id)
    user = delivery.user
    to_send = DeliveryToSend(
        pk=delivery.pk, user_id=delivery.user_id, kind=delivery.kind,
        local_date=delivery.local_date, due_at=delivery.due_at, email=user.email,
        display_name=user.display_name, language=user.language,
        time_zone=user.time_zone, bedtime=user.bedtime, wake_time=user.wake_time,
    )  # fmt: skip
    return renderer_get(language=user.language).outgoing(to_send).as_email_message()


@shared_task(name="bench.naive_send", ignore_result=True)
def naive_send(delivery_id: int) -> None:
    from reminders.models import Delivery

    message = email_for(delivery_id)
    get_connection().send_messages([message])  # opens and closes its own connection
    Delivery.objects.filter(pk=delivery_id).update(status="sent", sent_at=timezone.now())
