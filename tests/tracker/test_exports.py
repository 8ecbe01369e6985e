"""CSV exports, the JSON account export, the clinician report and its PDF."""

import csv
import datetime
import io
import json
import re
import zlib

import pytest
import time_machine
from django.urls import reverse

from accounts.export_registry import export_for
from tests.pdf_download import pdf_download
from tracker import exports, services
from tracker.views import reports

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 19, 0, tzinfo=datetime.UTC)


@pytest.fixture
def history(user):
    with time_machine.travel(NOW, tick=False):
        for i in range(1, 21):
            evening = datetime.date(2026, 6, 15) - datetime.timedelta(days=i)
            services.night_log(
                user=user,
                evening=evening,
                severity=i % 4,
                sleep_quality=3,
                times={
                    "in_bed": datetime.time(23),
                    "out_of_bed": datetime.time(7),
                    "symptoms_started": datetime.time(21, 30),
                },
                factors=["caffeine"] if i % 3 == 0 else [],
                notes='=HYPERLINK("http://evil")' if i == 1 else "",
            )
            taken = datetime.datetime.combine(evening, datetime.time(21), tzinfo=user.zone)
            services.dose_record(
                user=user,
                taken_at=taken,
                form="glycinate",
                amount_mg=1000,
                unit="compound",
                note="-2+3" if i == 1 else "",
            )
        services.lab_record(
            user=user, taken_on=datetime.date(2026, 5, 1), ferritin_ng_ml=48, tsat_percent=22
        )
        yield


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("fine", "fine"),
        (None, ""),
        (3, "3"),
    ],
)
def test_formula_cells_are_neutralised(value, expected):
    assert exports.safe_cell(value) == expected


def test_nights_csv(user_client, history):
    response = user_client.get(reverse("tracker:export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="restwell-nights-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == 20
    last = rows[-1]
    assert last["evening"] == "2026-06-14"
    assert last["in_bed_at"] == "2026-06-14T23:00:00+01:00"  # ISO 8601 in the user's zone
    assert last["elemental_mg_total"] == "141"
    assert last["dose_times"] == "2026-06-14T21:00:00+01:00"
    assert last["notes"].startswith("'=HYPERLINK")
    assert last["time_in_bed_min"] == "480"


def test_doses_csv(user_client, history):
    response = user_client.get(reverse("tracker:export_csv"), {"type": "doses"})
    assert "restwell-doses-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == exports.DOSE_HEADER
    assert len(rows) == 21
    assert rows[-1][0] == "2026-06-14T21:00:00+01:00"
    assert rows[-1][3:5] == ["141", "1000"]
    assert rows[-1][5] == "'-2+3"


def test_json_export_includes_the_tracker(user, history, lab):
    data = export_for(user)["data"]
    assert len(data["tracker.nightlog"]) == 20
    assert len(data["tracker.dose"]) == 20
    assert [r["ferritin_ng_ml"] for r in data["tracker.labresult"]] == ["60.0", "48.0"]
    json.dumps(data)  # serialisable as it is


def test_report_html(user_client, user, history):
    with time_machine.travel(NOW, tick=False):
        response = user_client.get(
            reverse("tracker:report"), {"from": "2026-05-26", "to": "2026-06-14"}
        )
    text = response.text
    assert response.status_code == 200
    assert "evenings 26 May 2026 to 14 Jun 2026" in text
    assert "20 of 20 nights logged" in text
    assert "20 recorded: typically 21:30 (median), from 21:30 to 21:30" in text
    assert "Caffeine after noon (6)" in text
    assert "Ferritin 48 ng/mL — 75 or lower, where the guideline recommends iron" in text
    assert "Download PDF" in text
    assert "<svg" in text


def test_report_defaults_and_bad_ranges(user_client, history):
    with time_machine.travel(NOW, tick=False):
        default = user_client.get(reverse("tracker:report"))
        assert default.context["start"] == datetime.date(2026, 5, 17)
        assert default.context["end"] == datetime.date(2026, 6, 15)
        long = user_client.get(
            reverse("tracker:report"), {"from": "2020-01-01", "to": "2026-06-14"}
        )
        assert long.context["clamped"]
        assert (long.context["end"] - long.context["start"]).days == 365
        bad = user_client.get(reverse("tracker:report"), {"from": "yesterday"})
        assert bad.status_code == 200
        assert "Enter a date such as" in bad.text


def test_report_query_count_is_constant(user, call_view, django_assert_max_num_queries, history):
    # 7 for the diary, labs and trial; 1 to find an experiment (its section: test_experiment_views).
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(8):
        call_view(reports.report, user, data={"from": "2026-01-01", "to": "2026-06-14"})


def test_report_pdf(user_client, history):
    with time_machine.travel(NOW, tick=False):
        response = pdf_download(
            user_client, reverse("tracker:report_pdf") + "?from=2026-05-26&to=2026-06-14"
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'filename="restwell-report-2026-05-26-2026-06-14.pdf"' in response["Content-Disposition"]
    assert len(response.content) > 5000


def test_report_pdf_on_letter_paper(user_client, history):
    with time_machine.travel(NOW, tick=False):
        a4 = pdf_download(user_client, reverse("tracker:report_pdf") + "?from=2026-06-10").content
        letter = pdf_download(
            user_client, reverse("tracker:report_pdf") + "?from=2026-06-10&paper=letter"
        ).content
    assert b"/MediaBox [0 0 595" in _inflated(a4)  # 210 mm = 595 pt
    assert b"/MediaBox [0 0 612 792]" in _inflated(letter)  # 8.5 × 11 in


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams expanded (page sizes live in object streams)."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\nendstream", pdf, re.S):
        # A decompressor object, not zlib.decompress: the stream's last byte may be a "\r"
        # that looks like a line ending, and the object inflates what it has regardless.
        try:
            chunks.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(chunks)


def test_csv_is_utf8_with_any_text(user_client, user):
    services.night_log(
        user=user,
        evening=datetime.date(2026, 1, 5),
        severity=2,
        sleep_quality=3,
        notes="Müde, 睡眠 — ok",
        tags="Reise",
    )
    text = user_client.get(reverse("tracker:export_csv")).content.decode("utf-8")
    assert "Müde, 睡眠 — ok" in text
