"""What a reminder notification (Web Push) says: JSON the service worker shows.

Like the email's subject, it carries no health data: no dose, no experiment allocation, no
name (a lock screen is public). Its actions are the email's signed links for this delivery,
which the service worker POSTs to ("I took it", "Skip tonight", "Remind me in 30 minutes"),
then opens to show what happened; a plain click opens the dashboard.
"""

import json

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from reminders import tokens
from reminders.emails import DeliveryToSend
from reminders.models import ReminderKind

# In this order: a browser shows as many as it can (Chrome two), the first ones first.
ACTIONS = {
    ReminderKind.EVENING: (tokens.TAKEN, tokens.SNOOZE, tokens.SKIP),
    ReminderKind.MORNING: (),
}


class NotificationRenderer:
    """Texts per language and link prefixes made once; each notification signs its links."""

    def __init__(self, language: str | None = None):
        self.language = language or settings.LANGUAGE_CODE
        site = settings.SITE_URL
        self.dashboard_url = site + reverse("tracker:dashboard")
        try:
            self.icon_url = site + static("icons/icon-192.png")
        except ValueError:  # static files not collected where this worker runs: no icon
            self.icon_url = ""
        self._link_prefix = {
            purpose: site + reverse(f"reminders:{purpose}", args=["0"])[:-2]
            for purpose in (tokens.TAKEN, tokens.SKIP, tokens.SNOOZE)
        }
        with translation.override(self.language):
            self.titles = {
                ReminderKind.EVENING: _("Your evening reminder"),
                ReminderKind.MORNING: _("How did you sleep?"),
            }
            self.bodies = {
                ReminderKind.EVENING: _("When you are ready, let Restwell know."),
                ReminderKind.MORNING: _("Log last night while you still remember it."),
            }
            self.action_titles = {
                tokens.TAKEN: _("I took it"),
                tokens.SKIP: _("Skip tonight"),
                tokens.SNOOZE: _("In 30 minutes"),
            }

    def payload(self, delivery: DeliveryToSend) -> dict:
        purposes = ACTIONS[delivery.kind]
        signed = tokens.tokens_make(
            purposes=purposes, user_id=delivery.user_id, delivery_id=delivery.pk
        )
        return {
            "title": self.titles[delivery.kind],
            "body": self.bodies[delivery.kind],
            # One notification per reminder and night: a snooze or a repeat replaces it.
            "tag": f"restwell-{delivery.kind}-{delivery.local_date.isoformat()}",
            "url": self.dashboard_url,
            "icon": self.icon_url,
            "actions": [
                {
                    "action": purpose,
                    "title": self.action_titles[purpose],
                    "url": f"{self._link_prefix[purpose]}{signed[purpose]}/",
                }
                for purpose in purposes
            ],
        }

    def encode(self, delivery: DeliveryToSend) -> bytes:
        return json.dumps(self.payload(delivery), separators=(",", ":")).encode()


_renderers: dict[tuple, NotificationRenderer] = {}


def notification_renderer_get(*, language: str | None = None) -> NotificationRenderer:
    language = language or settings.LANGUAGE_CODE
    key = (settings.SITE_URL, language)
    if key not in _renderers:
        if len(_renderers) > 32:
            _renderers.clear()
        _renderers[key] = NotificationRenderer(language)
    return _renderers[key]
