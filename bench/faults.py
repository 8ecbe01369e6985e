"""Scripted, repeatable fault runs of the reminder pipeline and the web (issue #13, "Faults").

    .venv/bin/python bench/faults.py [--scenario NAME ...] [--reminders 10000]   (make faults)

Runs on local processes with their own private PostgreSQL 15 (initdb in a temp dir; as
`postgres` when started as root), their own redis-server and SMTP sink (the scale-out rig's
sink, logging every accepted message) on free ports of 127.0.0.1 — never the machine's
shared PostgreSQL or Redis — plus two Celery workers (prefork, 2 pool processes each), one
beat, and for the Redis outage one gunicorn. Scenarios (each counts messages per recipient
at the sink and Delivery rows by status, whatever the channel):

  kill-main        SIGKILL of worker 1's main process mid-fan-out (its pool dies with it;
                   restarted 5 s later, as systemd would)
  kill-child       SIGKILL of one of worker 1's pool processes mid-fan-out
  two-beats        two beats at once for 10 minutes, time-compressed: the tick every 6 s
                   (one "minute"), reminders due in each of the 10 (--beat-tick-seconds
                   60: real time, the production schedule)
  beat-down        beat down for 3 hours: reminders left due over the last 3 hours, then
                   the tick (twice at once): inside the catch-up window sent once, older
                   recorded as skipped
  smtp-down        the SMTP server down for 40 s, then up: backoff, then delivered
  retry-limit      an SMTP server that never answers: after the retry limit, failed and
                   listed in the admin (runs in the background from the start)
  account-deleted  accounts deleted while their reminder's task is queued: nothing sent
  redis-down       Redis stopped for 60 s during web load and a fan-out: pages degrade
                   (no 500), workers reconnect, reminders catch up (--redis-crash: killed,
                   its queue lost; the sweeper re-enqueues within 90 s of the tick)

Prints a table (scenario | due | delivered | lost | duplicated | allowed | time to recover)
and exits 1 if any scenario breaks its bound. The whole run takes 7–8 minutes on a busy
2-core machine; figures in bench/README.md. Every process and the temp dir are removed on
exit, Ctrl-C included.
"""

import argparse
import atexit
import datetime
import http.client
import os
import secrets
import shutil
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
sys.path.insert(0, str(BASE / "bench"))

import faults_plan as fp  # noqa: E402
import scaleout  # noqa: E402
from faults_rig import (  # noqa: E402
    DEAD_QUEUE,
    LOCAL,
    WORKERS,
    Rig,
    children,
    django_setup,
    reached_share,
    send_tick,
    states_text,
    wait_sent,
    wait_workers,
    worker_name,
)  # fmt: skip

SCENARIOS = (
    "kill-main", "kill-child", "two-beats", "beat-down", "smtp-down", "retry-limit",
    "account-deleted", "redis-down",
)  # fmt: skip


# --- scenarios ------------------------------------------------------------------------------
def kill(rig: Rig, *, target: str, count: int) -> fp.Result:
    """SIGKILL worker 1's main process (target "main") or one of its pool processes
    ("child") once 15 % of a fan-out is out. Bound: what the killed senders held goes out
    within 2 minutes (75 s lease, sweep every 30 s); one duplicate per killed sender."""
    name = f"kill{target}"
    scenario = f"SIGKILL worker {'main process' if target == 'main' else 'pool child'}"
    scaleout.seed(name, count)
    start = time.time()
    send_tick()
    if not reached_share(rig, name, count, 0.15):
        return fp.failed(scenario, "the fan-out never reached 15 %")
    victim = rig.processes["w1"]
    pool = children(victim.pid)
    if not pool:
        return fp.failed(scenario, "worker 1 had no pool processes")
    killed_at = time.time()
    if target == "main":
        os.kill(victim.pid, signal.SIGKILL)  # its pool follows (PDEATHSIG)
        killed_senders = len(pool)
    else:
        os.kill(pool[0], signal.SIGKILL)
        killed_senders = 1
    at_kill = scaleout.tally(rig, name)
    if target == "main":
        rig.dead.append(rig.processes.pop("w1"))
        victim.wait()
        time.sleep(5)  # systemd's RestartSec
        rig.start_worker("w1")
    got = wait_sent(rig, name, count, timeout=420)
    states = scaleout.delivery_states(name)
    done = got.distinct >= count
    return fp.Result(
        scenario, count, got.distinct, got.accepted, allowed=killed_senders,
        recover_seconds=(got.last - killed_at) if done else None, recover_bound=120,
        checks={"every delivery row sent": states == {"sent": count}},
        notes=[
            f"killed at {at_kill.distinct:,} of {count:,} out, {killed_senders} sending "
            f"process(es) killed",
            f"re-enqueued by the sweeper {scaleout.redelivered(name):,}",
            f"tick → last message {(got.last or start) - start:.0f} s",
            f"rows: {states_text(states)}",
        ],
    )  # fmt: skip


