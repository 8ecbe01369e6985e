"""Restwell as deployed across hosts, on one machine: Linux network namespaces as hosts.

    sudo .venv/bin/python bench/scaleout.py [--reminders 5000] [--concurrency 2]   (make scaleout)

Builds a bridge (10.77.0.1) and one namespace per host, each with its own veth and address:

    db       10.77.0.2   PostgreSQL 15 (its own initdb in a temp dir), Redis, an SMTP sink
    proxy    10.77.0.10  HAProxy (TLS, health checks, retries) in front of web1 and web2
    web1/2   10.77.0.11/12   gunicorn with production settings (gunicorn.conf.py)
    worker1..3  10.77.0.21..23  Celery workers (prefork)
    beat     10.77.0.30  Celery beat (exactly one)

then seeds users with reminders due in the same minute and measures, printing tables:
  1. three ticks started at once on the three worker hosts share the claim (SKIP LOCKED) and
     the workers share the sending: every message accepted once;
  2. a worker host lost mid-fan-out (its processes SIGKILLed, its link deleted): the others
     deliver the rest within the lease + sweep bound, with at most one duplicate per killed
     process;
  3. a web host lost under a steady request stream through the proxy, twice: its gunicorn
     killed (connections refused), then, after it is back, its link deleted (the host
     vanishes): errors and failover time.
Everything is torn down on exit, Ctrl-C included: processes, namespaces, veths, temp dirs.
The machine's own PostgreSQL and Redis (127.0.0.1) are not touched.
"""

import argparse
import atexit
import contextlib
import datetime
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
sys.path.insert(0, str(BASE / "bench"))

import scaleout_plan as plan  # noqa: E402

PREFIX = "rwso"  # names of this rig's namespaces, veths and bridge
BRIDGE = f"{PREFIX}-br"
PYTHON = sys.executable
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def netns(host: str) -> str:
    return f"{PREFIX}-{host}"


def run(*args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=check, capture_output=True, text=True, **kwargs)  # noqa: S603


