"""Building reminder emails: text and HTML from templates, links from SITE_URL.

The subject and preview carry no health data. The Message-ID is derived from the delivery
id, so a repeat of the same delivery (after a crash) is recognisable as the same message.

Fan-out speed: each template is rendered once per worker process (renderer_get)
with placeholder markers, then each message only substitutes its own values (escaped for the
HTML part) — Django's template engine and Python's email generator cost more per message
than the SMTP conversation itself. For the SMTP backend the MIME bytes are assembled
directly (`Outgoing.as_bytes`); other backends (anymail providers, tests) get an
EmailMultiAlternatives with the very same parts.
"""

import datetime
import functools
import re
import time
import uuid
import zoneinfo
from dataclasses import dataclass
from email.header import Header
from email.utils import formatdate, parseaddr
from html import escape as html_escape
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from reminders import tokens
from reminders.models import ReminderKind

# The public URL of the night form (contract.md), opened straight from the morning email.
DIARY_PATH = "/tracker/nights/new/"
# Context keys whose values differ per message; the templates use them only as {{ key }}.
PER_MESSAGE = (
    "greeting", "local_time", "bedtime", "intro", "taken_url", "skip_url", "snooze_url",
    "unsubscribe_url",
)  # fmt: skip
_MARK = "\x1f{}\x1f"  # a control character no template text or escaped value contains
# The signed links each kind of email carries.
LINK_PURPOSES = {
    ReminderKind.EVENING: (tokens.TAKEN, tokens.SKIP, tokens.SNOOZE, tokens.UNSUBSCRIBE),
    ReminderKind.MORNING: (tokens.UNSUBSCRIBE,),
}
_MARKED = re.compile("\x1f([a-z_]+)\x1f")
_UNSAFE_IN_VALUE = re.compile("[\x1f\r\n]")


@dataclass(frozen=True, slots=True)
class DeliveryToSend:
    """One leased delivery with what its email needs, as plain values: a chunk builds
    hundreds of these, and model instances (a delivery and its user) cost several times more."""

    pk: int
    user_id: int
    kind: str
    local_date: datetime.date
    due_at: datetime.datetime
    email: str
    display_name: str
    language: str
    time_zone: str
    bedtime: datetime.time
    wake_time: datetime.time
    sequence: int = 0  # 0: the scheduled reminder; 1, 2: a snooze of it
    channel: str = "email"  # or "push"
    # In a running experiment: ("magnesium", mg), ("none", "") or ("packet", number) for
    # tonight — said in the body, never the subject (the subject is the same for everyone).
    experiment: tuple[str, str] | None = None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


@dataclass
class Outgoing:
    """One rendered reminder: enough to send it either as raw bytes or as an EmailMessage."""

    kind: str
    from_email: str
    to: str
    subject: str
    headers: dict[str, str]
    text: str
    html: str
    boundary: str

    def as_email_message(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text,
            from_email=self.from_email,
            to=[self.to],
            headers=self.headers,
        )
        message.attach_alternative(self.html, "text/html")
        return message

    def as_bytes(self, *, encoded_from: str, encoded_subject: str) -> bytes:
        """RFC 5322 multipart/alternative, 8bit UTF-8 parts (as Django sends short lines)."""
        head = [
            f"From: {encoded_from}",
            f"To: {self.to}",
            f"Subject: {encoded_subject}",
            f"Date: {_date_header(int(time.time()))}",
            "MIME-Version: 1.0",
            *(f"{name}: {value}" for name, value in self.headers.items()),
            f'Content-Type: multipart/alternative; boundary="{self.boundary}"',
        ]
        parts = [
            f"--{self.boundary}\n"
            f'Content-Type: text/{subtype}; charset="utf-8"\n'
            f"Content-Transfer-Encoding: 8bit\n\n{body}\n"
            for subtype, body in (("plain", self.text), ("html", self.html))
        ]
        raw = "\n".join(head) + "\n\n" + "".join(parts) + f"--{self.boundary}--\n"
        # Templates and values hold bare "\n" only (skeletons are normalised, values are
        # single lines): one pass turns every line ending into CRLF.
        return raw.replace("\n", "\r\n").encode("utf-8")


