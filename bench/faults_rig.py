"""bench/faults.py's rig: a private PostgreSQL, Redis and SMTP sink on free ports of
127.0.0.1, Celery workers and beats, gunicorn; and the waits the scenarios share. Everything
it starts, `Rig.teardown` stops, and it removes its temp dir."""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import scaleout
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

BASE = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LOCAL = "127.0.0.1"
TICK = "reminders.tasks.reminders_tick"
WORKERS = ("w1", "w2")
DEAD_QUEUE = "restwell-smtp-dead"  # the retry-limit scenario's worker, whose SMTP never answers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL, 0))
        return sock.getsockname()[1]


def worker_name(name: str) -> str:
    return f"{name}@faults"


def children(pid: int) -> list[int]:
    """A process's children, whichever of its threads forked them (Celery's pool)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def django_setup(rig: "Rig") -> None:
    os.environ.update(rig.env)
    import django

    django.setup()


class Rig:
    """The processes of one run; `teardown` stops all of them and removes the temp dir."""

    def __init__(self, *, concurrency: int, redis_crash: bool, keep_logs: Path | None = None):
        self.concurrency = concurrency
        self.redis_crash = redis_crash
        self.keep_logs = keep_logs  # where each process's log is copied at teardown
        self.tmp = Path(tempfile.mkdtemp(prefix="restwell-faults-"))
        self.tmp.chmod(0o755)  # PostgreSQL runs as `postgres` and needs to reach its dir
        self.ports = {
            name: free_port() for name in ("postgres", "redis", "smtp", "dead-smtp", "web")
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.dead: list[subprocess.Popen] = []  # killed on purpose, reaped at teardown
        self.sink_log = self.tmp / "sink.log"
        self.env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "faults_settings",
            "PYTHONPATH": f"{BASE / 'bench'}{os.pathsep}{BASE}",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": f"{LOCAL},localhost,testserver",
            "SITE_URL": f"http://{LOCAL}:{self.ports['web']}",
            "DATABASE_URL": f"postgres://postgres@{LOCAL}:{self.ports['postgres']}/restwell",
            "REDIS_URL": f"redis://{LOCAL}:{self.ports['redis']}",
            "EMAIL_URL": f"smtp://{LOCAL}:{self.ports['smtp']}",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "ADMIN_REQUIRE_MFA": "false",
            "LOG_LEVEL": "WARNING",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"{LOCAL}:{self.ports['web']}",
            "FAULTS_STATIC_ROOT": str(self.tmp / "static"),
            "XDG_RUNTIME_DIR": str(self.tmp),  # gunicorn's control socket
        }
        for name in ("FAULTS_TICK_SECONDS", "CELERY_QUEUE", "CACHE_KEY_PREFIX"):
            self.env.pop(name, None)
        self.torn_down = False

    # --- processes -----------------------------------------------------------------------
    def start(self, name: str, args: list[str], *, env=None, user=None) -> subprocess.Popen:
        prefix = ["runuser", "-u", user, "--"] if user and os.geteuid() == 0 else []
        log = (self.tmp / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and the machine's tools
            [*prefix, *args], cwd=BASE, env=env or self.env, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip
        self.processes[name] = process
        return process

    def stop(self, name: str, sig: int = signal.SIGTERM, wait: float = 15) -> None:
        """Signal a process's whole group; SIGKILL it if it has not exited within `wait`."""
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def teardown(self) -> None:
        if self.torn_down:
            return
        self.torn_down = True
        for name in [n for n in self.processes if n not in ("postgres", "redis")]:
            self.stop(name, signal.SIGKILL)
        for process in self.dead:  # a killed worker's pool children share its group
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)
        for name in ("redis", "postgres"):
            if name in self.processes:
                # SIGINT: PostgreSQL's fast shutdown (SIGTERM waits for clients to leave).
                self.stop(name, signal.SIGINT if name == "postgres" else signal.SIGKILL)
        if self.keep_logs:
            self.keep_logs.mkdir(parents=True, exist_ok=True)
            for log in self.tmp.glob("*.log"):
                shutil.copy(log, self.keep_logs / log.name)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args], cwd=BASE, env=self.env, capture_output=True,
            text=True, check=False,
        )  # fmt: skip
        if result.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    # --- services ------------------------------------------------------------------------
    def start_postgres(self) -> None:
        data, sock = self.tmp / "pg", self.tmp / "pgsock"
        for path in (data, sock):
            path.mkdir()
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(  # noqa: S603
            [*prefix, str(scaleout.PG_BIN / "initdb"), "-D", str(data), "-U", "postgres",
             "--auth", "trust", "-E", "UTF8"], check=True, capture_output=True,
        )  # fmt: skip
        self.start("postgres", [str(scaleout.PG_BIN / "postgres"), "-D", str(data),
                   "-c", f"listen_addresses={LOCAL}", "-c", f"port={self.ports['postgres']}",
                   "-c", f"unix_socket_directories={sock}", "-c", "max_connections=100"],
                   user="postgres")  # fmt: skip
        scaleout.wait_for_port(LOCAL, self.ports["postgres"], "PostgreSQL")
        subprocess.run(  # noqa: S603
            [str(scaleout.PG_BIN / "createdb"), "-h", LOCAL, "-p", str(self.ports["postgres"]),
             "-U", "postgres", "restwell"], check=True, capture_output=True,
        )  # fmt: skip

    def start_redis(self) -> None:
        """Debian's default persistence (RDB snapshots, written on a clean shutdown too), so
        a stopped Redis comes back with its queue; --redis-crash runs it without any, as a
        crash would leave it."""
        (folder := self.tmp / "redis").mkdir(exist_ok=True)
        save = "" if self.redis_crash else "3600 1 300 100 60 10000"
        self.start("redis", ["redis-server", "--bind", LOCAL, "--port", str(self.ports["redis"]),
                   "--save", save, "--appendonly", "no", "--dir", str(folder)])  # fmt: skip
        scaleout.wait_for_port(LOCAL, self.ports["redis"], "Redis")

    def start_sink(self) -> None:
        self.start(
            "sink",
            [
                PYTHON,
                str(BASE / "bench" / "faults.py"),
                "sink",
                str(self.sink_log),
                str(self.ports["smtp"]),
            ],
        )
        scaleout.wait_for_port(LOCAL, self.ports["smtp"], "the SMTP sink")

    def start_worker(self, name: str, **extra: str) -> None:
        concurrency = extra.pop("concurrency", str(self.concurrency))
        self.start(name, [PYTHON, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork",
                   "--concurrency", concurrency, "--hostname", worker_name(name),
                   "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
                   env=self.env | extra)  # fmt: skip

    def start_dead_worker(self) -> None:
        """A worker on its own queue whose SMTP server never answers (nothing listens on its
        port): the retry-limit scenario's deliveries are sent only by it."""
        self.start_worker(
            "dead", concurrency="1", CELERY_QUEUE=DEAD_QUEUE,
            EMAIL_URL=f"smtp://{LOCAL}:{self.ports['dead-smtp']}",
        )  # fmt: skip

    def start_beat(self, name: str = "beat", tick_seconds: float | None = None) -> None:
        # INFO: beat logs each task it sends ("Sending due task …"), which two-beats counts.
        extra = {"LOG_LEVEL": "INFO"}
        if tick_seconds:
            extra["FAULTS_TICK_SECONDS"] = str(tick_seconds)
        self.start(name, [PYTHON, "-m", "celery", "-A", "portal", "beat", "--loglevel", "INFO",
                   "--schedule", str(self.tmp / f"{name}-schedule")],
                   env=self.env | extra)  # fmt: skip

    def start_web(self) -> None:
        self.start("web", [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi"])
        scaleout.wait_for_port(LOCAL, self.ports["web"], "gunicorn")


def wait_workers(names, timeout: float = 90) -> float:
    """Seconds until every named worker answers a ping."""
    from portal.celery import app

    began = time.monotonic()
    wanted = [worker_name(n) for n in names]
    while True:
        try:  # a new connection each time: a pooled one may be to a Redis since restarted
            with app.connection_for_write() as connection:
                answers = app.control.ping(destination=wanted, timeout=1, connection=connection)
            if len(answers) == len(wanted):
                return time.monotonic() - began
        except (OperationalError, RedisError, OSError):
            time.sleep(0.5)
        if time.monotonic() - began > timeout:
            raise SystemExit(f"the workers {wanted} did not answer within {timeout:.0f} s")


def send_tick() -> None:
    from portal.celery import app

    app.send_task(TICK)  # what beat sends every minute


def wait_sent(rig: Rig, round_name: str, count: int, timeout: float) -> scaleout.plan.SinkTally:
    """The sink's tally once every recipient has a message (or at the timeout), after a
    second more for anything late (a duplicate) to show."""
    got = scaleout.wait_delivered(rig, round_name, count, timeout)
    time.sleep(1)
    return scaleout.tally(rig, round_name) if got.distinct >= count else got


def states_text(states: dict[str, int]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in sorted(states.items())) or "none"


def reached_share(rig: Rig, round_name: str, count: int, share: float, timeout=300) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if scaleout.tally(rig, round_name).distinct >= count * share:
            return True
        time.sleep(0.05)
    return False
