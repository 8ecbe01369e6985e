"""RFC 6238 TOTP codes, computed the way an authenticator app does (for browser tests)."""

import base64
import hashlib
import hmac
import struct
import time


def totp_code(secret: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp_code_to_type(secret: str, *, step: int = 30, margin: float = 4.0) -> str:
    """A code that stays valid while the browser types and submits it.

    The server accepts only the current 30 s window: a code read in its last seconds can
    expire before the form arrives, so wait for the next window first.
    """
    left = step - time.time() % step
    if left < margin:
        time.sleep(left + 0.2)
    return totp_code(secret, step=step)