def two_beats(rig: Rig, *, count: int, minutes: int, tick_seconds: float) -> fp.Result:
    """Two beats at once for `minutes` (compressed to `tick_seconds` each): every reminder
    due in that time is claimed by one tick only and sent once."""
    from django.utils import timezone

    scenario = f"two beats for {minutes} minutes"
    rig.stop("beat")
    beats_up = time.time() + 10  # time for both to start
    start = timezone.now() + datetime.timedelta(seconds=10)
    scaleout.seed(
        "beats", count,
        fp.compressed_dues(start=start, minutes=minutes, tick_seconds=tick_seconds, count=count),
    )  # fmt: skip
    # Real time (60): the production schedule itself, the tick at the start of every minute.
    compressed = tick_seconds if tick_seconds != 60 else None
    rig.start_beat("beat-a", tick_seconds=compressed)
    rig.start_beat("beat-b", tick_seconds=compressed)
    time.sleep(max(0.0, beats_up - time.time()) + (minutes + 1) * tick_seconds)
    rig.stop("beat-a")
    rig.stop("beat-b")
    rig.start_beat()
    ticks = [
        (rig.tmp / f"{b}.log").read_text().count("Sending due task reminders-tick")
        for b in ("beat-a", "beat-b")
    ]
    got = wait_sent(rig, "beats", count, timeout=180)
    states = scaleout.delivery_states("beats")
    return fp.Result(
        scenario, count, got.distinct, got.accepted,
        checks={
            "one delivery row per reminder, sent": states == {"sent": count},
            "both beats ticked": min(ticks) >= minutes - 1,
        },
        notes=[
            f"compressed: one minute = {tick_seconds:g} s (tick every {tick_seconds:g} s)"
            if tick_seconds != 60
            else "real time: the production schedule, a tick at the start of every minute",
            f"ticks sent by beat A / B: {ticks[0]} / {ticks[1]}",
            f"rows: {states_text(states)}",
        ],
    )  # fmt: skip


