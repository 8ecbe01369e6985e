"""The email channel: one SMTP connection (or the configured backend) per chunk."""

import logging
import smtplib
from collections.abc import Sequence

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from reminders.dispatch.transport import ChannelDown, Refused
from reminders.emails import DeliveryToSend, Renderer, renderer_get
from reminders.models import Channel, DeliveryStatus

logger = logging.getLogger(__name__)


class EmailTransport:
    channel = Channel.EMAIL

    def __init__(self):
        self.backend = None
        self.raw_smtp = None
        self.renderers: dict[str, Renderer] = {}

    def open(self, deliveries: Sequence[DeliveryToSend]) -> None:
        self.backend = get_connection(fail_silently=False)
        try:
            self.backend.open()
        except (smtplib.SMTPException, OSError) as error:
            raise ChannelDown("smtp_connect") from error
        # Django's SMTP backend: hand smtplib the bytes we built. Any other backend (a
        # provider through anymail, the test outbox): an EmailMessage with the same parts.
        self.raw_smtp = self.backend.connection if isinstance(self.backend, SmtpBackend) else None

    def transmit(self, delivery: DeliveryToSend) -> None:
        if delivery.language not in self.renderers:
            self.renderers[delivery.language] = renderer_get(language=delivery.language)
        renderer = self.renderers[delivery.language]
        outgoing = renderer.outgoing(delivery)
        try:
            if self.raw_smtp is not None and outgoing.to.isascii():
                _smtp_send(
                    self.raw_smtp, renderer.envelope_from, outgoing.to, renderer.raw(outgoing)
                )
            else:
                self.backend.send_messages([outgoing.as_email_message()])
        except (smtplib.SMTPException, OSError) as error:
            if _permanent(error):
                logger.warning("reminder delivery %s rejected by SMTP", delivery.pk)
                raise Refused(DeliveryStatus.FAILED, "smtp_rejected") from error
            raise ChannelDown("smtp_error") from error

    def close(self) -> None:
        if self.backend is None:
            return
        try:
            self.backend.close()
        except (smtplib.SMTPException, OSError):
            logger.info("SMTP connection closed uncleanly")


def _permanent(error: Exception) -> bool:
    """A 5xx answer about this message or recipient: retrying would not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(error, smtplib.SMTPResponseException) and code is not None and code >= 500


def _smtp_send(smtp: smtplib.SMTP, sender: str, recipient: str, message: bytes) -> None:
    """smtplib's sendmail for one bare envelope address, with the same replies and errors.

    sendmail runs both addresses through email.utils.parseaddr for every message, a tenth of
    the sender's Python time at fan-out scale; these are plain addresses already (the
    account's validated email and the configured sender).
    """
    smtp.ehlo_or_helo_if_needed()
    size = f" size={len(message)}" if smtp.does_esmtp and smtp.has_extn("size") else ""
    code, reply = smtp.docmd("mail", f"FROM:<{sender}>{size}")
    if code != 250:
        _smtp_abandon(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = smtp.docmd("rcpt", f"TO:<{recipient}>")
    if code not in (250, 251):
        _smtp_abandon(smtp, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = smtp.data(message)
    if code != 250:
        _smtp_abandon(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


def _smtp_abandon(smtp: smtplib.SMTP, code: int) -> None:
    """After a refusal: 421 means the server is closing the connection; else reset it."""
    if code == 421:
        smtp.close()
        return
    try:
        smtp.rset()
    except smtplib.SMTPServerDisconnected:
        pass
