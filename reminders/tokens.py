"""Signed links in reminder emails: bound to one user and one purpose, and they expire.

A token carries ids only (no address, no health value) and is signed with SECRET_KEY under a
salt per purpose, so a "skip" token cannot be replayed as a "taken" one.
"""

import datetime
from dataclasses import dataclass

from django.core import signing

TAKEN = "taken"
SKIP = "skip"
UNSUBSCRIBE = "unsubscribe"

MAX_AGE = {
    TAKEN: datetime.timedelta(hours=36),
    SKIP: datetime.timedelta(hours=36),
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


def token_make(*, purpose: str, user_id: int, delivery_id: int) -> str:
    return signing.dumps({"u": user_id, "d": delivery_id}, salt=_salt(purpose))


def token_read(*, purpose: str, token: str) -> TokenData:
    try:
        data = signing.loads(token, salt=_salt(purpose), max_age=MAX_AGE[purpose])
        return TokenData(user_id=int(data["u"]), delivery_id=int(data["d"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadToken(str(error)) from error