class Rig:
    """The hosts and the processes started on them; `teardown` undoes all of it."""

    def __init__(self, *, concurrency: int, http_reuse: str = "never"):
        self.concurrency = concurrency
        self.http_reuse = http_reuse
        self.tmp = Path(tempfile.mkdtemp(prefix="restwell-scaleout-"))
        self.tmp.chmod(0o755)  # PostgreSQL runs as `postgres` and needs to reach its dir
        self.processes: dict[str, subprocess.Popen] = {}
        self.secret_key = secrets.token_urlsafe(48)
        self.env = os.environ | plan.app_environment(secret_key=self.secret_key)
        self.env["PYTHONPATH"] = str(BASE)
        self.sink_log = self.tmp / "sink.log"
        self.admin_socket = self.tmp / "haproxy.sock"
        self.torn_down = False

    # --- network -------------------------------------------------------------------------
    def build_network(self) -> None:
        cleanup_stale()
        run("ip", "link", "add", BRIDGE, "type", "bridge")
        run("ip", "addr", "add", f"{plan.BRIDGE_ADDRESS}/24", "dev", BRIDGE)
        run("ip", "link", "set", BRIDGE, "up")
        for host in plan.HOSTS:
            ns, veth = netns(host), f"{PREFIX}-{host}"
            run("ip", "netns", "add", ns)
            run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
            run("ip", "link", "set", veth, "master", BRIDGE, "up")
            run("ip", "-n", ns, "addr", "add", f"{plan.address(host)}/24", "dev", "eth0")
            run("ip", "-n", ns, "link", "set", "eth0", "up")
            run("ip", "-n", ns, "link", "set", "lo", "up")

    def cut_link(self, host: str) -> None:
        """The host vanishes from the network (deleting one end deletes the pair)."""
        run("ip", "link", "del", f"{PREFIX}-{host}")

    # --- processes -----------------------------------------------------------------------
    def start(self, name: str, host: str, args: list[str], *, env=None, user=None) -> None:
        prefix = ["ip", "netns", "exec", netns(host)]
        if user:
            prefix += ["runuser", "-u", user, "--"]
        log = (self.tmp / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603
            [*prefix, *args], cwd=BASE, env=env or self.env, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip

    def kill(self, name: str, sig: int = signal.SIGKILL) -> int:
        """Signal a process group; returns how many processes it had."""
        process = self.processes.pop(name)
        count = len(process_tree(process.pid))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
        return count

    def manage(self, host: str, *args: str) -> str:
        result = run("ip", "netns", "exec", netns(host), PYTHON, "manage.py", *args,
                     cwd=BASE, env=self.env, check=False)  # fmt: skip
        if result.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} on {host} failed:\n{result.stderr}")
        return result.stdout

    def teardown(self) -> None:
        if self.torn_down:
            return
        self.torn_down = True
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM if name in ("postgres", "redis") else signal.SIGKILL)
        cleanup_stale()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- services ------------------------------------------------------------------------
    def start_db(self) -> None:
        data, sock = self.tmp / "pg", self.tmp / "pgsock"
        for path in (data, sock):
            path.mkdir()
            shutil.chown(path, "postgres", "postgres")
        run("runuser", "-u", "postgres", "--", str(PG_BIN / "initdb"), "-D", str(data),
            "-U", "postgres", "--auth", "trust", "-E", "UTF8")  # fmt: skip
        with (data / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all all {plan.SUBNET}.0/24 trust\n")
        self.start("postgres", "db", [str(PG_BIN / "postgres"), "-D", str(data),
                   "-c", f"listen_addresses={plan.address('db')}", "-c", f"port={plan.PG_PORT}",
                   "-c", f"unix_socket_directories={sock}", "-c", "max_connections=200"],
                   user="postgres")  # fmt: skip
        self.start("redis", "db", ["redis-server", "--bind", plan.address("db"), "--port",
                   str(plan.REDIS_PORT), "--protected-mode", "no", "--save", "", "--appendonly",
                   "no", "--dir", str(self.tmp)])  # fmt: skip
        self.start("sink", "db", [PYTHON, __file__, "sink", str(self.sink_log)])
        wait_for_port(plan.address("db"), plan.PG_PORT, "PostgreSQL")
        wait_for_port(plan.address("db"), plan.REDIS_PORT, "Redis")
        wait_for_port(plan.address("db"), plan.SMTP_PORT, "the SMTP sink")
        run("ip", "netns", "exec", netns("db"), str(PG_BIN / "createdb"), "-h",
            plan.address("db"), "-U", "postgres", "restwell")  # fmt: skip

    def deploy(self) -> None:
        """What a deploy runs once, from one host, before the new code serves."""
        self.manage("web1", "migrate", "--noinput")
        self.manage("web1", "collectstatic", "--noinput")
        self.manage("web1", "seed_content")

    def start_web(self, host: str) -> None:
        env = self.env | plan.web_environment(host, secret_key=self.secret_key)
        # gunicorn 25 puts a control socket in $XDG_RUNTIME_DIR (else ~/.gunicorn): one per host.
        (run_dir := self.tmp / f"{host}-run").mkdir(exist_ok=True)
        env["XDG_RUNTIME_DIR"] = str(run_dir)
        self.start(host, host, [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                   "portal.wsgi"], env=env)  # fmt: skip
        wait_for_port(plan.address(host), plan.WEB_PORT, f"gunicorn on {host}")

    def start_proxy(self) -> None:
        key, cert = self.tmp / "key.pem", self.tmp / "cert.pem"
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={plan.SITE_HOST}", "-keyout", str(key), "-out", str(cert))  # fmt: skip
        pem = self.tmp / "site.pem"
        pem.write_text(cert.read_text() + key.read_text())
        config = self.tmp / "haproxy.cfg"
        config.write_text(
            plan.haproxy_config(
                plan.ProxyPlan(
                    listen=plan.address("proxy"),
                    certificate=str(pem),
                    backends=tuple(
                        (h, f"{plan.address(h)}:{plan.WEB_PORT}") for h in plan.WEB_HOSTS
                    ),
                    admin_socket=str(self.admin_socket),
                    http_reuse=self.http_reuse,
                )
            )
        )
        run("haproxy", "-c", "-q", "-f", str(config))
        self.start("proxy", "proxy", ["haproxy", "-db", "-f", str(config)])
        wait_for_port(plan.address("proxy"), 443, "HAProxy")
        deadline = time.monotonic() + 30
        while set(self.backend_states().values()) != {"UP"}:
            if time.monotonic() > deadline:
                raise SystemExit(f"web hosts not healthy behind the proxy: {self.backend_states()}")
            time.sleep(0.2)

    def backend_states(self) -> dict[str, str]:
        """Each web host's state as HAProxy sees it (from its admin socket)."""
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.admin_socket))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
            states = {}
            for line in data.decode().splitlines():
                fields = line.split(",")
                if len(fields) > 17 and fields[0] == "web" and fields[1] in plan.WEB_HOSTS:
                    states[fields[1]] = fields[17].split()[0]
            return states
        return {}

    def proxy_log_size(self) -> int:
        return (self.tmp / "proxy.log").stat().st_size

    def proxy_events_since(self, offset: int) -> list[str]:
        """ "web1 DOWN", "web1 UP", … as HAProxy logged them after `offset`."""
        with (self.tmp / "proxy.log").open() as log:
            log.seek(offset)
            # Each event is logged twice (the log line, and a [WARNING] on stderr): the former.
            return re.findall(r"^Server web/(\w+) is (UP|DOWN)", log.read(), re.MULTILINE)

    def start_worker(self, host: str) -> None:
        self.start(host, host, [PYTHON, "-m", "celery", "-A", "portal", "worker", "--pool",
                   "prefork", "--concurrency", str(self.concurrency), "--hostname",
                   f"{host}@restwell", "--loglevel", "WARNING", "--without-gossip",
                   "--without-mingle"])  # fmt: skip

    def start_beat(self) -> None:
        schedule = str(self.tmp / "celerybeat")
        self.start("beat", "beat", [PYTHON, "-m", "celery", "-A", "portal", "beat",
                   "--loglevel", "WARNING", "--schedule", schedule])  # fmt: skip


