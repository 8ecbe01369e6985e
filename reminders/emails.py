"""Building reminder emails: text and HTML from templates, links from SITE_URL.

The subject and preview carry no health data. The Message-ID is derived from the delivery
id, so a repeat of the same delivery (after a crash) is recognisable as the same message.
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from reminders import tokens
from reminders.models import Delivery, ReminderKind

# The public URL of the night form (contract.md), opened straight from the morning email.
DIARY_PATH = "/tracker/nights/new/"


class Renderer:
    """Compiles the templates once and renders many messages (one per delivery)."""

    def __init__(self):
        self.templates = {
            kind: (
                get_template(f"reminders/email/{kind}.txt"),
                get_template(f"reminders/email/{kind}.html"),
            )
            for kind in ReminderKind.values
        }
        self.site_url = settings.SITE_URL
        self.domain = urlsplit(settings.SITE_URL).hostname or "localhost"
        sender_domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
        self.id_domain = sender_domain or self.domain
        self.settings_url = self.site_url + reverse("reminders:settings")

    def _link(self, name: str, purpose: str, delivery: Delivery) -> str:
        token = tokens.token_make(
            purpose=purpose, user_id=delivery.user_id, delivery_id=delivery.pk
        )
        return self.site_url + reverse(name, args=[token])

    def message_id(self, delivery: Delivery) -> str:
        return f"<reminder.{delivery.pk}.{delivery.local_date:%Y%m%d}@{self.id_domain}>"

    def subject(self, kind: str) -> str:
        if kind == ReminderKind.MORNING:
            return _("How did you sleep?")
        return _("Your evening reminder")

    def render(self, delivery: Delivery) -> EmailMultiAlternatives:
        user = delivery.user
        local = delivery.due_at.astimezone(user.zone)
        unsubscribe = self._link("reminders:unsubscribe", tokens.UNSUBSCRIBE, delivery)
        context = {
            "name": user.greeting_name,
            "local_time": formats.time_format(local.time(), "H:i"),
            "bedtime": formats.time_format(user.bedtime, "H:i"),
            "settings_url": self.settings_url,
            "unsubscribe_url": unsubscribe,
            "site_url": self.site_url,
        }
        if delivery.kind == ReminderKind.EVENING:
            context["taken_url"] = self._link("reminders:taken", tokens.TAKEN, delivery)
            context["skip_url"] = self._link("reminders:skip", tokens.SKIP, delivery)
        else:
            context["diary_url"] = self.site_url + DIARY_PATH
        text_template, html_template = self.templates[delivery.kind]
        with translation.override(settings.LANGUAGE_CODE):
            message = EmailMultiAlternatives(
                subject=self.subject(delivery.kind),
                body=text_template.render(context),
                to=[user.email],
                headers={
                    "Message-ID": self.message_id(delivery),
                    "List-Unsubscribe": f"<{unsubscribe}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    "Auto-Submitted": "auto-generated",
                },
            )
            message.attach_alternative(html_template.render(context), "text/html")
        return message
