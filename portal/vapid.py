"""VAPID keys for Web Push (RFC 8292): the application server's P-256 key pair.

Both keys travel as unpadded base64url: the private key as its 32-byte scalar, the public key
as the 65-byte uncompressed point, the form a browser's `PushManager.subscribe` takes as its
`applicationServerKey`. `make run` keeps a generated pair in `var/vapid.json` for development;
production sets `VAPID_PRIVATE_KEY` and `VAPID_PUBLIC_KEY` (and `VAPID_SUBJECT`).
"""

import base64
import json
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def private_key_load(private_b64: str) -> ec.EllipticCurvePrivateKey:
    """The key from its base64url 32-byte scalar; ValueError when it is not one."""
    raw = b64url_decode(private_b64.strip())
    if len(raw) != 32:
        raise ValueError("VAPID_PRIVATE_KEY must be a base64url 32-byte P-256 private key")
    return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())


def public_key_text(private_key: ec.EllipticCurvePrivateKey) -> str:
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def keys_generate() -> dict[str, str]:
    """A new pair: {"private": …, "public": …}."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return {"private": b64url(private), "public": public_key_text(key)}


def keys_file_ensure(path: Path) -> dict[str, str]:
    """The development pair kept at `path`, generated (owner-readable only) when absent."""
    if path.exists():
        return json.loads(path.read_text())
    keys = keys_generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(keys, handle)
    return keys


def keys_file_read(path: Path) -> dict[str, str]:
    """The development pair at `path`, or empty strings when there is none (or it is bad)."""
    try:
        keys = json.loads(path.read_text())
        return {"private": str(keys["private"]), "public": str(keys["public"])}
    except (OSError, ValueError, KeyError, TypeError):
        return {"private": "", "public": ""}
