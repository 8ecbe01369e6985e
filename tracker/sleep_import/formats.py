"""Readers for the two sleep exports Restwell accepts. Each yields `Candidate`s or `Segment`s.

**Health Auto Export** (iOS app, JSON export and REST automation, export format version 2 as
documented at help.healthyapps.dev, "Health Metrics - JSON Export Format", and the earlier
version 1): `{"data": {"metrics": [{"name": "sleep_analysis", "units": "hr", "data": [...]}]}}`
(the `data` wrapper may be absent). Dates are `yyyy-MM-dd HH:mm:ss Z`. With "aggregate sleep
data" on (the default) each row is one sleep and we read `sleepStart`, `sleepEnd` (first
asleep, last asleep), `inBedStart`, `inBedEnd`, `inBed` (0 when nothing recorded time in bed),
`totalSleep` (version 2: all stages) or else `asleep` (version 1), in the metric's `units`
(`hr` or `min`), and `source`. `date` (the day the app files the sleep under) and the stage
totals (`core`, `deep`, `rem`, `awake`) are not used: the night comes from `tracker.evening`.
With aggregation off each row is a sample: `startDate`, `endDate`, `value` (In Bed, Asleep,
Core, Deep, REM, Awake) and `source`.

**Apple Health** `export.zip` (Health app → profile → Export All Health Data):
`apple_health_export/export.xml`, read as a stream with defusedxml's iterparse (no entity
expansion, no external resources; the file's own internal DTD of element declarations is
allowed) and each element cleared once read, so memory stays flat however large the file.
Only `<Record type="HKCategoryTypeIdentifierSleepAnalysis" value=... startDate=... endDate=...
sourceName=...>` is used; `value` is HKCategoryValueSleepAnalysis InBed, Asleep (before iOS
16), AsleepUnspecified, AsleepCore, AsleepDeep, AsleepREM or Awake.
"""

import datetime
import json
import time
import zipfile
from collections.abc import Iterator
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from tracker.sleep_import.nights import ASLEEP, AWAKE, IN_BED, Candidate, Segment

SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
APPLE_VALUES = {
    "HKCategoryValueSleepAnalysisInBed": IN_BED,
    "HKCategoryValueSleepAnalysisAsleep": ASLEEP,
    "HKCategoryValueSleepAnalysisAsleepUnspecified": ASLEEP,
    "HKCategoryValueSleepAnalysisAsleepCore": ASLEEP,
    "HKCategoryValueSleepAnalysisAsleepDeep": ASLEEP,
    "HKCategoryValueSleepAnalysisAsleepREM": ASLEEP,
    "HKCategoryValueSleepAnalysisAwake": AWAKE,
}
HAE_VALUES = {
    "in bed": IN_BED,
    "inbed": IN_BED,
    "asleep": ASLEEP,
    "unspecified": ASLEEP,
    "core": ASLEEP,
    "deep": ASLEEP,
    "rem": ASLEEP,
    "awake": AWAKE,
}
HAE_METRIC = "sleep_analysis"
SOURCE_MAX = 100


