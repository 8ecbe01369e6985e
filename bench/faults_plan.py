"""The fault runs' pure parts: each scenario's verdict, the results table, the web outcomes
during a Redis outage, and the instants the compressed and catch-up scenarios seed. No side
effects, so `tests/bench/test_faults_plan.py` can check them.
"""

import dataclasses
import datetime
from collections import Counter


@dataclasses.dataclass
class Result:
    """One scenario's outcome. `due` counts the messages that must go out; `delivered` the
    distinct recipients among them that the SMTP sink accepted; `accepted` every message to
    them (so duplicates are accepted - delivered); `allowed` the duplicates the bound allows
    (one per killed sending process). `checks` are the scenario's own conditions (name →
    held), `notes` what else it measured."""

    scenario: str
    due: int
    delivered: int
    accepted: int
    allowed: int = 0
    recover_seconds: float | None = None
    recover_bound: float | None = None
    checks: dict[str, bool] = dataclasses.field(default_factory=dict)
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.due - self.delivered

    @property
    def duplicated(self) -> int:
        return self.accepted - self.delivered

    @property
    def problems(self) -> list[str]:
        found = []
        if self.lost:
            found.append(f"{self.lost} lost")
        if self.duplicated > self.allowed:
            found.append(f"{self.duplicated} duplicated (at most {self.allowed} allowed)")
        if self.recover_bound is not None and (
            self.recover_seconds is None or self.recover_seconds > self.recover_bound
        ):
            took = "never" if self.recover_seconds is None else f"{self.recover_seconds:.0f} s"
            found.append(f"recovered {took} (bound {self.recover_bound:.0f} s)")
        found += [f"failed: {name}" for name, held in self.checks.items() if not held]
        return found

    @property
    def ok(self) -> bool:
        return not self.problems


def failed(scenario: str, reason: str) -> Result:
    """A scenario that could not be run to its end (e.g. the fan-out finished before the
    kill): reported as broken, never as passed."""
    return Result(scenario, 0, 0, 0, checks={reason: False})


def results_table(results: list[Result]) -> str:
    """The Markdown table `make faults` prints and bench/README.md keeps."""
    rows = [
        ("scenario", "due", "delivered", "lost", "duplicated", "allowed", "time to recover",
         "verdict"),
        ("---", "---:", "---:", "---:", "---:", "---:", "---", "---"),
    ]  # fmt: skip
    for r in results:
        if r.recover_seconds is None:
            recover = "—" if r.recover_bound is None else "never"
        else:
            recover = f"{r.recover_seconds:.0f} s"
        if r.recover_bound is not None:
            recover += f" (≤ {r.recover_bound:.0f} s)"
        rows.append(
            (r.scenario, f"{r.due:,}", f"{r.delivered:,}", f"{r.lost:,}", f"{r.duplicated:,}",
             f"{r.allowed}", recover, "ok" if r.ok else "BROKEN: " + "; ".join(r.problems))
        )  # fmt: skip
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def notes_text(results: list[Result]) -> str:
    return "\n".join(f"- {r.scenario}: {'; '.join(r.notes)}" for r in results if r.notes)


# --- Redis outage: what the web answered ---------------------------------------------------
# During the outage a page computed from the database still answers 200; an action that must
# not run without its rate limit (sign-in) answers 503 "try again in a minute"; nothing
# answers 500. Before and after it, sign-in answers its form again (200, or 429 when the
# bench's own tries reach allauth's limit). A sign-in started within moments of Redis stopping
# or starting ("switch") may see either side.
EXPECTED = {
    ("healthy", "page"): {200},
    ("healthy", "sign-in"): {200, 429},
    ("outage", "page"): {200},
    ("outage", "sign-in"): {503},
    ("switch", "page"): {200},
    ("switch", "sign-in"): {200, 429, 503},
}


def web_problems(outcomes: Counter) -> list[str]:
    """`outcomes` counts (phase, kind, path, status) with phase "healthy", "outage" or
    "switch", kind
    "page" or "sign-in" and status an HTTP status or an exception's name; the unexpected
    ones, described."""
    problems = []
    for (phase, kind, path, status), n in sorted(outcomes.items(), key=str):
        if status not in EXPECTED[(phase, kind)]:
            problems.append(f"{n} × {status} on {path} ({phase})")
    return problems


def web_summary(outcomes: Counter, phase: str) -> str:
    """One phase's outcomes per path, e.g. "/tracker/ 200×41" or "/accounts/login/ 503×9"."""
    per_path: dict[str, Counter] = {}
    for (seen_phase, _kind, path, status), n in outcomes.items():
        if seen_phase == phase:
            per_path.setdefault(path, Counter())[status] += n
    return ", ".join(
        f"{path} " + " ".join(f"{status}×{n}" for status, n in sorted(counts.items(), key=str))
        for path, counts in sorted(per_path.items())
    )


# --- what the scenarios seed ---------------------------------------------------------------
def compressed_dues(
    *, start: datetime.datetime, minutes: int, tick_seconds: float, count: int
) -> list[datetime.datetime]:
    """Due instants for `count` reminders over `minutes` compressed minutes of `tick_seconds`
    each: the same number due in each, halfway through it (so every compressed minute has
    reminders for whichever beat's tick comes first)."""
    return [
        start + datetime.timedelta(seconds=tick_seconds * ((i % minutes) + 0.5))
        for i in range(count)
    ]


def catch_up_dues(
    *,
    now: datetime.datetime,
    down: datetime.timedelta,
    window: datetime.timedelta,
    margin: datetime.timedelta,
    count: int,
) -> tuple[list[datetime.datetime], list[datetime.datetime]]:
    """Due instants spread evenly over the `down` hours before `now` (beat down all that
    time), none within `margin` of the catch-up window's edge (a reminder there may fall
    either side between the tick and the send). Returns (inside the window, older)."""
    inside, older = [], []
    edge = now - window
    step = down / count
    for i in range(count):
        due = now - down + step * (i + 0.5)
        if abs(due - edge) < margin:
            continue
        (older if due < edge else inside).append(due)
    return inside, older


def retry_instants(*, base: float, cap: float, retries: int) -> list[float]:
    """Seconds after the first attempt at which each retry starts, for a task that retries
    with a countdown of base · 2ⁿ seconds, capped (reminders.tasks' SMTP backoff)."""
    instants, at = [], 0.0
    for n in range(retries):
        at += min(cap, base * 2**n)
        instants.append(at)
    return instants


def first_retry_after(instants: list[float], outage: float) -> float | None:
    """When the first retry after an outage of `outage` seconds starts (None: none left)."""
    return next((at for at in instants if at >= outage), None)
