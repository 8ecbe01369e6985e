"""Share links: create, open without an account, passcode and its limit, expiry, revoke,
tampering, other users, headers, views recorded with their time only."""

import datetime
import hashlib
import json
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.export_registry import export_for
from portal.logging import redact_link_tokens
from sharing import passcode_limit, selectors
from sharing.models import ShareLink, ShareView
from tests.pdf_download import pdf_download
from tests.sharing.conftest import NOW, TONIGHT
from tests.tracker.conftest import experiment_running
from tracker import pdf_jobs

pytestmark = pytest.mark.django_db
PRIVATE_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}


def _open_url(token: str) -> str:
    return reverse("sharing:open", args=[token])


def _assert_private(response):
    assert "no-store" in response["Cache-Control"]
    for name, value in PRIVATE_HEADERS.items():
        assert response[name] == value


def _form(**overrides) -> dict:
    return {
        "label": "Dr Lee, June visit",
        "start": "2026-06-06",
        "end": "2026-06-14",
        "days": "14",
        "passcode": "",
    } | overrides


def test_creating_a_link_shows_it_once_and_stores_only_its_digest(user_client, user):
    with time_machine.travel(NOW, tick=False):
        response = user_client.post(reverse("sharing:shares"), _form(passcode="blue-heron"))
        assert response.status_code == 200
        url = response.context["created"]["url"]
        token = url.rstrip("/").rsplit("/", 1)[1]
        assert url in response.text
        again = user_client.get(reverse("sharing:shares"))
    link = ShareLink.objects.get(user=user)
    assert len(token) == 43
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(ShareLink.objects.values()), default=str)
    assert "blue-heron" not in link.passcode_hash
    assert link.expires_at == NOW + datetime.timedelta(days=14)
    assert (link.start, link.end) == (datetime.date(2026, 6, 6), datetime.date(2026, 6, 14))
    assert token not in again.text
    assert "Dr Lee, June visit" in again.text
    assert "Not opened yet" in again.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"label": "  "}, "Give the link a name"),
        ({"days": "91"}, "A link can last from 1 to 90 days."),
        ({"days": "0"}, "A link can last from 1 to 90 days."),
        ({"days": "soon"}, "A link can last from 1 to 90 days."),
        ({"end": "2026-06-01"}, "The last evening is before the first."),
        ({"start": "2026-06-20", "end": "2026-06-21"}, "The first evening is in the future"),
        ({"start": "2025-01-01"}, "A link covers at most 366 evenings."),
        ({"start": "yesterday"}, "Enter a date such as 2026-03-08."),
        ({"passcode": "12345"}, "A passcode needs 6 to 40 characters."),
    ],
)
def test_bad_input_gets_a_plain_message(user_client, user, overrides, message):
    with time_machine.travel(NOW, tick=False):
        response = user_client.post(reverse("sharing:shares"), _form(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert not ShareLink.objects.filter(user=user).exists()


def test_the_form_offers_the_last_30_evenings_for_14_days(user_client):
    with time_machine.travel(NOW, tick=False):
        form = user_client.get(reverse("sharing:shares")).context["form"]
    assert form.initial["start"] == datetime.date(2026, 5, 17)
    assert form.initial["end"] == TONIGHT
    assert form.initial["days"] == 14


def test_a_link_opens_without_an_account_after_a_post(client, user, history, make_link):
    link, token = make_link()
    with time_machine.travel(NOW, tick=False):
        first = client.get(_open_url(token))
        assert first.status_code == 200
        assert "Open the report" in first.text
        assert user.display_name not in first.text  # nothing before it is opened
        assert not ShareView.objects.exists()  # a GET (a link preview) changes nothing
        _assert_private(first)
        opened = client.post(_open_url(token))
        assert opened.status_code == 302
        report = client.get(_open_url(token))
    assert report.status_code == 200
    _assert_private(report)
    assert f"{user.display_name} · evenings 6 Jun 2026 to 14 Jun 2026" in report.text
    assert "9 of 9 nights logged" in report.text
    assert "Set your before and with-magnesium dates" not in report.text  # the owner's links
    assert "Dashboard" not in report.text  # no account navigation for the reader
    assert report.context["experiment"] is None
    assert ShareView.objects.filter(link=link).count() == 1


def test_the_shared_pdf_and_fhir_need_the_link_opened(client, user, history, make_link):
    _link, token = make_link()
    pdf_url = reverse("sharing:pdf", args=[token])
    fhir_url = reverse("sharing:fhir_shared", args=[token])
    with time_machine.travel(NOW, tick=False):
        assert client.get(pdf_url)["Location"] == _open_url(token)
        assert client.get(fhir_url)["Location"] == _open_url(token)
        client.post(_open_url(token))
        pdf = pdf_download(client, pdf_url)
        bundle = client.get(fhir_url)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    assert 'filename="restwell-report-2026-06-06-2026-06-14.pdf"' in pdf["Content-Disposition"]
    _assert_private(pdf)
    assert bundle.status_code == 200
    _assert_private(bundle)
    kinds = [e["resource"]["resourceType"] for e in json.loads(bundle.content)["entry"]]
    assert kinds.count("MedicationAdministration") == 9
    assert "MedicationStatement" not in kinds


def test_a_passcode_is_asked_for_and_checked(client, user, history, make_link):
    link, token = make_link(passcode="blue-heron")
    with time_machine.travel(NOW, tick=False):
        assert 'name="passcode"' in client.get(_open_url(token)).text
        empty = client.post(_open_url(token), {"passcode": ""})
        assert "Enter the passcode the patient gave you." in empty.text
        wrong = client.post(_open_url(token), {"passcode": "grey-heron"})
        assert wrong.status_code == 200
        assert "That passcode is not right. 4 more tries" in wrong.text
        assert not ShareView.objects.exists()
        assert user.display_name not in client.get(_open_url(token)).text
        right = client.post(_open_url(token), {"passcode": "blue-heron"})
        assert right.status_code == 302
        report = client.get(_open_url(token))
    assert f"{user.display_name} · evenings" in report.text
    assert ShareView.objects.filter(link=link).count() == 1


def test_five_wrong_passcodes_pause_the_link(client, make_link):
    link, token = make_link(passcode="blue-heron")
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            assert client.post(_open_url(token), {"passcode": "wrong-one"}).status_code == 200
        fifth = client.post(_open_url(token), {"passcode": "wrong-one"})
        assert fifth.status_code == 429
        assert "Too many wrong passcodes" in fifth.text
        assert fifth["Retry-After"] == "900"
        _assert_private(fifth)
        # Even the right passcode waits, from any browser.
        other_reader = Client()
        paused = other_reader.post(_open_url(token), {"passcode": "blue-heron"})
        assert paused.status_code == 429
        ttl = cache._cache.get_client().ttl(cache.make_key(f"share-passcode:{link.pk}"))
        assert 0 < ttl <= passcode_limit.WINDOW_SECONDS
        assert not ShareView.objects.exists()
        cache.delete(f"share-passcode:{link.pk}")  # the window ends
        assert other_reader.post(_open_url(token), {"passcode": "blue-heron"}).status_code == 302


def test_with_redis_down_a_passcode_waits_rather_than_running_unthrottled(
    client, make_link, stop_redis
):
    _link, token = make_link(passcode="blue-heron")
    logs = stop_redis()
    with time_machine.travel(NOW, tick=False):
        response = client.post(_open_url(token), {"passcode": "blue-heron"})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert not ShareView.objects.exists()
    assert not [r for r in logs.records if r.exc_info]


def test_a_link_expires_at_its_instant(client, history, make_link):
    _link, token = make_link(days=14)
    expiry = NOW + datetime.timedelta(days=14)
    with time_machine.travel(expiry - datetime.timedelta(seconds=1), tick=False):
        client.post(_open_url(token))
        assert client.get(_open_url(token)).status_code == 200
    with time_machine.travel(expiry, tick=False):
        gone = client.get(_open_url(token))
        pdf = client.get(reverse("sharing:pdf", args=[token]))
    assert gone.status_code == 410
    assert "It has expired" in gone.text
    _assert_private(gone)
    assert pdf.status_code == 410


def test_a_revoked_link_stops_at_once_even_for_a_reader_who_opened_it(
    client, user_client, history, make_link
):
    link, token = make_link()
    with time_machine.travel(NOW, tick=False):
        client.post(_open_url(token))
        assert client.get(_open_url(token)).status_code == 200
        revoked = user_client.post(reverse("sharing:revoke", args=[link.pk]))
        assert revoked.status_code == 302
        gone = client.get(_open_url(token))
        assert gone.status_code == 410
        assert "turned it off" in gone.text
        assert client.get(reverse("sharing:fhir_shared", args=[token])).status_code == 410
        page = user_client.get(reverse("sharing:shares"))
    assert "Revoked 15 Jun 2026, 20:00" in page.text


@pytest.mark.parametrize("change", ["one character", "shorter", "longer", "nonsense"])
def test_a_tampered_token_is_a_friendly_404(client, make_link, change):
    _link, token = make_link()
    tampered = {
        "one character": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "shorter": token[:-1],
        "longer": token + "x",
        "nonsense": "..%2F..%2Faccounts",
    }[change]
    with time_machine.travel(NOW, tick=False):
        response = client.get(_open_url(tampered))
        posted = client.post(_open_url(tampered))
    assert response.status_code == 404
    assert "This link does not open anything" in response.text
    _assert_private(response)
    assert posted.status_code == 404


def test_another_users_link_is_neither_listed_nor_revocable(client, user, other_user, make_link):
    link, token = make_link(owner=other_user, label="Their own clinic")
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("sharing:shares"))
        revoke = client.post(reverse("sharing:revoke", args=[link.pk]))
        missing = client.post(reverse("sharing:revoke", args=[link.pk + 1000]))
    assert "Their own clinic" not in page.text
    assert revoke.status_code == 404
    assert missing.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_revoking_is_a_post(user_client, make_link):
    link, _token = make_link()
    assert user_client.get(reverse("sharing:revoke", args=[link.pk])).status_code == 405
    link.refresh_from_db()
    assert link.revoked_at is None


@pytest.mark.parametrize("name", ["sharing:shares", "sharing:fhir"])
def test_the_patients_pages_need_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_view_is_recorded_with_its_time_only(client, user_client, make_link):
    link, token = make_link()
    with time_machine.travel(NOW, tick=False):
        client.post(
            _open_url(token), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="ClinicBrowser/1.0"
        )
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        client.post(_open_url(token))
        page = user_client.get(reverse("sharing:shares"))
    assert {f.name for f in ShareView._meta.get_fields()} == {"id", "link", "viewed_at"}
    assert list(link.views.values_list("viewed_at", flat=True)) == [
        NOW + datetime.timedelta(hours=1),
        NOW,
    ]
    # In the owner's zone (London, summer time).
    assert "Opened 2 times: 15 Jun 2026, 21:00; 15 Jun 2026, 20:00" in page.text
    assert "203.0.113.9" not in page.text


def test_the_shares_page_queries_do_not_grow_with_links(
    user, user_client, make_link, django_assert_max_num_queries
):
    for i in range(6):
        link, _token = make_link(label=f"Clinic {i}")
        ShareView.objects.create(link=link, viewed_at=NOW)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(10):
        response = user_client.get(reverse("sharing:shares"))
    assert response.text.count("Opened once") == 6


def test_the_export_holds_my_links_and_deletion_removes_them(user, other_user, make_link):
    link, token = make_link(passcode="blue-heron")
    ShareView.objects.create(link=link, viewed_at=NOW)
    make_link(owner=other_user, label="Someone else's")
    rows = export_for(user)["data"]["sharing.sharelink"]
    assert rows == [
        {
            "label": "Dr Lee, June visit",
            "first_evening": "2026-06-06",
            "last_evening": "2026-06-14",
            "include_experiment": False,
            "has_passcode": True,
            "created_at": link.created_at.isoformat(),
            "expires_at": link.expires_at.isoformat(),
            "revoked_at": None,
            "opened_at": [NOW.isoformat()],
        }
    ]
    assert token not in json.dumps(rows)
    account_services.account_delete(user=user)
    assert not ShareLink.objects.filter(pk=link.pk).exists()
    assert not ShareView.objects.filter(link_id=link.pk).exists()
    assert ShareLink.objects.filter(user=other_user).count() == 1


def test_share_tokens_never_reach_the_logs():
    line = 'GET /share/AbC-_9xyz/report.pdf 200 "/accounts/shares/"'
    assert redact_link_tokens(line) == ('GET /share/[redacted]/report.pdf 200 "/accounts/shares/"')


def test_robots_disallow_share_links(client, db):
    assert "Disallow: /share/" in client.get("/robots.txt").text.splitlines()


@pytest.mark.parametrize("include", [True, False])
def test_the_experiment_is_shown_only_when_the_link_includes_it(client, user, make_link, include):
    start = datetime.date(2026, 5, 1)
    experiment_running(
        user, start_evening=start, now=datetime.datetime(2026, 4, 30, 12, tzinfo=datetime.UTC),
        orders=[True, False],
    )  # fmt: skip
    _link, token = make_link(include_experiment=include)
    with time_machine.travel(NOW, tick=False):
        client.post(_open_url(token))
        report = client.get(_open_url(token))
    assert ("Randomized personal experiment" in report.text) is include


def test_a_shared_pdf_waits_while_the_owner_has_one_being_made(
    client, user_client, history, make_link
):
    _link, token = make_link()
    pdf_url = reverse("sharing:pdf", args=[token])
    with (
        time_machine.travel(NOW, tick=False),
        mock.patch("tracker.views.reports.report_pdf_make_task"),
    ):
        client.post(_open_url(token))
        own = user_client.get(reverse("tracker:report_pdf"))  # queued: no worker takes it
        assert own.status_code == 303
        busy = client.get(pdf_url)
        job_id = own["Location"].rstrip("/").rsplit("/", 1)[-1]
        pdf_jobs.pdf_job_render(job_id=job_id, html=pdf_jobs.own_report_html)  # it is made
        after = pdf_download(client, pdf_url)
    assert busy.status_code == 429 and "still being made" in busy.text
    assert after.status_code == 200 and after.content.startswith(b"%PDF-")


def _share_job(client, token: str) -> str:
    with mock.patch("sharing.views.share_pdf_make_task") as task:
        response = client.get(reverse("sharing:pdf", args=[token]))
    assert response.status_code == 303
    job = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    task.delay.assert_called_once_with(job)
    return job


def test_a_shared_pdf_is_fetched_only_through_its_own_link(
    client, user, user_client, history, make_link
):
    _link, token = make_link()
    _other_link, other_token = make_link(label="Dr Kay")
    with time_machine.travel(NOW, tick=False):
        client.post(_open_url(token))
        client.post(_open_url(other_token))
        job = _share_job(client, token)
        pdf_jobs.pdf_job_render(job_id=job, html=selectors.share_report_pdf_html)
        file = client.get(reverse("sharing:pdf_job_file", args=[token, job]))
        through_other = client.get(reverse("sharing:pdf_job_file", args=[other_token, job]))
        as_owner = user_client.get(reverse("tracker:pdf_job_file", args=[job]))
        stranger = Client().get(reverse("sharing:pdf_job_file", args=[token, job]))
    assert file.status_code == 200 and file.content.startswith(b"%PDF-")
    assert 'filename="restwell-report-2026-06-06-2026-06-14.pdf"' in file["Content-Disposition"]
    _assert_private(file)
    assert through_other.status_code == 404
    assert as_owner.status_code == 404  # the owner's own downloads are their own jobs
    assert stranger.status_code == 302 and stranger["Location"] == _open_url(token)


def test_a_link_revoked_while_its_pdf_waits_gives_no_pdf(client, user, history, make_link):
    link, token = make_link()
    with time_machine.travel(NOW, tick=False):
        client.post(_open_url(token))
        job = _share_job(client, token)
        link.revoked_at = NOW
        link.save(update_fields=["revoked_at"])
        pdf_jobs.pdf_job_render(job_id=job, html=selectors.share_report_pdf_html)
        record = cache.get(f"pdf-job:{job}")
        page = client.get(reverse("sharing:pdf_job", args=[token, job]))
    assert record["state"] == pdf_jobs.FAILED and cache.get(f"pdf-file:{job}") is None
    assert page.status_code == 410  # the link itself no longer opens