def beat_down(rig: Rig, *, count: int) -> fp.Result:
    """Beat down for 3 hours: every reminder that came due meanwhile is still due (its
    setting was never moved on). Beat comes back: its tick and a second one at once."""
    from django.utils import timezone

    from reminders import scheduling
    from reminders.models import Delivery, ReminderSetting

    scenario = "beat down for 3 hours"
    now = timezone.now()
    inside, older = fp.catch_up_dues(
        now=now, down=datetime.timedelta(hours=3), window=scheduling.CATCH_UP,
        margin=datetime.timedelta(minutes=5), count=count,
    )  # fmt: skip
    scaleout.seed("catchup", len(inside), inside)
    scaleout.seed("toolate", len(older), older)
    back = time.time()
    send_tick()
    send_tick()
    got = wait_sent(rig, "catchup", len(inside), timeout=180)
    time.sleep(2)
    late = scaleout.tally(rig, "toolate")
    inside_states = scaleout.delivery_states("catchup")
    older_states = scaleout.delivery_states("toolate")
    too_late = Delivery.objects.filter(
        user__email__startswith="toolate-", status="skipped", reason="too_late"
    ).count()
    moved_on = not ReminderSetting.objects.filter(
        user__email__regex=r"^(catchup|toolate)-", next_due_at__lte=timezone.now()
    ).exists()
    done = got.distinct >= len(inside)
    return fp.Result(
        scenario, len(inside), got.distinct, got.accepted,
        recover_seconds=(got.last - back) if done else None,
        checks={
            "inside the window: one row each, sent": inside_states == {"sent": len(inside)},
            "older: nothing sent": late.accepted == 0,
            "older: recorded as skipped (too late)": too_late == len(older),
            "every setting moved on": moved_on,
        },
        notes=[
            f"due over the 3 hours: {len(inside):,} within the "
            f"{scheduling.CATCH_UP.total_seconds() / 3600:g} h catch-up "
            f"window, {len(older):,} older (none within 5 min of its edge)",
            f"older: {states_text(older_states)}, {late.accepted} messages",
            "time to recover: beat back → last message",
        ],
    )  # fmt: skip


def smtp_down(rig: Rig, *, count: int, down: float) -> fp.Result:
    """The SMTP server down for `down` seconds while reminders are due; then up."""
    from django.db.models import Max

    from reminders import tasks
    from reminders.models import Delivery

    scenario = f"SMTP down {down:.0f} s, then up"
    rig.stop("sink")
    scaleout.seed("smtpdown", count)
    ticked = time.time()
    send_tick()
    time.sleep(max(0.0, ticked + down - time.time()))
    during = scaleout.tally(rig, "smtpdown").accepted
    rig.start_sink()
    up = time.time()
    instants = fp.retry_instants(
        base=tasks.RETRY_BASE_SECONDS, cap=tasks.RETRY_MAX_SECONDS, retries=5
    )
    next_retry = fp.first_retry_after(instants, up - ticked) or instants[-1]
    bound = next_retry - (up - ticked) + 60  # that retry, plus a busy machine's slack
    got = wait_sent(rig, "smtpdown", count, timeout=bound + 120)
    states = scaleout.delivery_states("smtpdown")
    attempts = Delivery.objects.filter(user__email__startswith="smtpdown-").aggregate(
        Max("attempts")
    )["attempts__max"]
    done = got.distinct >= count
    return fp.Result(
        scenario, count, got.distinct, got.accepted,
        recover_seconds=(got.last - up) if done else None, recover_bound=bound,
        checks={"every delivery row sent": states == {"sent": count}, "none while down":
                during == 0, "retried with backoff": (attempts or 0) >= 2},
        notes=[
            f"retries {', '.join(f'{s:.0f}' for s in instants)} s after the first attempt; "
            f"most attempts per delivery {attempts}",
            "time to recover: SMTP up → last message",
        ],
    )  # fmt: skip


