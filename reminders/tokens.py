"""Signed links in reminder emails: bound to one user and one purpose, and they expire.

A token carries ids only (no address, no health value) and is signed with SECRET_KEY under a
salt per purpose, so a "skip" token cannot be replayed as a "taken" one.
"""

import datetime
import hmac
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes

TAKEN = "taken"
SKIP = "skip"
SNOOZE = "snooze"
UNSUBSCRIBE = "unsubscribe"

MAX_AGE = {
    TAKEN: datetime.timedelta(hours=36),
    SKIP: datetime.timedelta(hours=36),
    SNOOZE: datetime.timedelta(hours=36),  # the catch-up window ends its use much sooner
    UNSUBSCRIBE: datetime.timedelta(days=60),
}


class BadToken(Exception):
    """Tampered, expired, or made for another purpose."""


@dataclass(frozen=True)
class TokenData:
    user_id: int
    delivery_id: int


def _salt(purpose: str) -> str:
    return f"reminders.link.{purpose}"


class _KeyedSigner(signing.TimestampSigner):
    """Django's TimestampSigner, byte for byte the same tokens, read the same way (fallback
    keys included); only the HMAC key is derived once per secret instead of once per call.

    `salted_hmac` hashes salt + SECRET_KEY into a fresh key and keys a new HMAC every time;
    a reminder fan-out signs three links per message, and that derivation was most of it.
    Here the keyed HMAC is made once and copied, which yields the identical digest.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._keyed: dict[str | bytes, hmac.HMAC] = {}

    def signature(self, value, key=None):
        key = key or self.key
        keyed = self._keyed.get(key)
        if keyed is None:
            keyed = self._keyed[key] = salted_hmac(
                self.salt + "signer", b"", key, algorithm=self.algorithm
            )
        mac = keyed.copy()
        mac.update(force_bytes(value))
        return signing.b64_encode(mac.digest()).decode()


_signers: dict[tuple, _KeyedSigner] = {}


def _signer(purpose: str, keys: tuple | None = None) -> _KeyedSigner:
    # One signer per purpose and key set (tests override SECRET_KEY; a rotation adds fallbacks).
    keys = keys or (settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))
    signer = _signers.get((purpose, keys))
    if signer is None:
        if len(_signers) > 16:
            _signers.clear()
        signer = _signers[(purpose, keys)] = _KeyedSigner(salt=_salt(purpose))
    return signer


def tokens_make(*, purposes: Iterable[str], user_id: int, delivery_id: int) -> dict[str, str]:
    """One token per purpose for the same delivery, signed at the same second.

    "user.delivery:timestamp:signature" — what TimestampSigner.sign makes: short, URL-safe,
    and cheap to make by the hundred thousand (no JSON, no base64 of a payload; the
    timestamp and the key lookup are shared by an email's links).
    """
    keys = (settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))
    value = f"{int(user_id)}.{int(delivery_id)}:{signing.b62_encode(int(time.time()))}"
    return {purpose: f"{value}:{_signer(purpose, keys).signature(value)}" for purpose in purposes}


def token_read(*, purpose: str, token: str) -> TokenData:
    try:
        value = _signer(purpose).unsign(token, max_age=MAX_AGE[purpose])
        user_id, delivery_id = value.split(".")
        return TokenData(user_id=int(user_id), delivery_id=int(delivery_id))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadToken(str(error)) from error
