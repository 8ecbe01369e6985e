"""From a sleep tracker's records to one suggested set of diary times per night.

Two shapes come in. *Segments* are raw records (Apple Health's sleep analysis samples, or
Health Auto Export with "aggregate sleep" off): in bed, asleep (any stage) or awake, each with
a start and an end. *Summaries* are one record per sleep already (Health Auto Export's default
aggregated rows). Both end up as a `Candidate`; `nights_from` then keeps one per night.

The rules, so a reader can check them:

- Segments of one source (a watch, a phone, an app) less than SLEEP_SESSION_GAP_HOURS apart
  are one sleep. Sources are never mixed: two devices that both recorded a night would
  otherwise add up to more sleep than the night held.
- A sleep belongs to the night (evening) of the instant it started, by `tracker.evening`'s one
  rule in the user's zone and with their wake time — so 23:30 and 00:40 both belong to the
  evening before, and a DST night is simply 23 or 25 hours long.
- Of the sleeps on one night the one with the most time asleep is the night's (a nap or a
  second source is left out and counted).
- Diary fields: "went to bed" = the first in-bed instant (or the first sleep if it came
  earlier); "fell asleep" = the first asleep instant; "woke for the last time" = the last
  asleep instant; "got out of bed" = the last in-bed instant (or that last wake, if later);
  "minutes awake during the night" = the time between falling asleep and the final wake that
  was not asleep. Without in-bed records the two bed times stay empty: nothing is invented.
- Times are rounded to the minute, as the diary keeps them. A time that the diary could not
  show on that night (its rule: from noon on is the evening's date, earlier is the next
  morning) is left out rather than moved.
"""

import dataclasses
import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable

from tracker import reference
from tracker.evening import NOON, evening_of

IN_BED, ASLEEP, AWAKE = "in_bed", "asleep", "awake"


@dataclasses.dataclass(frozen=True)
class Segment:
    source: str
    kind: str  # IN_BED, ASLEEP or AWAKE
    start: datetime.datetime
    end: datetime.datetime


@dataclasses.dataclass
class Candidate:
    """One sleep, in the diary's terms (aware instants; None when the records cannot say)."""

    source: str
    starts: datetime.datetime
    in_bed_at: datetime.datetime | None = None
    asleep_at: datetime.datetime | None = None
    final_wake_at: datetime.datetime | None = None
    out_of_bed_at: datetime.datetime | None = None
    asleep_min: int | None = None
    waso_min: int | None = None
    evening: datetime.date | None = None


TIME_FIELDS = ("in_bed_at", "asleep_at", "final_wake_at", "out_of_bed_at")


def _union(intervals: list[tuple[datetime.datetime, datetime.datetime]]):
    merged: list[list[datetime.datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _minutes(delta: datetime.timedelta) -> int:
    return max(0, round(delta.total_seconds() / 60))


def candidate_from_segments(source: str, segments: list[Segment]) -> Candidate | None:
    asleep = _union([(s.start, s.end) for s in segments if s.kind == ASLEEP])
    in_bed = _union([(s.start, s.end) for s in segments if s.kind == IN_BED])
    if not asleep and not in_bed:
        return None  # awake records alone say nothing about a night
    found = Candidate(source=source, starts=min(s.start for s in segments if s.kind != AWAKE))
    if asleep:
        found.asleep_at, found.final_wake_at = asleep[0][0], asleep[-1][1]
        slept = sum((end - start for start, end in asleep), datetime.timedelta())
        found.asleep_min = _minutes(slept)
        found.waso_min = _minutes(found.final_wake_at - found.asleep_at - slept)
    if in_bed:
        found.in_bed_at = min(in_bed[0][0], found.asleep_at or in_bed[0][0])
        found.out_of_bed_at = max(in_bed[-1][1], found.final_wake_at or in_bed[-1][1])
    return found


def candidates_from_segments(segments: Iterable[Segment]) -> list[Candidate]:
    """Group each source's segments into sleeps (gaps under SLEEP_SESSION_GAP_HOURS)."""
    gap = datetime.timedelta(hours=reference.SLEEP_SESSION_GAP_HOURS.value)
    by_source: dict[str, list[Segment]] = defaultdict(list)
    for segment in segments:
        by_source[segment.source].append(segment)
    found = []
    for source, items in by_source.items():
        items.sort(key=lambda s: (s.start, s.end))
        session: list[Segment] = []
        reach = None
        for segment in items:
            if session and segment.start > reach + gap:
                found.append(candidate_from_segments(source, session))
                session, reach = [], None
            session.append(segment)
            reach = segment.end if reach is None else max(reach, segment.end)
        if session:
            found.append(candidate_from_segments(source, session))
    return [c for c in found if c is not None]


def _to_minute(instant: datetime.datetime | None) -> datetime.datetime | None:
    if instant is None:
        return None
    rounded = instant + datetime.timedelta(seconds=30)
    return rounded.replace(second=0, microsecond=0).astimezone(datetime.UTC)


def _fits_night(instant, evening: datetime.date, zone: zoneinfo.ZoneInfo) -> bool:
    local = instant.astimezone(zone)
    expected = evening if local.time() >= NOON else evening + datetime.timedelta(days=1)
    return local.date() == expected


def nights_from(
    candidates: Iterable[Candidate],
    *,
    zone: zoneinfo.ZoneInfo,
    wake_time: datetime.time,
    newest: datetime.date,
    oldest: datetime.date,
) -> tuple[list[Candidate], int]:
    """One candidate per night from `oldest` to `newest` (the last night that has ended),
    newest first and at most SLEEP_IMPORT_MAX_NIGHTS; and how many sleeps were left out."""
    best: dict[datetime.date, Candidate] = {}
    left_out = 0
    for candidate in candidates:
        candidate.evening = evening_of(candidate.starts, zone, wake_time)
        if not oldest <= candidate.evening <= newest:
            left_out += 1
            continue
        for name in TIME_FIELDS:
            value = _to_minute(getattr(candidate, name))
            if value is not None and not _fits_night(value, candidate.evening, zone):
                value = None
            setattr(candidate, name, value)
        rival = best.get(candidate.evening)
        if rival is None or _weight(candidate) > _weight(rival):
            best[candidate.evening] = candidate
        left_out += rival is not None
    nights = sorted(best.values(), key=lambda c: c.evening, reverse=True)
    keep = reference.SLEEP_IMPORT_MAX_NIGHTS
    return nights[:keep], left_out + max(0, len(nights) - keep)


def _weight(candidate: Candidate) -> tuple[int, float]:
    span = 0.0
    if candidate.in_bed_at and candidate.out_of_bed_at:
        span = (candidate.out_of_bed_at - candidate.in_bed_at).total_seconds()
    return (candidate.asleep_min or 0, span)