class RetryLimit:
    """An SMTP server that never answers, for `count` deliveries recorded as the tick
    records them and enqueued on the queue of a worker whose SMTP port has no listener.
    Runs in the background (about 4 minutes of real backoff) while other scenarios run."""

    scenario = "SMTP never up: retry limit"

    def __init__(self, rig: Rig, *, count: int):
        from django.utils import timezone

        from reminders import scheduling
        from reminders.dispatch import MAX_ATTEMPTS
        from reminders.models import Delivery
        from reminders.tasks import RETRY_BASE_SECONDS, RETRY_MAX_SECONDS, deliveries_send_task

        self.rig, self.count = rig, count
        rig.start_dead_worker()
        wait_workers(["dead"])
        now = timezone.now()
        # Settings due tomorrow: no tick of another scenario claims them.
        scaleout.seed("retrylimit", count, now + datetime.timedelta(days=1))
        rows = [
            Delivery(user=user, kind="evening", due_at=now, enqueued_at=now, status="pending",
                     local_date=scheduling.local_date_of(now, user.zone))
            for user in scaleout_users("retrylimit")
        ]  # fmt: skip
        Delivery.objects.bulk_create(rows)
        ids = list(
            Delivery.objects.filter(user__email__startswith="retrylimit-").values_list(
                "pk", flat=True
            )
        )
        instants = fp.retry_instants(base=RETRY_BASE_SECONDS, cap=RETRY_MAX_SECONDS, retries=5)
        self.bound = instants[MAX_ATTEMPTS - 2] + 60  # the last attempt, and slack
        self.settled_at: float | None = None
        self.began = time.time()
        deliveries_send_task.apply_async([ids], queue=DEAD_QUEUE)
        self.watcher = threading.Thread(target=self.watch, daemon=True)
        self.watcher.start()

    def watch(self) -> None:
        """Note when no delivery is open any more (polled every second, on its own
        database connection, while the other scenarios run)."""
        from django.db import connection

        from reminders.models import Delivery

        open_rows = Delivery.objects.filter(
            user__email__startswith="retrylimit-", status__in=["pending", "sending"]
        )
        try:
            while time.time() - self.began < self.bound + 60:
                if not open_rows.exists():
                    self.settled_at = time.time()
                    return
                time.sleep(1)
        finally:
            connection.close()

    def result(self) -> fp.Result:
        from reminders.dispatch import MAX_ATTEMPTS
        from reminders.models import Delivery

        self.watcher.join()
        bound, settled_at = self.bound, self.settled_at
        rows = Delivery.objects.filter(user__email__startswith="retrylimit-")
        states = scaleout.delivery_states("retrylimit")
        attempts = Counter(rows.values_list("attempts", flat=True))
        listed = admin_lists_failed("retrylimit-", self.count)
        sent = scaleout.tally(self.rig, "retrylimit").accepted
        self.rig.stop("dead")
        return fp.Result(
            self.scenario, 0, 0, sent,
            recover_seconds=(settled_at - self.began) if settled_at else None,
            recover_bound=bound,
            checks={
                "nothing sent": sent == 0,
                f"all {self.count} failed": states == {"failed": self.count},
                f"{MAX_ATTEMPTS} attempts each": attempts == {MAX_ATTEMPTS: self.count},
                "listed in the admin as failed": listed,
            },
            notes=[
                f"{self.count} deliveries; rows: {states_text(states)}; attempts per delivery "
                f"{dict(attempts)}",
                "time to recover here: first attempt → every delivery failed",
                "admin: /admin/reminders/delivery/?status__exact=failed lists each address"
                if listed else "admin: NOT every address listed",
            ],
        )  # fmt: skip


def scaleout_users(round_name: str):
    from accounts.models import User

    return list(User.objects.filter(email__startswith=f"{round_name}-").order_by("pk"))


def admin_lists_failed(prefix: str, count: int) -> bool:
    """A staff member opens the delivery log filtered to failed ones: every address shows."""
    from django.test import Client

    from accounts.models import User

    staff, _ = User.objects.get_or_create(
        email="faults-admin@example.com",
        defaults={"is_staff": True, "is_superuser": True, "display_name": "Admin"},
    )
    client = Client()
    client.force_login(staff)
    response = client.get(
        "/admin/reminders/delivery/", {"status__exact": "failed", "q": prefix}, HTTP_HOST=LOCAL
    )
    page = response.content.decode()
    return response.status_code == 200 and all(
        f"{prefix}{i}@example.com" in page for i in range(count)
    )


