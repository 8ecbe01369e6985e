"""A local push service for the tests: an HTTP server on 127.0.0.1 that takes what pywebpush
sends, checks its VAPID token (RFC 8292: an ES256 JWT, verified with the public key it
names, which must be the site's) and decrypts the payload (RFC 8291, aes128gcm) with the
private keys the test made for each device, as a browser would.

Each device is one path (/push/<name>); a test may queue answers per path (410, 503, …),
otherwise the answer is 201 Created. Only accepted (2xx) messages are decrypted and kept.
"""

import base64
import collections
import dataclasses
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class BadPush(Exception):
    pass


def vapid_claims(authorization: str, expected_key: str) -> dict:
    """The claims of a `vapid t=<jwt>,k=<key>` header, after checking the ES256 signature."""
    scheme, _, params = authorization.partition(" ")
    if scheme != "vapid":
        raise BadPush(f"scheme {scheme!r}")
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = fields["t"], fields["k"]
    if key != expected_key:
        raise BadPush("signed with another key than the site's VAPID_PUBLIC_KEY")
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(unb64url(header_b64))
    if header.get("alg") != "ES256":
        raise BadPush(f"alg {header.get('alg')!r}")
    raw = unb64url(signature_b64)
    signature = encode_dss_signature(
        int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    )
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    try:
        public.verify(signature, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise BadPush("bad VAPID signature") from error
    return json.loads(unb64url(claims_b64))


@dataclasses.dataclass
class Device:
    name: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def subscription_json(self) -> dict:
        """What PushSubscription.toJSON() gives a page."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }


@dataclasses.dataclass
class Received:
    device: str
    payload: dict
    headers: dict
    claims: dict


class PushEndpoint:
    def __init__(self, vapid_public_key: str):
        self.vapid_public_key = vapid_public_key
        self.devices: dict[str, Device] = {}
        self.answers: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self.received: list[Received] = []
        self.attempts: collections.Counter = collections.Counter()
        self.errors: list[str] = []
        self.delay = 0.0  # seconds each answer takes (a slow push service)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def device(self, name: str) -> Device:
        device = Device(
            name=name,
            endpoint=f"{self.origin}/push/{name}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth=os.urandom(16),
        )
        self.devices[name] = device
        return device

    def answer(self, name: str, *statuses: int) -> None:
        """The next answers to `name`'s endpoint, in order (then 201 again)."""
        self.answers[name].extend(statuses)

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, path: str, headers: dict, body: bytes) -> int:
        name = path.removeprefix("/push/")
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.attempts[name] += 1
            status = self.answers[name].popleft() if self.answers[name] else 201
        device = self.devices.get(name)
        if device is None:
            return 404
        if status >= 300:
            return status
        try:
            claims = vapid_claims(headers["authorization"], self.vapid_public_key)
            if claims["aud"] != self.origin:
                raise BadPush(f"aud {claims['aud']!r}")
            if not claims["exp"] > time.time() or not claims["sub"]:
                raise BadPush("expired or no subject")
            if headers.get("content-encoding") != "aes128gcm":
                raise BadPush(f"encoding {headers.get('content-encoding')!r}")
            plain = http_ece.decrypt(
                body, private_key=device.private_key, auth_secret=device.auth, version="aes128gcm"
            )
            payload = json.loads(plain)
        except (BadPush, KeyError, ValueError) as error:
            self.errors.append(f"{name}: {error!r}")
            return 400
        with self.lock:
            self.received.append(Received(name, payload, headers, claims))
        return 201

    def _handler(self):
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as push services do

            def do_POST(self):  # noqa: N802 - http.server's API
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {key.lower(): value for key, value in self.headers.items()}
                status = endpoint._handle(self.path, headers, body)
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", "30")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler
