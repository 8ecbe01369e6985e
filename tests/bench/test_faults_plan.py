"""The fault runs' pure parts: verdicts and their bounds, the table, the web's outcomes
during a Redis outage, and the instants the compressed and catch-up scenarios seed."""

import datetime
from collections import Counter

from bench import faults_plan as fp

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # a DST night in Europe: UTC is fixed


def test_a_clean_run_is_ok():
    result = fp.Result("kill", due=100, delivered=100, accepted=101, allowed=1)
    assert (result.lost, result.duplicated, result.problems) == (0, 1, [])


def test_each_broken_bound_is_named():
    result = fp.Result(
        "kill", due=100, delivered=98, accepted=101, allowed=2, recover_seconds=130,
        recover_bound=120, checks={"every delivery row sent": False, "beat survived": True},
    )  # fmt: skip
    assert result.problems == [
        "2 lost",
        "3 duplicated (at most 2 allowed)",
        "recovered 130 s (bound 120 s)",
        "failed: every delivery row sent",
    ]
    assert not result.ok


def test_never_recovering_breaks_a_bound():
    result = fp.Result("smtp", due=10, delivered=10, accepted=10, recover_bound=60)
    assert result.problems == ["recovered never (bound 60 s)"]


def test_a_scenario_that_could_not_run_is_broken():
    assert fp.failed("kill", "the fan-out never reached 15 %").problems == [
        "failed: the fan-out never reached 15 %"
    ]


def test_table_has_one_row_per_scenario_with_its_verdict():
    table = fp.results_table(
        [
            fp.Result("kill", 10_000, 10_000, 10_001, allowed=2, recover_seconds=85.4,
                      recover_bound=120),
            fp.Result("beats", 2_000, 1_999, 1_999),
        ]
    )  # fmt: skip
    lines = table.splitlines()
    assert lines[0].startswith("| scenario | due | delivered | lost | duplicated | allowed |")
    assert lines[2] == "| kill | 10,000 | 10,000 | 0 | 1 | 2 | 85 s (≤ 120 s) | ok |"
    assert lines[3] == "| beats | 2,000 | 1,999 | 1 | 0 | 0 | — | BROKEN: 1 lost |"


def test_redis_outage_outcomes():
    outcomes = Counter(
        {
            ("healthy", "page", "/tracker/", 200): 40,
            ("healthy", "sign-in", "/accounts/login/", 429): 1,
            ("outage", "page", "/articles/", 200): 30,
            ("outage", "sign-in", "/accounts/login/", 503): 9,
        }
    )
    assert fp.web_problems(outcomes) == []
    outcomes[("outage", "page", "/articles/", 500)] = 2
    outcomes[("outage", "sign-in", "/accounts/login/", 200)] = 1  # ran without its rate limit
    outcomes[("healthy", "page", "/tracker/", "ConnectionRefusedError")] = 1
    outcomes[("switch", "sign-in", "/accounts/login/", 200)] = 1  # either side: fine
    outcomes[("switch", "page", "/tracker/", 503)] = 1
    assert fp.web_problems(outcomes) == [
        "1 × ConnectionRefusedError on /tracker/ (healthy)",
        "2 × 500 on /articles/ (outage)",
        "1 × 200 on /accounts/login/ (outage)",
        "1 × 503 on /tracker/ (switch)",
    ]
    assert fp.web_summary(outcomes, "outage") == (
        "/accounts/login/ 200×1 503×9, /articles/ 200×30 500×2"
    )


def test_compressed_minutes_each_get_the_same_share_mid_minute():
    dues = fp.compressed_dues(start=NOW, minutes=10, tick_seconds=6, count=25)
    offsets = Counter((due - NOW).total_seconds() for due in dues)
    assert sorted(offsets) == [3, 9, 15, 21, 27, 33, 39, 45, 51, 57]
    assert sorted(offsets.values()) == [2] * 5 + [3] * 5


def test_catch_up_dues_split_at_the_window_and_keep_clear_of_its_edge():
    inside, older = fp.catch_up_dues(
        now=NOW, down=datetime.timedelta(hours=3), window=datetime.timedelta(hours=2),
        margin=datetime.timedelta(minutes=5), count=180,
    )  # fmt: skip
    edge = NOW - datetime.timedelta(hours=2)
    assert all(edge + datetime.timedelta(minutes=5) <= due < NOW for due in inside)
    assert all(NOW - datetime.timedelta(hours=3) < due <= edge - datetime.timedelta(minutes=5)
               for due in older)  # fmt: skip
    assert (len(inside), len(older)) == (115, 55)  # one a minute, 10 near the edge left out


def test_retry_instants_follow_the_capped_backoff():
    instants = fp.retry_instants(base=15, cap=240, retries=5)
    assert instants == [15, 45, 105, 225, 465]
    assert fp.first_retry_after(instants, 40) == 45
    assert fp.first_retry_after(instants, 500) is None
