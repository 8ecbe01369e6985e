"""The clinician report as paper: 30 nights fit on at most 3 A4 pages, the first page full.

Counted in the PDF itself (pypdfium2 reads what WeasyPrint wrote), for a month with every
night and dose logged, a blood test and an iron product: what a typical visit brings.
"""

import datetime

import pypdfium2
import pytest
import time_machine
from django.urls import reverse

from tests.pdf_download import pdf_download
from tracker import services

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def month(user):
    with time_machine.travel(NOW, tick=False):
        for i in range(1, 31):
            evening = datetime.date(2026, 6, 15) - datetime.timedelta(days=i)
            services.night_log(
                user=user,
                evening=evening,
                severity=(i * 7) % 11,
                sleep_quality=1 + i % 5,
                times={
                    "in_bed": datetime.time(23),
                    "out_of_bed": datetime.time(7),
                    "symptoms_started": datetime.time(21, 30),
                },
                factors=["caffeine"] if i % 3 == 0 else [],
            )
            services.dose_record(
                user=user,
                taken_at=datetime.datetime.combine(evening, datetime.time(21), tzinfo=user.zone),
                form="glycinate",
                amount_mg=200,
                unit="elemental",
            )
        services.lab_record(
            user=user, taken_on=datetime.date(2026, 5, 2), ferritin_ng_ml=60, tsat_percent=18
        )


def pdf_pages(client) -> list[str]:
    with time_machine.travel(NOW, tick=False):
        response = pdf_download(client, reverse("tracker:report_pdf"))
    assert response.status_code == 200
    document = pypdfium2.PdfDocument(response.content)
    return [document[n].get_textpage().get_text_range() for n in range(len(document))]


def test_thirty_nights_fit_on_three_a4_pages(user_client, month):
    pages = pdf_pages(user_client)
    assert len(pages) <= 3, f"{len(pages)} pages"


def test_the_first_page_is_not_left_nearly_empty(user_client, month):
    first = pdf_pages(user_client)[0]
    assert "Summary" in first and "Night by night" in first  # the chart starts on page 1
    assert len(first) > 800, len(first)


def test_the_clinician_report_has_no_logging_streak(user_client, month):
    with time_machine.travel(NOW, tick=False):
        page = user_client.get(reverse("tracker:report")).text
    assert "streak" not in page.lower() and "in a row" not in page
    assert "streak" not in " ".join(pdf_pages(user_client)).lower()


def test_the_date_fields_show_the_range_applied(user_client, month):
    with time_machine.travel(NOW, tick=False):
        default = user_client.get(reverse("tracker:report")).text
        capped = user_client.get(
            reverse("tracker:report"), {"from": "2020-01-01", "to": "2026-06-15"}
        ).text
    # The default: the last 30 evenings, to tonight (09:00 is past the day's start).
    assert 'name="from" value="2026-05-17"' in default
    assert 'name="to" value="2026-06-15"' in default
    assert "Reports cover at most 366 evenings" in capped
    assert 'name="from" value="2025-06-15"' in capped  # the capped start, not 2020


def test_every_legend_key_has_its_colour_on_paper():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    used = set()
    for name in ("nightly_chart.html", "weekly_chart.html"):
        text = (root / "templates" / "tracker" / "includes" / name).read_text()
        used |= set(re.findall(r"legend-swatch--[a-z]+", text))
    printed = (root / "static" / "css" / "tracker-report.css").read_text()
    assert used and all(f".{swatch} {{" in printed for swatch in used), used
