"""Reminder fan-out on PostgreSQL: 100,000 users due in the same minute.

Measures, in one run:
  (a) the tick claiming all of them (target ≤ 20 s);
  (b) tick start → last message accepted by the sink, as messages/s;
  (c) the physical floor: a bare script pushing the same number of pre-rendered messages over
      one SMTP connection per process (two processes) to the same sink; target (b) ≥ 70 % of (c);
  (d) the naive design (one task and one new SMTP connection per user) on a sample;
  peak RSS of each worker process, pool processes included (target ≤ 250 MB).
Two Celery workers (prefork, 4 pool processes each), a local aiosmtpd sink in its own
process, real Redis at 127.0.0.1:6379, PostgreSQL at 127.0.0.1:5432 in a database of its own
(bench_reminders).

Run alone: .venv/bin/python bench/bench_reminders.py  (BENCH_USERS / BENCH_NAIVE_USERS to
change the sizes).
"""

import datetime
import multiprocessing as mp
import os
import smtplib
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
USERS = int(os.environ.get("BENCH_USERS", "100000"))
NAIVE_USERS = int(os.environ.get("BENCH_NAIVE_USERS", "5000"))
DB_NAME = os.environ.get("BENCH_DB", "bench_reminders")
PG = "postgres://postgres@127.0.0.1:5432"
# Django (tick, workers) reaches PostgreSQL over its Unix socket when there is one, as a
# database on the same host usually is: per sent message the worker commits one UPDATE, and
# loopback TCP costs measurably more CPU per round trip than the socket.
_SOCKET_DIR = "/var/run/postgresql"
DJANGO_PG_URL = (
    "postgres://postgres@/{db}?host=" + _SOCKET_DIR
    if Path(_SOCKET_DIR, ".s.PGSQL.5432").exists() and not os.environ.get("BENCH_PG_TCP")
    else PG + "/{db}"
)
RUN = uuid.uuid4().hex[:8]
# Two Celery workers as deployed: the prefork pool, each pool process sending one chunk at a
# time over its own SMTP connection, so a killed process has at most one message in flight
# (what the fault test checks). BENCH_CONCURRENCY sets the pool processes per worker;
# BENCH_POOL=threads (BENCH_THREADS per worker) or solo measure the other pools.
_pool = os.environ.get("BENCH_POOL", "prefork")
POOL = {
    "prefork": ["--pool", "prefork", "--concurrency", os.environ.get("BENCH_CONCURRENCY", "4")],
    "threads": ["--pool", "threads", "--concurrency", os.environ.get("BENCH_THREADS", "4")],
    "solo": ["--pool", "solo"],
}[_pool]
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sink_main(port, count, last, ready):
    """The SMTP sink: accepts, counts and timestamps every message (own process)."""
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            count.value += 1  # one event loop thread: no lock needed
            last.value = time.time()
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def floor_main(port, message, recipients, start, done):
    """A bare sender: one SMTP connection, pre-rendered bytes, nothing else."""
    smtp = smtplib.SMTP("127.0.0.1", port)
    start.wait()
    for rcpt in recipients:
        smtp.sendmail("no-reply@localhost", [rcpt], message)
    smtp.quit()
    done.put(time.time())


SMTP_PORT = _free_port()
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DATABASE_URL": DJANGO_PG_URL.format(db=DB_NAME),
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379"),
        "REDIS_DB_BROKER": "13",
        "REDIS_DB_RESULTS": "14",
        "REDIS_DB_CACHE": "15",
        "CACHE_KEY_PREFIX": f"bench-{RUN}",
        "CELERY_QUEUE": f"bench-{RUN}",
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "LOG_LEVEL": "WARNING",
    }
)