class FormatError(Exception):
    """The file is not what it claims; `code` names the message the form shows."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_instant(text) -> datetime.datetime | None:
    """`2024-02-06 23:10:00 -0800` (both apps' format) or ISO 8601 with an offset; None
    for anything else, including a time without an offset (its instant is unknowable)."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    for pattern in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return datetime.datetime.strptime(text, pattern)  # noqa: DTZ007 (%z: aware)
        except ValueError:
            continue
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _source(value) -> str:
    return str(value or "").strip()[:SOURCE_MAX]


# --- Health Auto Export ---------------------------------------------------------------------
def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _hae_summary(row: dict, minutes_per_unit: float) -> Candidate | None:
    sleep_start, sleep_end = (
        parse_instant(row.get("sleepStart")),
        parse_instant(row.get("sleepEnd")),
    )
    bed_start, bed_end = parse_instant(row.get("inBedStart")), parse_instant(row.get("inBedEnd"))
    if sleep_start and sleep_end and sleep_end <= sleep_start:
        sleep_start = sleep_end = None
    in_bed = _number(row.get("inBed"))
    if not (bed_start and bed_end and bed_end > bed_start) or in_bed == 0:
        bed_start = bed_end = None  # version 1 repeats the sleep times when nothing was in bed
    starts = min(filter(None, (bed_start, sleep_start)), default=None)
    if starts is None:
        return None
    found = Candidate(source=_source(row.get("source") or row.get("sleepSource")), starts=starts)
    if sleep_start:
        span = (sleep_end - sleep_start).total_seconds() / 60
        total = _number(row.get("totalSleep"))
        total = total if total else _number(row.get("asleep"))
        asleep = min(span, total * minutes_per_unit) if total else span
        found.asleep_at, found.final_wake_at = sleep_start, sleep_end
        found.asleep_min, found.waso_min = round(asleep), round(span - asleep)
    if bed_start:
        found.in_bed_at = min(bed_start, sleep_start or bed_start)
        found.out_of_bed_at = max(bed_end, sleep_end or bed_end)
    return found


def _hae_sample(row: dict) -> Segment | None:
    kind = HAE_VALUES.get(str(row.get("value", "")).strip().lower())
    start, end = parse_instant(row.get("startDate")), parse_instant(row.get("endDate"))
    if kind is None or start is None or end is None or end <= start:
        return None
    return Segment(source=_source(row.get("source")), kind=kind, start=start, end=end)


def read_health_auto_export(raw: bytes) -> tuple[list[Candidate], list[Segment], int]:
    """(summaries, samples, rows read) from a Health Auto Export JSON file."""
    try:
        payload = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise FormatError("bad_json") from None
    if isinstance(payload, dict) and isinstance(payload.get("data"), dict):
        payload = payload["data"]
    metrics = payload.get("metrics") if isinstance(payload, dict) else None
    if not isinstance(metrics, list):
        raise FormatError("not_hae")
    summaries, samples, rows = [], [], 0
    for metric in metrics:
        if not isinstance(metric, dict) or metric.get("name") != HAE_METRIC:
            continue
        per_unit = 1.0 if str(metric.get("units", "hr")).lower().startswith("min") else 60.0
        for row in metric.get("data") or []:
            if not isinstance(row, dict):
                continue
            rows += 1
            if "startDate" in row and "value" in row:
                segment = _hae_sample(row)
                if segment:
                    samples.append(segment)
            else:
                summary = _hae_summary(row, per_unit)
                if summary:
                    summaries.append(summary)
    return summaries, samples, rows


# --- Apple Health ---------------------------------------------------------------------------
def read_apple_xml(stream: IO[bytes], *, seconds: float | None = None) -> Iterator[Segment]:
    """Sleep analysis segments from an export.xml stream, element by element; gives up
    (code "too_slow") when reading takes longer than `seconds`."""
    root = None
    deadline = time.monotonic() + seconds if seconds else None
    count = 0
    try:
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "start":
                if root is None:
                    root = element
                continue
            if element.tag != "Record":
                continue
            count += 1
            if deadline and not count % 20_000 and time.monotonic() > deadline:
                raise FormatError("too_slow")
            if element.get("type") == SLEEP_TYPE:
                segment = _apple_segment(element)
                if segment:
                    yield segment
            root.clear()  # drop every finished element: memory stays flat
    except DefusedXmlException:
        raise FormatError("xml_forbidden") from None
    except ParseError:
        raise FormatError("bad_xml") from None


def _apple_segment(element) -> Segment | None:
    kind = APPLE_VALUES.get(element.get("value", ""))
    start, end = parse_instant(element.get("startDate")), parse_instant(element.get("endDate"))
    if kind is None or start is None or end is None or end <= start:
        return None
    return Segment(source=_source(element.get("sourceName")), kind=kind, start=start, end=end)


class _Capped:
    """A read-only stream that refuses to yield more than `limit` bytes (a zip entry whose
    header understates its size)."""

    def __init__(self, stream: IO[bytes], limit: int):
        self.stream, self.left = stream, limit

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size if size is not None and size >= 0 else 1 << 20)
        self.left -= len(data)
        if self.left < 0:
            raise FormatError("xml_too_large")
        return data


def open_apple_zip(upload: IO[bytes], *, xml_max_bytes: int, max_ratio: int):
    """The export.xml inside an Apple Health export.zip, as a capped stream (a context
    manager). Refuses a damaged zip, a zip without export.xml, an oversized or
    suspiciously compressed entry (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(upload)
        members = [
            info
            for info in archive.infolist()
            if info.filename.rsplit("/", 1)[-1] == "export.xml" and not info.is_dir()
        ]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise FormatError("bad_zip") from None
    if not members:
        raise FormatError("zip_without_export")
    info = min(members, key=lambda i: i.filename.count("/"))
    if info.file_size > xml_max_bytes:
        raise FormatError("xml_too_large")
    if info.compress_size and info.file_size / info.compress_size > max_ratio:
        raise FormatError("zip_bomb")
    try:
        stream = archive.open(info)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError):
        raise FormatError("bad_zip") from None
    return archive, _Capped(stream, min(xml_max_bytes, info.file_size))
