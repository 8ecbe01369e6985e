"""The settings page's words for each channel: a reminder set to notifications must not say
"Email me at". The page describes what is saved (the sentence is read before a POST), so
these take the saved channel; a channel this module does not know reads as email.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reminders.models import ChannelChoice, ReminderKind

EMAIL, PUSH, BOTH = ChannelChoice.EMAIL, ChannelChoice.PUSH, ChannelChoice.BOTH

# The evening sentence: "[Email me at] [22:00] (30 min before my 22:30 bedtime)".
SENTENCE = {
    EMAIL: _("Email me at"),
    PUSH: _("Notify me on my devices at"),
    BOTH: _("Email and notify me at"),
}
# The box that turns each reminder on.
ENABLE = {
    ReminderKind.EVENING: {
        EMAIL: _("Email me an evening reminder to take my magnesium"),
        PUSH: _("Notify me in the evening to take my magnesium"),
        BOTH: _("Email and notify me in the evening to take my magnesium"),
    },
    ReminderKind.MORNING: {
        EMAIL: _('Email me a "How did you sleep?" reminder at my wake time'),
        PUSH: _('Notify me "How did you sleep?" at my wake time'),
        BOTH: _('Email and notify me "How did you sleep?" at my wake time'),
    },
}
# One line of the "next" list per reminder.
NEXT_LINE = {
    ReminderKind.EVENING: {
        EMAIL: _("Evening email:"),
        PUSH: _("Evening notification:"),
        BOTH: _("Evening email and notification:"),
    },
    ReminderKind.MORNING: {
        EMAIL: _("Morning email:"),
        PUSH: _("Morning notification:"),
        BOTH: _("Morning email and notification:"),
    },
}
NEXT_HEADING = {
    EMAIL: _("Next emails"),
    PUSH: _("Next notifications"),
    BOTH: _("Next emails and notifications"),
}
NEXT_HEADING_MIXED = _("Next reminders")


def _channel(value: str) -> str:
    return value if value in SENTENCE else EMAIL


def sentence_label(channel: str):
    """The words before the evening time, for the saved channel."""
    return SENTENCE[_channel(channel)]


def enable_label(kind: str, channel: str):
    """The label of the box that turns reminder `kind` on, for its saved channel."""
    return ENABLE[kind][_channel(channel)]


@dataclass(frozen=True)
class NextReminder:
    label: str
    due_at: object  # an aware datetime, or None when the reminder is off or has no next time


def next_reminders(settings: dict) -> tuple[str, list[NextReminder]]:
    """The heading and the lines of the "next" list, from the saved settings by kind.

    A reminder that is off still has its line ("off"), named by the channel it would use;
    the heading names the channels of the reminders that are on ("Next reminders" when they
    differ or none is on).
    """
    lines = []
    channels_on = set()
    for kind in (ReminderKind.EVENING, ReminderKind.MORNING):
        setting = settings[kind]
        channel = _channel(setting.channel)
        due_at = setting.next_due_at if setting.enabled else None
        if setting.enabled:
            channels_on.add(channel)
        lines.append(NextReminder(label=NEXT_LINE[kind][channel], due_at=due_at))
    heading = NEXT_HEADING[channels_on.pop()] if len(channels_on) == 1 else NEXT_HEADING_MIXED
    return heading, lines