def create_database():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def load_users(due: datetime.datetime):
    """USERS people in several zones, each with an evening reminder due at `due`."""
    import zoneinfo

    from allauth.account.models import EmailAddress

    from accounts.models import User
    from reminders.models import ReminderSetting

    batch = 5000
    for start in range(0, USERS, batch):
        people = []
        for i in range(start, min(USERS, start + batch)):
            zone = ZONES[i % len(ZONES)]
            send = due.astimezone(zoneinfo.ZoneInfo(zone))
            bedtime = (send + datetime.timedelta(minutes=30)).time().replace(second=0)
            people.append(
                User(
                    email=f"bench{i}@example.com",
                    password="!",  # noqa: S106 - an unusable password, as Django writes it
                    display_name=f"Bench {i}",
                    time_zone=zone,
                    bedtime=bedtime,
                )
            )
        User.objects.bulk_create(people)
    users = list(User.objects.order_by("pk").values_list("pk", "email"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=pk, email=email, verified=True, primary=True) for pk, email in users],
        batch_size=batch,
    )
    ReminderSetting.objects.bulk_create(
        [
            ReminderSetting(user_id=pk, kind="evening", enabled=True, next_due_at=due)
            for pk, _ in users
        ],
        batch_size=batch,
    )


def start_workers():
    from portal.celery import app

    workers = []
    for n in range(2):
        name = f"bench{n}-{RUN}@{socket.gethostname()}"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", *POOL,
             "--queues", os.environ["CELERY_QUEUE"], "--hostname", name, "--loglevel", "WARNING",
             "--without-gossip", "--without-mingle", "-I", "bench.naive_tasks"],
            cwd=BASE, env=os.environ.copy(),
        )  # fmt: skip
        workers.append((name, process))
    for name, process in workers:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=0.5):
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit(f"worker {name} did not start")
    return [process for _, process in workers]


def _tree(pid: int) -> list[int]:
    """A process and its children (a prefork worker's pool processes)."""
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if parent == pid:
                pids.append(int(entry.name))
    return pids


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live children (a prefork pool) so far."""
    total = 0.0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def postgres_cpu_seconds() -> float:
    """CPU used so far by the PostgreSQL server: every live postgres process plus the
    backends that have ended (the postmaster's reaped children). Deltas of this include any
    other database work on the machine at the time."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")[0]
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        postmaster = command.endswith(b"/bin/postgres")
        if not (postmaster or command.startswith(b"postgres: ")):
            continue
        ticks = int(fields[11]) + int(fields[12])
        if postmaster:
            ticks += int(fields[13]) + int(fields[14])  # the backends it has reaped
        total += ticks / os.sysconf("SC_CLK_TCK")
    return total


def wait_for(count, target, timeout):
    deadline = time.monotonic() + timeout
    while count.value < target:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {count.value} of {target} messages arrived")
        time.sleep(0.05)


