"""The PDF draws each chart from an image of the same SVG (faster than inline), fetches
nothing else, and leaves out the screen-only table of nights."""

import base64
from unittest import mock

import pypdfium2
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from tracker import charts, pdf


def _chart() -> str:
    return charts.weekly_chart(
        weeks=[],
        counts=[],
        logged=[],
        loggable=[],
        threshold=2,
        title="Nights & weeks",
        desc="A test chart",
    )


def test_charts_become_images_of_the_same_svg():
    svg = str(_chart())
    html = f"<p>before</p>{svg}<p>after</p>"
    out = pdf.charts_as_images(html)
    assert "<svg" not in out and out.startswith("<p>before</p>") and out.endswith("<p>after</p>")
    data = out.split('src="data:image/svg+xml;base64,')[1].split('"')[0]
    drawn = base64.b64decode(data).decode()
    assert drawn.replace(' xmlns="http://www.w3.org/2000/svg"', "", 1) == svg
    assert 'alt="Nights &amp; weeks"' in out  # the chart's accessible name, still escaped


def test_the_pdf_draws_the_chart_text_and_fetches_nothing_else():
    html = (
        "<html><body><h1>Report</h1>"
        f"{_chart()}"
        '<img src="http://127.0.0.1:9/tracker.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        "</body></html>"
    )
    with mock.patch("urllib.request.OpenerDirector.open", side_effect=AssertionError) as opened:
        document = pypdfium2.PdfDocument(pdf.report_pdf_bytes(html, paper=""))
    opened.assert_not_called()
    text = document[0].get_textpage().get_text_range()
    assert "Report" in text
    assert "Nights (of 7)" in text  # drawn from the chart image, as text


def test_the_pdf_html_leaves_out_the_screen_only_nightly_table():
    summary = {"days": [1, 2], "nights_logged": 2, "mean_severity": None}
    rows = mark_safe("<tr><td>row</td></tr>")  # noqa: S308 - a literal  # nosec B308 B703
    context = {"chart": mark_safe("<svg></svg>"), "table_rows": rows, "summary": summary}  # noqa: S308  # nosec
    screen = render_to_string("tracker/includes/nightly_chart.html", context)
    paper = render_to_string("tracker/includes/nightly_chart.html", context | {"pdf": True})
    assert "chart-data--nightly" in screen and "<td>row</td>" in screen
    assert "chart-data--nightly" not in paper and "<td>row</td>" not in paper
