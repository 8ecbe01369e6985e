"""Push reminder fan-out on PostgreSQL through a local push service.

N users (`--users`, default 100,000: the issue's target) each have an evening reminder set
to push, due in the same minute, and one device whose endpoint is a local HTTP push service
(its own process: it reads each request and answers 201, counting; a sample of messages is
decrypted and its VAPID token checked, as the tests do for every one). Measures:
  (a) the tick claiming them all;
  (b) tick start → last push accepted, as messages/s, with `--senders` processes each running
      `dispatch.deliveries_send` on chunks of SEND_CHUNK ids from a queue — the very call a
      Celery send task makes, without the broker;
  (c) CPU per message: the senders' user+system time over the messages they sent, beside the
      bare cost of pywebpush's encryption (an ephemeral ECDH key per message) in one loop.
PostgreSQL at 127.0.0.1:5432 in a database of its own (bench_push), dropped at the end.

Run alone: .venv/bin/python bench/bench_push.py --users 5000 --senders 2
"""

import argparse
import datetime
import json
import multiprocessing as mp
import os
import socket
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = os.environ.get("BENCH_DB", "bench_push")
DEVICE_KEYS = 50  # distinct device key pairs, cycled over the users (each has its endpoint)
SAMPLE_EVERY = 500  # the push service decrypts and verifies one message in this many


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_main(port, keys, vapid_public, count, last, errors, ready):
    """The local push service: 201 for each POST; a sample decrypted and checked."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from tests.reminders.push_endpoint import unb64url, vapid_claims

    private = [
        ec.derive_private_key(int.from_bytes(unb64url(k["private"]), "big"), ec.SECP256R1())
        for k in keys
    ]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with count.get_lock():
                count.value += 1
                number = count.value
            last.value = time.time()
            if number % SAMPLE_EVERY == 1:
                import http_ece

                index = int(self.path.rsplit("/", 1)[1]) % DEVICE_KEYS
                try:
                    vapid_claims(self.headers["Authorization"], vapid_public)
                    payload = json.loads(
                        http_ece.decrypt(
                            body,
                            private_key=private[index],
                            auth_secret=unb64url(keys[index]["auth"]),
                            version="aes128gcm",
                        )
                    )
                    assert payload["title"] and payload["actions"]
                except Exception:  # noqa: BLE001 - counted, reported
                    with errors.get_lock():
                        errors.value += 1
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    ready.set()
    server.serve_forever()


def sender_main(chunks, results):
    import django

    django.setup()
    from django.db import connection

    from reminders import dispatch
    from reminders.notifications import notification_renderer_get

    # Warm up what a long-running worker has ready (imports, URL patterns, the connection),
    # so the CPU counted is the messages'.
    notification_renderer_get()
    dispatch.send.SentMarks()
    profile = None
    if os.environ.get("BENCH_PROFILE"):  # a cProfile of each sender, to that folder
        import cProfile

        profile = cProfile.Profile(time.process_time)
        profile.enable()
    before = os.times()
    sent = 0
    try:
        while (chunk := chunks.get()) is not None:
            sent += dispatch.deliveries_send(delivery_ids=chunk)
    finally:  # reported even when a chunk raised (the table then shows the mismatch)
        after = os.times()
        if profile is not None:
            profile.disable()
            profile.dump_stats(os.path.join(os.environ["BENCH_PROFILE"], f"sender-{os.getpid()}"))
        connection.close()
        results.put((sent, (after.user - before.user) + (after.system - before.system)))


def setup_environment(run: str) -> None:
    from portal.vapid import keys_generate

    vapid_keys = keys_generate()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.base",
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379"),
            "REDIS_DB_BROKER": "13",
            "REDIS_DB_RESULTS": "14",
            "REDIS_DB_CACHE": "15",
            "CACHE_KEY_PREFIX": f"bench-{run}",
            "CELERY_QUEUE": f"bench-{run}",
            "VAPID_PRIVATE_KEY": vapid_keys["private"],
            "VAPID_PUBLIC_KEY": vapid_keys["public"],
            "LOG_LEVEL": "WARNING",
        }
    )


def device_keys() -> list[dict]:
    import os as _os

    from cryptography.hazmat.primitives.asymmetric import ec

    from portal.vapid import b64url, public_key_text

    keys = []
    for _ in range(DEVICE_KEYS):
        key = ec.generate_private_key(ec.SECP256R1())
        keys.append(
            {
                "private": b64url(key.private_numbers().private_value.to_bytes(32, "big")),
                "public": public_key_text(key),
                "auth": b64url(_os.urandom(16)),
            }
        )
    return keys


def load_users(users: int, due: datetime.datetime, origin: str, keys: list[dict]) -> None:
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from reminders.models import PushSubscription, ReminderSetting

    batch = 5000
    for start in range(0, users, batch):
        numbers = range(start, min(users, start + batch))
        people = User.objects.bulk_create(
            [
                User(
                    email=f"push{i}@example.com",
                    display_name=f"P{i}",
                    time_zone="UTC",
                    bedtime=(due + datetime.timedelta(minutes=30)).time(),
                )
                for i in numbers
            ]  # fmt: skip
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people]
        )
        ReminderSetting.objects.bulk_create(
            [
                ReminderSetting(
                    user=u, kind="evening", enabled=True, channel="push", next_due_at=due
                )
                for u in people
            ]  # fmt: skip
        )
        PushSubscription.objects.bulk_create(
            [
                PushSubscription(
                    user=u,
                    endpoint=f"{origin}/push/{i}",
                    p256dh=keys[i % DEVICE_KEYS]["public"],
                    auth=keys[i % DEVICE_KEYS]["auth"],
                    label="Bench",
                    created_at=due,
                )
                for i, u in zip(numbers, people, strict=True)
            ]  # fmt: skip
        )


def encryption_floor(keys: list[dict], count: int = 2000) -> float:
    """CPU seconds per message of pywebpush's encryption alone (aes128gcm, ECDH, HKDF)."""
    from pywebpush import WebPusher

    payload = b'{"title":"Your evening reminder","body":"When you are ready.","actions":[]}' * 4
    pushers = [
        WebPusher({"endpoint": "http://x/", "keys": {"p256dh": k["public"], "auth": k["auth"]}})
        for k in keys
    ]
    before = time.process_time()
    for i in range(count):
        pushers[i % len(pushers)].encode(payload, "aes128gcm")
    return (time.process_time() - before) / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--users", type=int, default=int(os.environ.get("BENCH_PUSH_USERS", 100_000))
    )
    parser.add_argument("--senders", type=int, default=2)
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    setup_environment(run)
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    service = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from reminders import dispatch
        from reminders.dispatch.send import SEND_CHUNK

        call_command("migrate", verbosity=0)
        keys = device_keys()
        port = _free_port()
        count, last, errors = mp.Value("i", 0), mp.Value("d", 0.0), mp.Value("i", 0)
        ready = mp.Event()
        service = mp.Process(
            target=service_main,
            args=(port, keys, os.environ["VAPID_PUBLIC_KEY"], count, last, errors, ready),
            daemon=True,
        )
        service.start()
        ready.wait(10)
        now = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
        due = now - datetime.timedelta(minutes=1)
        started = time.time()
        load_users(args.users, due, f"http://127.0.0.1:{port}", keys)
        load_seconds = time.time() - started

        # The tick enqueues on commit; here the ids are read back and handed to the senders.
        from reminders.dispatch import tick

        tick.enqueue = lambda ids: None
        tick_started = time.time()
        claimed = dispatch.reminders_claim_due(now=now)
        tick_seconds = time.time() - tick_started
        from reminders.models import Delivery

        ids = list(Delivery.objects.order_by("pk").values_list("pk", flat=True))
        connection.close()
        chunks, results = mp.Queue(), mp.Queue()
        for start in range(0, len(ids), SEND_CHUNK):
            chunks.put(ids[start : start + SEND_CHUNK])
        senders = [
            mp.Process(target=sender_main, args=(chunks, results)) for _ in range(args.senders)
        ]
        for _ in senders:
            chunks.put(None)
        for process in senders:
            process.start()
        outcomes = [results.get(timeout=3600) for _ in senders]
        for process in senders:
            process.join()
        wall = last.value - tick_started
        sent = sum(n for n, _ in outcomes)
        cpu = sum(c for _, c in outcomes)
        django.db.connections.close_all()
        from collections import Counter

        statuses = dict(Counter(Delivery.objects.values_list("status", flat=True)))
        floor = encryption_floor(keys)
        print(f"\nPush fan-out: {args.users:,} users, {args.senders} sender processes, PostgreSQL")
        print(f"(set-up: {load_seconds:.1f} s to load users, devices and reminders)\n")
        print("| measure | value |")
        print("| --- | ---: |")
        print(f"| tick: claim {claimed:,} reminders | {tick_seconds:.2f} s |")
        print(f"| tick start → last push accepted | {wall:.1f} s |")
        print(f"| pushes accepted by the service | {count.value:,} |")
        print(f"| messages/s (tick start → last accepted) | {count.value / wall:,.0f} |")
        print(f"| sender CPU per message (user+sys) | {1000 * cpu / max(sent, 1):.2f} ms |")
        print(f"| of which pywebpush encryption alone | {1000 * floor:.2f} ms |")
        print(f"| deliveries by status | {statuses} |")
        sampled = count.value // SAMPLE_EVERY + 1
        print(f"| sampled messages decrypted, failures | {sampled}, {errors.value} |")
        ok = sent == args.users == count.value and errors.value == 0
        print("\nall delivered once" if ok else "\nMISMATCH: see the table")
        return 0 if ok else 1
    finally:
        if service is not None:
            service.terminate()
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
