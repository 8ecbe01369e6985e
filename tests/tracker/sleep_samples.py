"""Sample sleep exports, generated (no real person's data): Apple Health export.xml / zip and
Health Auto Export JSON. The bench uses `apple_xml_of_size` for its 50 MB file."""

import datetime
import io
import json
import zipfile

APPLE_HEADER = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate value CDATA #REQUIRED>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record type CDATA #REQUIRED value CDATA #IMPLIED sourceName CDATA #REQUIRED>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-11-10 08:00:00 +0000"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth=""/>
"""
APPLE_FOOTER = b"</HealthData>\n"
PREFIX = "HKCategoryValueSleepAnalysis"


def sleep_record(value: str, start: str, end: str, source: str = "Sam's Apple Watch") -> str:
    """One sleep analysis record; value is InBed, AsleepCore, Awake, ... (without prefix)."""
    return (
        f' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="{source}" '
        f'sourceVersion="11.0" device="&lt;&lt;HKDevice&gt;&gt;" creationDate="{end}" '
        f'startDate="{start}" endDate="{end}" value="{PREFIX}{value}">\n'
        '  <MetadataEntry key="HKTimeZone" value="Europe/London"/>\n'
        " </Record>\n"
    )


def heart_rate_record(day: datetime.date, minute: int) -> str:
    stamp = f"{day:%Y-%m-%d} {minute // 60 % 24:02d}:{minute % 60:02d}:{minute * 7 % 60:02d} +0000"
    created = f"{day:%Y-%m-%d} {minute // 60 % 24:02d}:{(minute + 3) % 60:02d}:41 +0000"
    return (
        ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" '
        f'creationDate="{created}" startDate="{stamp}" endDate="{stamp}" '
        f'value="{55 + (minute * 37 + day.toordinal()) % 60}">\n'
        f'  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="{minute % 3}"/>\n'
        " </Record>\n"
    )


def apple_xml(records: list[str]) -> bytes:
    return APPLE_HEADER + "".join(records).encode() + APPLE_FOOTER


def apple_zip(xml: bytes, name: str = "apple_health_export/export.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, xml)
        archive.writestr("apple_health_export/export_cda.xml", b"<ClinicalDocument/>")
    return buffer.getvalue()


def hae_json(rows: list[dict], *, units: str = "hr", wrapped: bool = True) -> bytes:
    metrics = [
        {"name": "step_count", "units": "count", "data": [{"qty": 10, "date": "2026-11-01"}]},
        {"name": "sleep_analysis", "units": units, "data": rows},
    ]
    payload = {"data": {"metrics": metrics, "workouts": []}} if wrapped else {"metrics": metrics}
    return json.dumps(payload).encode()


def apple_xml_of_size(target_bytes: int, path) -> int:
    """Write an export.xml of about `target_bytes` to `path`: heart-rate records (the bulk of
    a real export) and, for each day, a night of sleep records (in bed, core, awake, deep,
    REM). Returns the number of nights written."""
    nights = 0
    day = datetime.date(2020, 1, 1)
    with open(path, "wb") as out:
        out.write(APPLE_HEADER)
        written = len(APPLE_HEADER)
        while written < target_bytes:
            chunk = "".join(heart_rate_record(day, m) for m in range(0, 1440, 3))
            start = datetime.datetime.combine(day, datetime.time(22, 30))
            edges = [start + datetime.timedelta(minutes=m) for m in (0, 20, 200, 215, 330, 480)]
            stamps = [f"{edge:%Y-%m-%d %H:%M:%S} +0000" for edge in edges]
            chunk += sleep_record("InBed", stamps[0], stamps[-1])
            for value, first, last in zip(
                ("AsleepCore", "Awake", "AsleepDeep", "AsleepREM"),
                stamps[1:5],
                stamps[2:6],
                strict=True,
            ):
                chunk += sleep_record(value, first, last)
            data = chunk.encode()
            out.write(data)
            written += len(data)
            day += datetime.timedelta(days=1)
            nights += 1
        out.write(APPLE_FOOTER)
    return nights