class Renderer:
    """Renders the templates once, then many messages (one per delivery) from them."""

    def __init__(self, language: str | None = None):
        self.language = language or settings.LANGUAGE_CODE
        self.site_url = settings.SITE_URL
        self.domain = urlsplit(settings.SITE_URL).hostname or "localhost"
        self.from_email = settings.DEFAULT_FROM_EMAIL
        self.envelope_from = parseaddr(self.from_email)[1]
        self.id_domain = self.envelope_from.rpartition("@")[2] or self.domain
        self.settings_url = self.site_url + reverse("reminders:settings")
        self._boundary = f"=_restwell_{uuid.uuid4().hex}"
        # reverse() once per link; each message only signs its tokens.
        self._link_prefix = {
            purpose: self.site_url + reverse(f"reminders:{purpose}", args=["0"])[:-2]
            for purpose in (tokens.TAKEN, tokens.SKIP, tokens.SNOOZE, tokens.UNSUBSCRIBE)
        }
        with translation.override(self.language):
            self.subjects = {
                ReminderKind.EVENING: _("Your evening reminder"),
                ReminderKind.MORNING: _("How did you sleep?"),
            }
            self.skeletons = {kind: self._skeleton(kind) for kind in ReminderKind.values}
            # (with a display name, without one): never the address's local part, which
            # may be "j.smith1987" or a shared inbox's name.
            self.greetings = {
                ReminderKind.EVENING: (_("Hello %(name)s,"), _("Hello,")),
                ReminderKind.MORNING: (_("Good morning %(name)s,"), _("Good morning,")),
            }
            self.intros = {
                None: _("It is %(time)s: time for your magnesium. Your usual bedtime is %(bed)s."),
                "magnesium": _(
                    "It is %(time)s. Tonight is a magnesium night: %(value)s mg. "
                    "Your usual bedtime is %(bed)s."
                ),
                "none": _("It is %(time)s. Tonight: no magnesium. Your usual bedtime is %(bed)s."),
                "packet": _(
                    "It is %(time)s. Tonight: a capsule from packet %(value)s. "
                    "Your usual bedtime is %(bed)s."
                ),
            }
        self.encoded_from = _encode_address(self.from_email)
        self.encoded_subjects = {
            kind: Header(subject, "utf-8").encode() for kind, subject in self.subjects.items()
        }

    def _skeleton(self, kind: str) -> tuple[list[str], list[str]]:
        """The text and HTML templates rendered with markers, split around them: literal
        text at even positions, the key of a per-message value at odd ones."""
        context = {key: _MARK.format(key) for key in PER_MESSAGE}
        context |= {
            "settings_url": self.settings_url,
            "site_url": self.site_url,
            "diary_url": self.site_url + DIARY_PATH,
        }
        text = get_template(f"reminders/email/{kind}.txt").render(context)
        html = get_template(f"reminders/email/{kind}.html").render(context)
        return tuple(
            _MARKED.split(body.replace("\r\n", "\n").replace("\r", "\n")) for body in (text, html)
        )

    def _links(self, delivery: DeliveryToSend) -> dict[str, str]:
        purposes = LINK_PURPOSES[delivery.kind]
        signed = tokens.tokens_make(
            purposes=purposes, user_id=delivery.user_id, delivery_id=delivery.pk
        )
        return {purpose: f"{self._link_prefix[purpose]}{signed[purpose]}/" for purpose in purposes}

    def message_id(self, delivery: DeliveryToSend) -> str:
        day = delivery.local_date  # YYYYMMDD, without strftime (per message)
        return (
            f"<reminder.{delivery.pk}.{day.year:04d}{day.month:02d}{day.day:02d}@{self.id_domain}>"
        )

    def outgoing(self, delivery: DeliveryToSend, *, links: dict | None = None) -> Outgoing:
        """The message for one delivery; `links` replaces the signed links (a preview's)."""
        local = delivery.due_at.astimezone(delivery.zone)
        bedtime = delivery.bedtime
        links = links if links is not None else self._links(delivery)
        unsubscribe = links[tokens.UNSUBSCRIBE]
        # A display name could carry a line break or a marker: a name is one line.
        name = _UNSAFE_IN_VALUE.sub(" ", delivery.display_name).strip()
        with_name, without_name = self.greetings[delivery.kind]
        values = {
            "greeting": with_name % {"name": name} if name else without_name,
            "local_time": f"{local.hour:02d}:{local.minute:02d}",  # "H:i", without the
            "bedtime": f"{bedtime.hour:02d}:{bedtime.minute:02d}",  # format engine
            "unsubscribe_url": unsubscribe,
            "taken_url": links.get(tokens.TAKEN, ""),
            "skip_url": links.get(tokens.SKIP, ""),
            "snooze_url": links.get(tokens.SNOOZE, ""),
        }
        variant, value = delivery.experiment or (None, "")
        values["intro"] = self.intros[variant] % {
            "time": values["local_time"],
            "bed": values["bedtime"],
            "value": value,
        }
        text, html = self.skeletons[delivery.kind]
        escaped = {key: html_escape(value) for key, value in values.items()}
        return Outgoing(
            kind=delivery.kind,
            from_email=self.from_email,
            to=delivery.email,
            subject=self.subjects[delivery.kind],
            headers={
                "Message-ID": self.message_id(delivery),
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
            text=_fill(text, values),
            html=_fill(html, escaped),
            boundary=f"{self._boundary}_{delivery.pk}",
        )

    def raw(self, outgoing: Outgoing) -> bytes:
        return outgoing.as_bytes(
            encoded_from=self.encoded_from, encoded_subject=self.encoded_subjects[outgoing.kind]
        )


_renderers: dict[tuple, Renderer] = {}


def renderer_get(*, language: str | None = None) -> Renderer:
    """A Renderer per process, configuration and language: the templates are rendered once
    per language, not per chunk (the site URL, sender and language are all it depends on)."""
    language = language or settings.LANGUAGE_CODE
    config = (settings.SITE_URL, settings.DEFAULT_FROM_EMAIL)
    if any(key[:2] != config for key in _renderers):
        _renderers.clear()  # settings changed (tests): start again
    key = (*config, language)
    if key not in _renderers:
        _renderers[key] = Renderer(language)
    return _renderers[key]


def _fill(pieces: list[str], values: dict[str, str]) -> str:
    """A split skeleton with each key (odd positions) replaced by its value: one join."""
    filled = pieces.copy()
    filled[1::2] = [values[key] for key in pieces[1::2]]
    return "".join(filled)


@functools.lru_cache(maxsize=1)
def _date_header(second: int) -> str:
    """The Date header for this second: formatted once per second, not once per message."""
    return formatdate(second, localtime=False)


def _encode_address(address: str) -> str:
    name, addr = parseaddr(address)
    if not name:
        return addr
    if name.isascii():
        special = any(c in name for c in ',;:"()<>@[]')
        return f'"{name}" <{addr}>' if special else f"{name} <{addr}>"
    return f"{Header(name, 'utf-8').encode()} <{addr}>"
