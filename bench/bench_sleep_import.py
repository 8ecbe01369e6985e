"""Sleep import: how long a large Apple Health export.xml takes to read, and how much memory.

Run: .venv/bin/python bench/bench_sleep_import.py   (BENCH_XML_MB=50 by default).
Generates an export.xml of BENCH_XML_MB (heart-rate records with their metadata, the bulk of a
real export, and one night of sleep records per 480 of them), zips it like the Health app
does, then reads both through `tracker.sleep_import.read_upload` (defusedxml iterparse, each
element cleared) in a fresh child process per row, so the peak RSS is the reader's own.
No database, no Django request.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

XML_MB = float(os.environ.get("BENCH_XML_MB", "50"))
RUNS = 3

CHILD = """
import datetime, json, os, resource, sys, time, zoneinfo
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "true")
import django
django.setup()
from tracker.sleep_import import read_upload
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
path = {path!r}
with open(path, "rb") as upload:
    started = time.perf_counter()
    result = read_upload(upload, size=os.path.getsize(path), zone=zoneinfo.ZoneInfo("UTC"),
                         wake_time=datetime.time(7), newest=datetime.date(2030, 1, 1))
    seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": seconds, "peak_mb": peak / 1024, "before_mb": before / 1024,
                  "nights": len(result.nights), "records": result.records}}))
"""


def _measure(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), path=str(path))],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from tests.tracker.sleep_samples import apple_xml_of_size

    with tempfile.TemporaryDirectory(prefix="rw-sleep-") as folder:
        xml = Path(folder) / "export.xml"
        started = time.perf_counter()
        nights = apple_xml_of_size(int(XML_MB * 1024 * 1024), xml)
        made = time.perf_counter() - started
        archive = Path(folder) / "export.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
            out.write(xml, "apple_health_export/export.xml")
        size_mb = xml.stat().st_size / 1024 / 1024
        zip_mb = archive.stat().st_size / 1024 / 1024
        print(
            f"export.xml {size_mb:.1f} MB ({nights} nights, generated in {made:.1f} s), "
            f"export.zip {zip_mb:.1f} MB; load average {os.getloadavg()[0]:.1f}\n"
        )
        print("| file | runs | median s | MB/s | peak RSS MB (interpreter + Django alone) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for label, path in (("export.xml", xml), ("export.zip", archive)):
            rows = sorted((_measure(path) for _ in range(RUNS)), key=lambda r: r["seconds"])
            mid = rows[len(rows) // 2]
            assert mid["nights"] > 0
            print(
                f"| {label} | {RUNS} | {mid['seconds']:.2f} | {size_mb / mid['seconds']:.0f} | "
                f"{mid['peak_mb']:.0f} ({mid['before_mb']:.0f}) |"
            )


if __name__ == "__main__":
    main()
