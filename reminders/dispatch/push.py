"""The push channel: Web Push (RFC 8030) to each of the user's devices, through pywebpush.

Each payload is encrypted to the device's keys (RFC 8291, aes128gcm) and signed for with a
VAPID token (RFC 8292, one per push service origin and chunk). One HTTP session per chunk
keeps a connection per push service.

Several devices, one delivery: the delivery counts as sent once at least one device's push
service accepted it (201). A device answering 404 or 410 has unsubscribed: it is deleted.
When no device accepted and at least one failed for a while (429, 5xx, no connection), the
delivery is retried with backoff, to every device left. A device that failed for a while
while another accepted misses that one reminder: retrying it would repeat the notification
on the devices that already show it. With no device (none left), the delivery is skipped
("no_device").
"""

import datetime
import logging
import time
import urllib.request
from collections.abc import Sequence
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid02
from pywebpush import WebPusher, WebPushException

from portal import vapid
from reminders.dispatch.transport import Refused, RetryLater
from reminders.emails import DeliveryToSend
from reminders.models import Channel, DeliveryStatus, PushSubscription
from reminders.notifications import NotificationRenderer, notification_renderer_get
from reminders.scheduling import CATCH_UP

logger = logging.getLogger(__name__)

# Seconds to connect and to wait for an answer, per device. A delivery goes to at most
# MAX_DEVICES devices, so it takes at most 5 × 6 = 30 s: like one SMTP message (EMAIL_TIMEOUT),
# always within the sender's lease renewal (20 + 30 < 75 s, send.py).
PUSH_TIMEOUT = (3.0, 3.0)
MAX_DEVICES = 5
VAPID_LIFETIME = datetime.timedelta(hours=12)  # a token's `exp` (RFC 8292 allows 24 h)
MIN_TTL = 60  # seconds a push service keeps an undelivered notification, at least


def configured() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY)


class PushTransport:
    channel = Channel.PUSH

    def __init__(self):
        self.devices: dict[int, list[PushSubscription]] = {}
        self.renderers: dict[str, NotificationRenderer] = {}
        self.vapid_headers: dict[str, dict[str, str]] = {}
        self.delivered: list[int] = []  # subscriptions that accepted, stamped at close
        self.session: _Session | None = None
        self.signer: Vapid02 | None = None

    def open(self, deliveries: Sequence[DeliveryToSend]) -> None:
        if configured():
            self.signer = Vapid02(vapid.private_key_load(settings.VAPID_PRIVATE_KEY))
        for device in PushSubscription.objects.filter(
            user_id__in={d.user_id for d in deliveries}
        ).order_by("-last_success_at", "-created_at"):
            self.devices.setdefault(device.user_id, []).append(device)
        self.session = _Session()

    def _vapid(self, endpoint: str) -> dict[str, str]:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        if audience not in self.vapid_headers:
            expires = int(time.time() + VAPID_LIFETIME.total_seconds())
            self.vapid_headers[audience] = self.signer.sign(
                {"aud": audience, "exp": expires, "sub": settings.VAPID_SUBJECT}
            )
        return self.vapid_headers[audience]

    def transmit(self, delivery: DeliveryToSend) -> None:
        if self.signer is None:
            raise Refused(DeliveryStatus.SKIPPED, "push_not_configured")
        devices = self.devices.get(delivery.user_id, [])[:MAX_DEVICES]
        if not devices:
            raise Refused(DeliveryStatus.SKIPPED, "no_device")
        if delivery.language not in self.renderers:
            self.renderers[delivery.language] = notification_renderer_get(
                language=delivery.language
            )
        data = self.renderers[delivery.language].encode(delivery)
        # An undelivered notification is worth keeping only until the catch-up window ends.
        left = delivery.due_at + CATCH_UP - timezone.now()
        ttl = max(MIN_TTL, int(left.total_seconds()))
        topic = f"{delivery.kind}{delivery.local_date:%Y%m%d}"  # a repeat replaces, not adds
        accepted, gone, retry, retry_after = [], [], None, None
        for device in devices:
            status, after = self._post(device, data, ttl=ttl, topic=topic)
            if 200 <= status < 300:
                accepted.append(device.pk)
            elif status in (404, 410):
                gone.append(device.pk)
            elif status == 429 or status >= 500 or status == 0:
                retry = f"push_{status or 'network'}"
                retry_after = max(retry_after or 0, after or 0) or None
            else:  # 400, 403, 413: this device's subscription or our key is wrong
                logger.warning("push service refused a reminder for one device: %s", status)
        if gone:
            PushSubscription.objects.filter(pk__in=gone).delete()
            self.devices[delivery.user_id] = [d for d in devices if d.pk not in gone]
        if accepted:
            self.delivered.extend(accepted)
            return
        if retry:
            raise RetryLater(retry, retry_after)
        if len(gone) == len(devices):
            raise Refused(DeliveryStatus.SKIPPED, "no_device")
        raise Refused(DeliveryStatus.FAILED, "push_rejected")

    def _post(self, device: PushSubscription, data: bytes, *, ttl: int, topic: str):
        """(status, Retry-After seconds or None); status 0 when no answer came."""
        info = {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}}
        headers = {**self._vapid(device.endpoint), "Topic": topic, "Urgency": "normal"}
        try:
            response = WebPusher(info, requests_session=self.session).send(
                data, headers, ttl=ttl, content_encoding="aes128gcm", timeout=PUSH_TIMEOUT
            )
        except (urllib3.exceptions.HTTPError, OSError):
            return 0, None
        except (WebPushException, ValueError):
            # The stored keys are not a usable P-256 key: the browser will never decrypt.
            return 410, None
        after = response.headers.get("Retry-After", "")
        return response.status_code, int(after) if after.isdigit() else None

    def close(self) -> None:
        if self.delivered:
            PushSubscription.objects.filter(pk__in=self.delivered).update(
                last_success_at=timezone.now()
            )
        if self.session is not None:
            self.session.close()


class _Answer:
    def __init__(self, response: urllib3.BaseHTTPResponse):
        self.status_code = response.status
        self.headers = response.headers
        self.text = ""  # pywebpush logs it when verbose; push services answer no body to us


class _Session:
    """What pywebpush needs of a requests.Session (`post`), straight over urllib3's pool:
    one kept-alive connection per push service, without requests' per-call work (merging
    settings, scanning the environment for proxies), which was two thirds of the sender's
    CPU per message. The environment's proxy, if any, is read once per chunk."""

    def __init__(self):
        proxy = urllib.request.getproxies().get("https")
        headers = {"User-Agent": "Restwell reminders"}
        self.pool = (
            urllib3.ProxyManager(proxy, headers=headers)
            if proxy
            else urllib3.PoolManager(headers=headers)
        )

    def post(self, url: str, *, data: bytes, headers: dict, timeout) -> _Answer:
        connect, read = timeout
        response = self.pool.request(
            "POST",
            url,
            body=data,
            headers=dict(headers),
            timeout=urllib3.Timeout(connect=connect, read=read),
            retries=False,
            redirect=False,
            preload_content=True,
        )
        return _Answer(response)

    def close(self) -> None:
        self.pool.clear()