def main() -> int:
    ctx = mp.get_context("fork")
    count, last, ready = ctx.Value("q", 0, lock=False), ctx.Value("d", 0.0, lock=False), ctx.Event()
    sink = ctx.Process(target=sink_main, args=(SMTP_PORT, count, last, ready), daemon=True)
    sink.start()
    ready.wait(10)

    create_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from reminders import dispatch
    from reminders.models import Delivery

    due = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
    t = time.monotonic()
    load_users(due)
    print(f"loaded {USERS} users in {time.monotonic() - t:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()

    workers = start_workers()
    results = {}
    try:
        # (a) + (b): one tick claims everyone; workers send as chunks are committed.
        cpu_before = [cpu_seconds(p.pid) for p in workers] + [cpu_seconds(sink.pid)]
        pg_before = postgres_cpu_seconds()
        tick_cpu = time.process_time()
        started = time.time()
        claimed = dispatch.reminders_claim_due(now=due)
        results["claim_s"] = time.time() - started
        results["cpu_ms_tick"] = (time.process_time() - tick_cpu) / USERS * 1000
        assert claimed == USERS, claimed
        wait_for(count, USERS, timeout=3600)
        results["tick_to_last_s"] = last.value - started
        results["rate_b"] = USERS / results["tick_to_last_s"]
        cpu_after = [cpu_seconds(p.pid) for p in workers] + [cpu_seconds(sink.pid)]
        results["cpu_ms_pg"] = (postgres_cpu_seconds() - pg_before) / USERS * 1000
        spent = [after - before for before, after in zip(cpu_before, cpu_after, strict=True)]
        results["cpu_ms_worker"] = sum(spent[:-1]) / USERS * 1000
        results["cpu_ms_sink"] = spent[-1] / USERS * 1000
        sent = Delivery.objects.filter(status="sent").count()
        assert sent == USERS and count.value == USERS, (sent, count.value)

        # (d) the naive design on a sample: one task and one new SMTP connection per user.
        ids = list(Delivery.objects.order_by("pk").values_list("pk", flat=True)[:NAIVE_USERS])
        Delivery.objects.filter(pk__in=ids).update(status="pending", sent_at=None)
        from bench.naive_tasks import email_for, naive_send

        count.value = 0
        started = time.time()
        for pk in ids:
            naive_send.delay(pk)
        wait_for(count, NAIVE_USERS, timeout=3600)
        results["rate_d"] = NAIVE_USERS / (last.value - started)
        results["rss"] = [max(peak_rss_mb(pid) for pid in _tree(p.pid)) for p in workers]
        message = email_for(ids[0])
        raw = message.message().as_bytes(linesep="\r\n")
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(30)

    # (c) the floor, with the workers gone: the same count over one connection per process.
    count.value = 0
    start, done = ctx.Event(), ctx.Queue()
    senders = [
        ctx.Process(
            target=floor_main,
            args=(
                SMTP_PORT,
                raw,
                [f"bench{i}@example.com" for i in range(n, USERS, 2)],
                start,
                done,
            ),
        )
        for n in range(2)
    ]
    for sender in senders:
        sender.start()
    time.sleep(1)
    sink_cpu, children = cpu_seconds(sink.pid), os.times()
    started = time.time()
    start.set()
    ends = [done.get(timeout=3600) for _ in senders]
    for sender in senders:
        sender.join()
    assert count.value == USERS, count.value
    results["rate_c"] = USERS / (max(ends) - started)
    results["cpu_ms_sink_c"] = (cpu_seconds(sink.pid) - sink_cpu) / USERS * 1000
    after = os.times()
    results["cpu_ms_floor"] = (
        (
            (after.children_user + after.children_system)
            - (children.children_user + children.children_system)
        )
        / USERS
        * 1000
    )
    sink.terminate()
    connection.close()
    drop_database()

    ratio = results["rate_b"] / results["rate_c"]
    naive = f"(d) naive: task + connection per user ({NAIVE_USERS:,})"
    rss = " / ".join(f"{r:.0f} MB" for r in results["rss"])
    rows = [
        ("users due in the same minute", f"{USERS:,}", ""),
        ("(a) tick: claim all", f"{results['claim_s']:.1f} s", "≤ 20 s"),
        ("(b) tick → last message accepted", f"{results['tick_to_last_s']:.1f} s", ""),
        ("(b) throughput", f"{results['rate_b']:,.0f} msg/s", ""),
        ("(c) floor: bare SMTP, 2 processes", f"{results['rate_c']:,.0f} msg/s", ""),
        ("(b) / (c)", f"{ratio:.0%}", "≥ 70 %"),
        (naive, f"{results['rate_d']:,.0f} msg/s", ""),
        ("(b) / (d)", f"{results['rate_b'] / results['rate_d']:.1f}×", ""),
        ("peak RSS of the largest process of each worker", rss, "≤ 250 MB"),
        ("CPU per message in (b): workers / sink", f"{results['cpu_ms_worker']:.2f} ms / "
         f"{results['cpu_ms_sink']:.2f} ms", ""),
        ("CPU per message in (c): both senders / sink", f"{results['cpu_ms_floor']:.2f} ms / "
         f"{results['cpu_ms_sink_c']:.2f} ms", ""),
        ("CPU per message: tick process (while claiming)", f"{results['cpu_ms_tick']:.2f} ms", ""),
        ("CPU per message: PostgreSQL (tick and sending)", f"{results['cpu_ms_pg']:.2f} ms",
         ""),
    ]  # fmt: skip
    print("| measure | result | target |\n| --- | --- | --- |")
    for row in rows:
        print(f"| {' | '.join(row)} |")
    ok = results["claim_s"] <= 20 and ratio >= 0.7 and max(results["rss"]) <= 250
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