def process_tree(pid: int) -> list[int]:
    pids, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        with contextlib.suppress(OSError):
            for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
                pids.append(int(child))
                frontier.append(int(child))
    return pids


def cleanup_stale() -> None:
    """Remove this rig's namespaces (and what still runs in them), veths and bridge."""
    for line in run("ip", "netns", "list").stdout.splitlines():
        ns = line.split()[0] if line.strip() else ""
        if ns.startswith(f"{PREFIX}-"):
            for pid in run("ip", "netns", "pids", ns, check=False).stdout.split():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)
            run("ip", "netns", "del", ns, check=False)
    for line in run("ip", "-o", "link", "show").stdout.splitlines():
        name = line.split(":")[1].strip().split("@")[0]
        if name.startswith(f"{PREFIX}-"):
            run("ip", "link", "del", name, check=False)


def wait_for_port(host: str, port: int, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
            return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not start on {host}:{port}")


# --- the SMTP sink (runs on host db) ------------------------------------------------------
def sink_main(log_path: str, host: str = plan.address("db"), port: int = plan.SMTP_PORT) -> None:
    """Accept every message; log "<time> <peer address> <recipient>" per recipient.
    (bench/faults.py runs it too, on its own address and port.)"""
    from aiosmtpd.controller import Controller

    log = open(log_path, "a", buffering=1)  # noqa: SIM115 - open for the process's life

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            for rcpt in envelope.rcpt_tos:
                log.write(f"{time.time():.6f} {session.peer[0]} {rcpt}\n")
            return "250 OK"

    controller = Controller(Handler(), hostname=host, port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


# --- the measurements ---------------------------------------------------------------------
def django_setup(rig: Rig) -> None:
    os.environ.update(rig.env | {"DJANGO_SETTINGS_MODULE": "portal.settings.base"})
    import django

    django.setup()


def seed(round_name: str, count: int, due: datetime.datetime | list | None = None):
    """`count` users in five zones, each with an evening reminder due at `due` (by default
    the start of this minute; or a list: one instant per user, in the order of their
    numbers)."""
    import zoneinfo

    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from accounts.models import User
    from reminders.models import ReminderSetting

    zones = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"]
    if not isinstance(due, list):
        due = [due or timezone.now().replace(second=0, microsecond=0)] * count
    people = []
    for i in range(count):
        zone = zones[i % len(zones)]
        send = due[i].astimezone(zoneinfo.ZoneInfo(zone))
        people.append(
            User(
                email=f"{round_name}-{i}@example.com",
                password="!",  # noqa: S106 - an unusable password, as Django writes it
                display_name=f"Scale {i}",
                time_zone=zone,
                bedtime=(send + datetime.timedelta(minutes=30)).time().replace(second=0),
            )
        )
    User.objects.bulk_create(people, batch_size=2000)
    users = list(User.objects.filter(email__startswith=f"{round_name}-").values_list("pk", "email"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=pk, email=email, verified=True, primary=True) for pk, email in users],
        batch_size=2000,
    )
    ReminderSetting.objects.bulk_create(
        [ReminderSetting(user_id=pk, kind="evening", enabled=True,
                         next_due_at=due[int(email.split("@")[0].rsplit("-", 1)[1])])
         for pk, email in users],
        batch_size=2000,
    )  # fmt: skip


def delivery_states(round_name: str) -> dict[str, int]:
    from django.db import close_old_connections
    from django.db.models import Count

    from reminders.models import Delivery

    close_old_connections()
    rows = (
        Delivery.objects.filter(user__email__startswith=f"{round_name}-")
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def redelivered(round_name: str) -> int:
    from reminders.models import Delivery

    return Delivery.objects.filter(
        user__email__startswith=f"{round_name}-", redeliveries__gt=0
    ).count()


def tally(rig: Rig, round_name: str) -> plan.SinkTally:
    text = rig.sink_log.read_text() if rig.sink_log.exists() else ""
    return plan.sink_tally(text.splitlines(), recipient_prefix=f"{round_name}-")


def wait_delivered(rig: Rig, round_name: str, count: int, timeout: float) -> plan.SinkTally:
    deadline = time.monotonic() + timeout
    while True:
        got = tally(rig, round_name)
        if got.distinct >= count or time.monotonic() > deadline:
            return got
        time.sleep(0.5)


def wait_workers(rig: Rig) -> None:
    from portal.celery import app

    names = [f"{host}@restwell" for host in plan.WORKER_HOSTS]
    deadline = time.monotonic() + 90
    while len(app.control.ping(destination=names, timeout=1)) < len(names):
        if time.monotonic() > deadline:
            raise SystemExit("the workers did not answer within 90 s")


def tick_main(at: str) -> None:
    """A tick started by hand on a worker host: set up, say so, wait for `at`, claim."""
    import django

    django.setup()
    from reminders import dispatch

    print("ready", flush=True)
    time.sleep(max(0.0, float(at) - time.time()))
    began = time.time()
    claimed = dispatch.reminders_claim_due(
        now=datetime.datetime.fromtimestamp(float(at), datetime.UTC)
    )
    print(f"claimed {claimed} in {time.time() - began:.3f}", flush=True)


def parallel_ticks(rig: Rig, count: int) -> list[tuple[str, str]]:
    """Measure 1: at the top of a minute, beat's tick and three started by hand on the three
    worker hosts claim at once; the workers send."""
    env = rig.env | {"DJANGO_SETTINGS_MODULE": "portal.settings.base"}
    # The next top of the minute with time to spare for the three to set up Django (and for
    # the seeding, which runs meanwhile).
    at = (int(time.time()) // 60 + 1) * 60
    while at - time.time() < 50:
        at += 60
    ticks = {
        host: subprocess.Popen(  # noqa: S603
            ["ip", "netns", "exec", netns(host), PYTHON, __file__, "tick", str(at)],
            cwd=BASE,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for host in plan.WORKER_HOSTS
    }
    seed("tick", count, due=datetime.datetime.fromtimestamp(at, datetime.UTC))
    if time.time() > at:
        raise SystemExit("seeding took longer than the minute: try fewer --reminders")
    start = float(at)
    claimed, took = {}, {}
    for host, process in ticks.items():
        out, err = process.communicate(timeout=300)
        found = re.search(r"claimed (\d+) in ([\d.]+)", out)
        if not found:
            raise SystemExit(f"tick on {host} failed:\n{err}")
        claimed[host] = int(found.group(1))
        took[host] = float(found.group(2))
    got = wait_delivered(rig, "tick", count, timeout=300)
    states = delivery_states("tick")
    by_tick = sum(claimed.values())
    rows = [
        ("reminders due in the same minute", f"{count:,}"),
        ("claimed by each tick (worker1 / 2 / 3)", " / ".join(f"{claimed[h]:,}" for h in claimed)),
        ("claimed by beat's own tick meanwhile", f"{states_total(states) - by_tick:,}"),
        ("each tick's claim took", " / ".join(f"{took[h]:.2f} s" for h in took)),
        ("delivery rows (one per user, unique)", f"{states_total(states):,}"),
        ("messages sent by worker1 / 2 / 3",
         " / ".join(f"{got.by_host.get(h, 0):,}" for h in plan.WORKER_HOSTS)),
        ("accepted by the sink / distinct recipients", f"{got.accepted:,} / {got.distinct:,}"),
        ("lost / duplicated", f"{got.lost(count)} / {got.duplicates}"),
        ("ticks start → last message accepted", f"{(got.last or start) - start:.1f} s"),
        ("throughput", f"{got.distinct / max(0.001, (got.last or start) - start):,.0f} msg/s"),
        ("delivery rows sent", f"{states.get('sent', 0):,}"),
    ]  # fmt: skip
    return rows


def states_total(states: dict[str, int]) -> int:
    return sum(states.values())


def worker_lost(rig: Rig, count: int) -> list[tuple[str, str]]:
    """Measure 2: worker3 vanishes while the fan-out is under way."""
    from portal.celery import app

    seed("lost", count)
    start = time.time()
    app.send_task("reminders.tasks.reminders_tick")  # what beat sends every minute
    while True:
        got = tally(rig, "lost")
        if got.by_host.get("worker3", 0) >= 50 and got.distinct >= count * 0.15:
            break
        if got.distinct >= count * 0.8 or time.time() - start > 300:
            raise SystemExit(f"fan-out ended before worker3 could be killed: {got}")
        time.sleep(0.05)
    killed_at = time.time()
    killed = rig.kill("worker3")
    rig.cut_link("worker3")
    at_kill = tally(rig, "lost")
    got = wait_delivered(rig, "lost", count, timeout=240)
    states = delivery_states("lost")
    last = got.last or killed_at
    rows = [
        ("reminders due in the same minute", f"{count:,}"),
        ("accepted when worker3 was lost", f"{at_kill.distinct:,} "
         f"(worker3 had sent {at_kill.by_host.get('worker3', 0):,})"),
        ("processes killed on worker3 (main + pool)", f"{killed}"),
        ("deliveries re-enqueued by the sweeper", f"{redelivered('lost'):,}"),
        ("messages sent by worker1 / 2 / 3",
         " / ".join(f"{got.by_host.get(h, 0):,}" for h in plan.WORKER_HOSTS)),
        ("accepted / distinct recipients", f"{got.accepted:,} / {got.distinct:,}"),
        ("lost / duplicated", f"{got.lost(count)} / {got.duplicates}"),
        ("worker3 lost → last message accepted", f"{last - killed_at:.1f} s (bound ≤ 120 s)"),
        ("tick → last message accepted", f"{last - start:.1f} s"),
        ("delivery rows by status", ", ".join(f"{k} {v:,}" for k, v in sorted(states.items()))),
    ]  # fmt: skip
    return rows


class LoadStream:
    """Client threads on the operator's machine, each in a closed loop of GETs through the
    proxy over HTTPS with keep-alive, recording (start, latency, ok)."""

    PATHS = ("/", "/privacy/", "/articles/feed/", "/robots.txt")

    def __init__(self, threads: int):
        self.results: list[tuple[float, float, bool]] = []
        self.errors: dict[str, int] = {}  # HTTP status or exception name: how many
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.loop, args=(i,)) for i in range(threads)]

    def loop(self, index: int) -> None:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the rig's self-signed certificate
        conn = None
        n = index
        while not self.stop.is_set():
            path = self.PATHS[n % len(self.PATHS)]
            n += 1
            began = time.time()
            ok, outcome = False, ""
            try:
                if conn is None:
                    conn = http.client.HTTPSConnection(
                        plan.address("proxy"), 443, timeout=60, context=context
                    )
                conn.request("GET", path, headers={"Host": plan.SITE_HOST})
                response = conn.getresponse()
                response.read()
                ok, outcome = response.status == 200, str(response.status)
            except (OSError, http.client.HTTPException) as error:
                conn, outcome = None, type(error).__name__
            with self.lock:
                self.results.append((began, time.time() - began, ok))
                if not ok:
                    self.errors[outcome] = self.errors.get(outcome, 0) + 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def web_lost(rig: Rig, *, how: str, threads: int, before: float, after: float):
    """Measure 3: a steady stream through the proxy; web1 is lost `before` s in."""
    log_mark = rig.proxy_log_size()
    with LoadStream(threads) as stream:
        time.sleep(before)
        lost_at = time.time()
        if how == "kill":
            rig.kill("web1")
        else:
            rig.cut_link("web1")
        marked_down = None
        while time.time() - lost_at < after:
            if marked_down is None and rig.backend_states().get("web1") not in ("UP", None):
                marked_down = time.time() - lost_at
            time.sleep(0.05)
    results = stream.results
    kinds = ", ".join(f"{n} × {kind}" for kind, n in sorted(stream.errors.items()))
    downs = [f"{host} {state}" for host, state in rig.proxy_events_since(log_mark)]
    pre = [r for r in results if r[0] < lost_at]
    post = [r for r in results if r[0] >= lost_at]
    errors = [r for r in results if not r[2]]
    # In flight when web1 went, or sent to it before the proxy noticed: the slowest answer.
    around = [
        r for r in results if r[0] <= lost_at + (marked_down or after) and r[0] + r[1] >= lost_at
    ]
    settled = [r for r in post if r[0] > lost_at + (marked_down or after) + 1]
    slow = [r for r in around if r[1] > 1.0]
    settled_rate = len(settled) / max(0.001, after - (marked_down or after) - 1)
    return [
        ("requests (before / after web1 lost)", f"{len(pre):,} / {len(post):,}"),
        ("errors", f"{len(errors)}" + (f" ({kinds})" if errors else "")),
        ("web hosts marked down meanwhile (proxy log)", ", ".join(downs) or "—"),
        ("web1 marked down by the proxy after", f"{marked_down:.1f} s" if marked_down else "—"),
        ("slowest answer around the loss", f"{max((r[1] for r in around), default=0):.2f} s"),
        ("answers slower than 1 s around the loss", f"{len(slow)}"),
        ("p50 / p95 before (2 web hosts)", spread([r[1] for r in pre])),
        ("p50 / p95 after failover (web2 alone)", spread([r[1] for r in settled])),
        ("requests/s before / after failover", f"{len(pre) / before:.0f} / {settled_rate:.0f}"),
    ]  # fmt: skip


def spread(latencies: list[float]) -> str:
    p50, p95 = plan.median(latencies) * 1000, plan.percentile(latencies, 0.95) * 1000
    return f"{p50:.0f} / {p95:.0f} ms"


def storage(rig: Rig) -> list[tuple[str, str]]:
    """What a user costs on disk: the delivery table as filled by the runs above (indexes
    included), and a night and a dose from the demo account's ~60 nights (row bodies plus
    PostgreSQL's 28 bytes of tuple header and line pointer; their indexes are not counted:
    on 60 rows they are mostly empty pages)."""
    from django.db import connection

    from reminders.models import Delivery
    from tracker.models import Dose, NightLog

    rig.manage("web2", "create_demo_user")  # web1 was cut off in measure 3b
    rows = []
    with connection.cursor() as cursor:
        table = Delivery._meta.db_table
        cursor.execute(f"SELECT pg_total_relation_size('{table}'), count(*) FROM {table}")  # noqa: S608
        size, count = cursor.fetchone()
        rows.append(("one reminder delivery (table + indexes, fillfactor 50)",
                     f"{size / max(1, count):.0f} B ({count:,} rows)"))  # fmt: skip
        for model in (NightLog, Dose):
            table = model._meta.db_table
            cursor.execute(f"SELECT avg(pg_column_size(t.*)) + 28, count(*) FROM {table} t")  # noqa: S608
            size, count = cursor.fetchone()
            rows.append((f"one {model._meta.verbose_name} (heap only)",
                         f"{float(size or 0):.0f} B ({count:,} rows)"))  # fmt: skip
        cursor.execute("SELECT pg_database_size(current_database())")
        rows.append(("whole database at the end", f"{cursor.fetchone()[0] / 1e6:.0f} MB"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=5000, help="per fan-out (default 5000)")
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker")
    parser.add_argument("--clients", type=int, default=6, help="client threads in measure 3")
    parser.add_argument(
        "--http-reuse", choices=["never", "safe"], default="never",
        help="the proxy's connection reuse to web hosts (default never, as deployed)",
    )  # fmt: skip
    parser.add_argument("--web-only", action="store_true", help="only measure 3 (the web)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("The rig makes network namespaces: run it as root (sudo).", file=sys.stderr)
        return 2
    for tool in ("haproxy", "redis-server", "openssl", "runuser"):
        if not shutil.which(tool):
            print(f"Needs {tool} (apt-get install haproxy redis-server openssl).", file=sys.stderr)
            return 2
    rig = Rig(concurrency=args.concurrency, http_reuse=args.http_reuse)
    atexit.register(rig.teardown)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)  # also when started with SIGINT ignored
    began = time.time()
    load = os.getloadavg()
    try:
        print(f"Building the hosts in {rig.tmp} …", flush=True)
        rig.build_network()
        rig.start_db()
        rig.deploy()
        for host in plan.WEB_HOSTS:
            rig.start_web(host)
        rig.start_proxy()
        for host in plan.WORKER_HOSTS:
            rig.start_worker(host)
        rig.start_beat()
        django_setup(rig)
        wait_workers(rig)
        print(f"Up in {time.time() - began:.0f} s: {', '.join(plan.HOSTS)}.", flush=True)

        if not args.web_only:
            print("\n1. Three ticks at once, three worker hosts sending\n", flush=True)
            print(plan.table(parallel_ticks(rig, args.reminders)), flush=True)
            print("\n2. A worker host lost mid-fan-out (worker3: SIGKILL + link deleted)\n")
            print(plan.table(worker_lost(rig, args.reminders)), flush=True)
        print("\n3a. web1's gunicorn killed under a steady stream through the proxy\n")
        print(plan.table(web_lost(rig, how="kill", threads=args.clients, before=8, after=12)))
        rig.start_web("web1")
        deadline = time.monotonic() + 30
        while rig.backend_states().get("web1") != "UP" and time.monotonic() < deadline:
            time.sleep(0.2)
        print("\n3b. web1's link deleted (the host vanishes) under the same stream\n", flush=True)
        print(plan.table(web_lost(rig, how="cut", threads=args.clients, before=8, after=40)))
        if not args.web_only:
            print("\n4. Storage per row (for docs/scaling.md)\n", flush=True)
            print(plan.table(storage(rig)), flush=True)
        print(
            f"\n{len(plan.HOSTS)} hosts on one shared 2-core machine (load average "
            f"{load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end); "
            f"{time.time() - began:.0f} s in all."
        )
    except KeyboardInterrupt:
        print("\nInterrupted: tearing down.", file=sys.stderr)
        return 130
    finally:
        rig.teardown()
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "sink":
        sink_main(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "tick":
        tick_main(sys.argv[2])
    else:
        sys.exit(main())