def account_deleted(rig: Rig, *, count: int) -> fp.Result:
    """The workers stop taking tasks; the tick claims `count` reminders (their send task is
    queued); half of the accounts are deleted; the workers take tasks again."""
    from django.utils import timezone

    from accounts.services import account_delete
    from portal.celery import app
    from reminders import dispatch
    from reminders.models import Delivery

    scenario = "account deleted while queued"
    names = [worker_name(n) for n in WORKERS]
    queue = app.conf.task_default_queue
    app.control.cancel_consumer(queue, destination=names, reply=True, timeout=5)
    try:
        scaleout.seed("deleted", count)
        claimed = dispatch.reminders_claim_due(now=timezone.now())
        users = scaleout_users("deleted")
        gone = users[: count // 2]
        kept = {u.email for u in users[count // 2 :]}
        queued = Delivery.objects.filter(user__in=gone, status="pending").count()
        for user in gone:
            account_delete(user=user)
    finally:
        app.control.add_consumer(queue, destination=names, reply=True, timeout=5)
    started = time.time()
    got = scaleout.wait_delivered(rig, "deleted", len(kept), timeout=120)
    time.sleep(3)
    lines = rig.sink_log.read_text().splitlines()
    to_deleted = sum(
        1 for line in lines if line.split()[-1].startswith("deleted-")
        and line.split()[-1] not in kept
    )  # fmt: skip
    rows_left = Delivery.objects.filter(user_id__in=[u.pk for u in gone]).count()
    got = scaleout.plan.sink_tally(
        [ln for ln in lines if ln.split()[-1] in kept], recipient_prefix="deleted-"
    )
    return fp.Result(
        scenario, len(kept), got.distinct, got.accepted,
        recover_seconds=None,
        checks={
            "nothing sent to a deleted account": to_deleted == 0,
            "their deliveries were queued when deleted": queued == len(gone),
            "no delivery row left for them": rows_left == 0,
        },
        notes=[
            f"{claimed} claimed by the tick, {len(gone)} deleted while their send "
            f"task was queued; messages to them: {to_deleted}",
            f"workers back → last message {(got.last or started) - started:.0f} s",
        ],
    )  # fmt: skip


class WebLoad:
    """Signed-in GETs of pages that need no Redis (dashboard, nights, articles) in a closed
    loop, and an anonymous sign-in POST (wrong password) every 3 s, each outcome counted by
    the phase it started in."""

    PAGES = ("/tracker/", "/tracker/nights/", "/articles/", "/articles/{slug}/")

    def __init__(self, port: int, session: str, slug: str, threads: int = 3):
        self.port, self.session, self.slug = port, session, slug
        self.outcomes: Counter = Counter()
        self.phase = "healthy"
        self.switched = self.started = time.time()  # phase changes (near one: "switch")
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.pages, args=(i,)) for i in range(threads)]
        self.threads.append(threading.Thread(target=self.sign_in))

    def set_phase(self, phase: str) -> None:
        self.phase, self.switched = phase, time.time()

    def _phase(self, began: float) -> str:
        return "switch" if abs(began - self.switched) < 2 else self.phase

    def _request(self, kind, method, path, headers, body=None) -> None:
        began = time.time()
        phase = self._phase(began)
        try:
            conn = http.client.HTTPConnection(LOCAL, self.port, timeout=30)
            conn.request(method, path, body=body, headers=headers | {"Host": LOCAL})
            response = conn.getresponse()
            response.read()
            conn.close()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
        label = path.replace(self.slug, "<slug>")
        with self.lock:
            self.outcomes[(phase, kind, label, status)] += 1

    def pages(self, index: int) -> None:
        n = index
        csrf = secrets.token_hex(16)
        while not self.stop.is_set():
            path = self.PAGES[n % len(self.PAGES)].format(slug=self.slug)
            n += 1
            cookie = f"sessionid={self.session}; csrftoken={csrf}"
            self._request("page", "GET", path, {"Cookie": cookie})

    def sign_in(self) -> None:
        import urllib.parse

        while not self.stop.wait(3):
            # An unmasked 32-character CSRF secret is valid as both cookie and form field.
            csrf = secrets.token_hex(16)
            body = urllib.parse.urlencode({
                "csrfmiddlewaretoken": csrf, "login": f"nobody-{secrets.token_hex(4)}@example.com",
                "password": "not-the-password",
            })  # fmt: skip
            headers = {
                "Cookie": f"csrftoken={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            self._request("sign-in", "POST", "/accounts/login/", headers, body)

    def __enter__(self):
        self.switched = self.started = time.time()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def redis_down(rig: Rig, *, count: int, down: float) -> fp.Result:
    """Redis stopped for `down` seconds during web load and a fan-out; more reminders come
    due meanwhile."""
    from django.test import Client

    from accounts.models import User
    from articles.models import Article

    how = "killed (no persistence)" if rig.redis_crash else "stopped"
    scenario = f"Redis {how} {down:.0f} s"
    rig.start_web()
    demo = User.objects.get(email="demo@example.com")
    client = Client()
    client.force_login(demo)
    session = client.cookies["sessionid"].value
    slug = Article.objects.filter(status="published").values_list("slug", flat=True)[0]
    scaleout.seed("redis", count)
    late = 200
    with WebLoad(rig.ports["web"], session, slug) as load:
        time.sleep(8)  # healthy load first
        send_tick()
        if not reached_share(rig, "redis", count, 0.10):
            return fp.failed(scenario, "the fan-out never reached 10 %")
        at_stop = scaleout.tally(rig, "redis").distinct
        if at_stop >= count:
            return fp.failed(scenario, "the fan-out ended before Redis stopped")
        rig.stop("redis", signal.SIGKILL if rig.redis_crash else signal.SIGTERM)
        stopped = time.time()
        load.set_phase("outage")
        # More reminders come due while Redis is down (the tick cannot run then).
        scaleout.seed("redislate", late, datetime.datetime.now(datetime.UTC).replace(
            microsecond=0) + datetime.timedelta(seconds=20))  # fmt: skip
        time.sleep(max(0.0, stopped + down - time.time()))
        during = scaleout.tally(rig, "redis").distinct - at_stop
        rig.start_redis()
        back = time.time()
        load.set_phase("healthy")
        reconnect = wait_workers(WORKERS, timeout=120)
        time.sleep(10)  # healthy load after
    from reminders.dispatch import LOST_PENDING

    # Stopped: the queue comes back with Redis (its snapshot). Killed: the queued send tasks
    # are gone, and the sweeper re-enqueues their rows once they have waited LOST_PENDING
    # with the broker empty: at most 90 s after their tick, plus a sweep (30 s) and the
    # workers' reconnect (about 15 s): the same 150 s from Redis's return.
    bound = max(150, LOST_PENDING.total_seconds() + 60)
    first = wait_sent(rig, "redis", count, timeout=bound + 60)
    second = wait_sent(rig, "redislate", late, timeout=bound + 60)
    done = first.distinct >= count and second.distinct >= late
    last = max(first.last or 0, second.last or 0)
    states = scaleout.delivery_states("redis")
    late_states = scaleout.delivery_states("redislate")
    problems = fp.web_problems(load.outcomes)
    beat_alive = rig.processes["beat"].poll() is None
    return fp.Result(
        scenario, count + late, first.distinct + second.distinct,
        first.accepted + second.accepted,
        recover_seconds=(last - back) if done else None, recover_bound=bound,
        checks={
            "pages degrade, no 500": not problems,
            "every delivery row sent": states == {"sent": count}
            and late_states == {"sent": late},
            "beat survived": beat_alive,
        },
        notes=[
            f"stopped at {at_stop:,} of {count:,} out; {during:,} more sent meanwhile (chunks "
            f"already leased); {late} more came due during the outage",
            f"workers answered a ping {reconnect:.0f} s after Redis was back",
            "web while down: " + fp.web_summary(load.outcomes, "outage"),
            "web healthy: " + fp.web_summary(load.outcomes, "healthy"),
            *(f"web problem: {p}" for p in problems),
            "time to recover: Redis back → last message",
        ],
    )  # fmt: skip


# --- the run --------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", action="append", choices=SCENARIOS,
                        help="run only this one (repeatable); default: all")  # fmt: skip
    parser.add_argument("--reminders", type=int, default=10_000,
                        help="per kill fan-out (default 10,000); the others use fewer")  # fmt: skip
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker")
    parser.add_argument("--beat-minutes", type=int, default=10)
    parser.add_argument("--beat-tick-seconds", type=float, default=6,
                        help="one compressed minute (60: real time)")  # fmt: skip
    parser.add_argument("--smtp-down", type=float, default=40, help="seconds")
    parser.add_argument("--redis-down", type=float, default=60, help="seconds")
    parser.add_argument(
        "--redis-crash", action="store_true",
        help="SIGKILL Redis, run without persistence (its queue is lost)",
    )  # fmt: skip
    parser.add_argument(
        "--keep-logs", type=Path, metavar="DIR",
        help="copy every process's log (and the sink's) there at the end",
    )  # fmt: skip
    args = parser.parse_args()
    chosen = args.scenario or list(SCENARIOS)
    for tool in ("redis-server",):
        if not shutil.which(tool):
            print(f"Needs {tool} (apt-get install redis-server).", file=sys.stderr)
            return 2
    if not (scaleout.PG_BIN / "initdb").exists():
        print(f"Needs PostgreSQL 15 in {scaleout.PG_BIN}.", file=sys.stderr)
        return 2
    rig = Rig(concurrency=args.concurrency, redis_crash=args.redis_crash, keep_logs=args.keep_logs)
    atexit.register(rig.teardown)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    began, load = time.time(), os.getloadavg()
    results: list[fp.Result] = []
    try:
        print(f"Starting PostgreSQL, Redis, the SMTP sink, workers and beat in {rig.tmp} …",
              flush=True)  # fmt: skip
        rig.start_postgres()
        rig.start_redis()
        rig.start_sink()
        rig.manage("migrate", "--noinput")
        if {"redis-down", "retry-limit"} & set(chosen):  # pages: the web's, the admin's
            rig.manage("collectstatic", "--noinput")
        if "redis-down" in chosen:
            rig.manage("seed_content")
            rig.manage("create_demo_user")
        django_setup(rig)
        for name in WORKERS:
            rig.start_worker(name)
        rig.start_beat()
        wait_workers(WORKERS)
        print(f"Up in {time.time() - began:.0f} s.", flush=True)
        background = RetryLimit(rig, count=50) if "retry-limit" in chosen else None
        steps = {
            "kill-main": lambda: kill(rig, target="main", count=args.reminders),
            "kill-child": lambda: kill(rig, target="child", count=args.reminders),
            "retry-limit": lambda: background.result(),
            "two-beats": lambda: two_beats(rig, count=max(100, args.reminders // 5),
                                           minutes=args.beat_minutes,
                                           tick_seconds=args.beat_tick_seconds),
            "beat-down": lambda: beat_down(rig, count=max(100, args.reminders // 10)),
            "smtp-down": lambda: smtp_down(rig, count=max(100, args.reminders // 10),
                                           down=args.smtp_down),
            "account-deleted": lambda: account_deleted(rig, count=200),
            "redis-down": lambda: redis_down(rig, count=max(500, args.reminders // 2),
                                             down=args.redis_down),
        }  # fmt: skip
        for name in SCENARIOS:
            if name in chosen:
                print(f"\n{name} …", flush=True)
                started = time.time()
                result = steps[name]()
                results.append(result)
                print(f"{name}: {'ok' if result.ok else 'BROKEN'} in {time.time() - started:.0f} "
                      f"s; " + "; ".join(result.notes), flush=True)  # fmt: skip
    except KeyboardInterrupt:
        print("\nInterrupted: stopping everything.", file=sys.stderr)
        return 130
    finally:
        rig.teardown()
    print("\n" + fp.results_table(results))
    print("\n" + fp.notes_text(results))
    print(
        f"\nOne shared 2-core machine (load average {load[0]:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end); {time.time() - began:.0f} s in all."
    )
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "sink":
        scaleout.sink_main(sys.argv[2], LOCAL, int(sys.argv[3]))
    else:
        sys.exit(main())
