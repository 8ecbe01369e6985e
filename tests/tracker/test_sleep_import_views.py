"""Sleep import, pages: upload → review → fill in the ticked nights (no browser), every bad
file answered with a message (never a 500), and another user's suggestions out of reach."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.tracker.sleep_samples import (
    apple_xml,
    apple_zip,
    hae_json,
    heart_rate_record,
    sleep_record,
)
from tracker import services, sleep_import
from tracker.models import NightLog, SleepImport

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 9, 9, 0, tzinfo=datetime.UTC)
UPLOAD = reverse("tracker:sleep_import")
QUERIES = 5  # session, user, the import, its suggestions, their diary entries


@pytest.fixture(autouse=True)
def _fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


def _records():
    return [
        sleep_record("InBed", "2026-10-24 22:30:00 +0100", "2026-10-25 07:00:00 +0000"),
        sleep_record("AsleepCore", "2026-10-24 23:00:00 +0100", "2026-10-25 03:00:00 +0000"),
        sleep_record("AsleepREM", "2026-10-25 03:20:00 +0000", "2026-10-25 06:45:00 +0000"),
        sleep_record("AsleepCore", "2026-11-01 23:15:00 +0000", "2026-11-02 06:30:00 +0000"),
    ]


def _upload(client, raw: bytes, name="export.zip"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, raw)})


def _log(user, evening, **times):
    return services.night_log(user=user, evening=evening, severity=5, sleep_quality=2, times=times)


def test_upload_review_and_fill_in(user_client, user):
    typed = _log(user, datetime.date(2026, 10, 24), in_bed=datetime.time(22, 0))
    page = user_client.get(UPLOAD)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text

    response = _upload(user_client, apple_zip(apple_xml(_records())))
    stored = SleepImport.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:sleep_import_review", args=[stored.pk])

    review = user_client.get(response["Location"])
    assert review.status_code == 200
    assert "Only empty fields are filled in" in review.text
    assert "yours: 22:00" in review.text  # typed, beside the suggested 22:30
    assert 'value="2026-10-24"' in review.text  # logged: can be ticked
    assert 'value="2026-11-01"' not in review.text  # not logged: cannot
    assert f"{reverse('tracker:night_new')}?evening=2026-11-01" in review.text

    done = user_client.post(response["Location"], {"night": ["2026-10-24"]}, follow=True)
    assert "Filled in 1 night." in done.text and "what you typed is unchanged" in done.text
    typed.refresh_from_db()
    assert typed.in_bed_at.astimezone(user.zone).time() == datetime.time(22, 0)
    assert typed.final_wake_at.astimezone(user.zone).time() == datetime.time(6, 45)
    assert typed.waso_min == 20
    assert NightLog.objects.filter(user=user).count() == 1  # nothing created


def test_ticking_nothing_or_a_night_that_cannot_be_filled(user_client, user):
    _log(user, datetime.date(2026, 10, 24))
    _upload(user_client, apple_zip(apple_xml(_records())))
    url = reverse("tracker:sleep_import_review", args=[SleepImport.objects.get().pk])
    assert "Tick at least one night to fill in." in user_client.post(url, {}).text
    refused = user_client.post(url, {"night": ["2026-11-01"]})
    assert "cannot be filled in from this import" in refused.text
    assert NightLog.objects.get().final_wake_at is None


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", b"<" + b" " * 20_000_000)
    return buffer.getvalue()


def _zip_without_export() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/cat.jpg", b"\xff\xd8\xff")
    return buffer.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE HealthData [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<HealthData><Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="&b;"/></HealthData>
"""


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 50, "Restwell cannot read this kind of file."),
        (b"{not json", "This JSON file is damaged or incomplete."),
        (b'{"hello": 1}', "This JSON file is not a Health Auto Export file."),
        (b'{"data": {"metrics": [{"name": "step_count", "data": []}]}}', "no sleep records"),
        (b"PK\x03\x04" + b"\x00garbage" * 20, "This zip file is damaged or incomplete."),
        (_zip_without_export(), "This zip file has no export.xml in it."),
        (_zip_bomb(), "packed in a way no real export is"),
        (apple_zip(apple_xml([])), "no sleep records"),
        (apple_zip(apple_xml(_records())[:-40]), "The export.xml in this file is damaged"),
        (BILLION_LAUGHS, "uses XML features that a Health export never uses"),
    ],
    ids=[
        "png",
        "broken-json",
        "other-json",
        "json-without-sleep",
        "corrupt-zip",
        "zip-without-export",
        "zip-bomb",
        "xml-without-sleep",
        "truncated-xml",
        "entity-expansion",
    ],
)
def test_bad_files_are_answered_in_plain_words(user_client, raw, message):
    response = _upload(user_client, raw)
    assert response.status_code == 200
    assert message in response.text
    assert 'class="invalid-feedback"' in response.text or "alert" in response.text
    assert not SleepImport.objects.exists()


def test_empty_and_missing_files(user_client):
    assert "This file is empty." in _upload(user_client, b"").text
    assert "Choose a file to upload." in user_client.post(UPLOAD, {}).text


def test_a_file_over_the_cap_is_stopped_while_it_arrives(user_client, monkeypatch):
    monkeypatch.setattr(sleep_import, "UPLOAD_MAX_BYTES", 1000)
    response = _upload(user_client, hae_json([{"x": "y" * 5000}]))
    assert response.status_code == 200
    assert "larger than 300 MB" in response.text
    assert response.context["form"].too_large  # the handler stopped reading it
    assert not SleepImport.objects.exists()


def test_json_over_its_own_cap(user_client, monkeypatch):
    monkeypatch.setattr(sleep_import, "JSON_MAX_BYTES", 100)
    assert "export only Sleep Analysis" in _upload(user_client, hae_json([])).text


def test_another_users_suggestions_are_404(client, user, other_user):
    client.force_login(user)
    _log(user, datetime.date(2026, 10, 24))
    _upload(client, apple_zip(apple_xml(_records())))
    stored = SleepImport.objects.get(user=user)
    review = reverse("tracker:sleep_import_review", args=[stored.pk])
    delete = reverse("tracker:sleep_import_delete", args=[stored.pk])
    client.force_login(other_user)
    assert client.get(review).status_code == 404
    assert client.post(review, {"night": ["2026-10-24"]}).status_code == 404
    assert client.post(delete).status_code == 404
    assert "review them" not in client.get(UPLOAD).text
    assert NightLog.objects.get().final_wake_at is None
    client.force_login(user)
    assert client.post(delete).status_code == 302
    assert not SleepImport.objects.exists()


def test_expired_suggestions_are_gone(user_client, user):
    _upload(user_client, apple_zip(apple_xml(_records())))
    url = reverse("tracker:sleep_import_review", args=[SleepImport.objects.get().pk])
    with time_machine.travel(NOW + datetime.timedelta(days=7, seconds=1), tick=False):
        assert user_client.get(url).status_code == 404


def test_night_list_links_to_the_import(user_client):
    assert UPLOAD in user_client.get(reverse("tracker:night_list")).text


def test_an_export_too_slow_to_read_gets_a_message(user_client, monkeypatch):
    monkeypatch.setattr(sleep_import.reference, "SLEEP_IMPORT_READ_SECONDS", 1e-9)
    records = [heart_rate_record(datetime.date(2026, 1, 1), m) for m in range(20_000)]
    response = _upload(user_client, apple_zip(apple_xml(records + _records())))
    assert "too large to read in one go" in response.text
    assert not SleepImport.objects.exists()


def test_the_upload_still_needs_the_csrf_token(user):
    # The view is csrf_exempt only to install the size cap first; its body is csrf_protect'ed.
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("export.zip", b"PK\x03\x04")})
    assert response.status_code == 403
    assert not SleepImport.objects.exists()


def test_log_this_night_starts_from_the_imported_times(client, user, other_user):
    client.force_login(user)
    _upload(client, apple_zip(apple_xml(_records())))
    url = f"{reverse('tracker:night_new')}?evening=2026-11-01&from_import=1"
    page = client.get(url)
    assert 'value="23:15"' in page.text and 'value="06:30"' in page.text
    assert "come from your sleep import" in page.text
    assert '<details class="mb-3" open>' in page.text
    client.force_login(other_user)  # someone else's import is never theirs to start from
    assert 'value="23:15"' not in client.get(url).text


def _import_of(client, nights: int):
    rows = []
    for back in range(nights):
        day = datetime.date(2026, 11, 7) - datetime.timedelta(days=back)
        nxt = day + datetime.timedelta(days=1)
        rows.append(
            {
                "sleepStart": f"{day} 23:10:00 +0000",
                "sleepEnd": f"{nxt} 06:40:00 +0000",
                "totalSleep": 7,
                "source": "Watch",
            }
        )
    _upload(client, hae_json(rows), name="sleep.json")
    return reverse("tracker:sleep_import_review", args=[SleepImport.objects.get().pk])


@pytest.mark.parametrize("nights", [3, 60])
def test_the_review_page_costs_the_same_queries_for_3_or_60_nights(
    user_client, user, nights, django_assert_max_num_queries
):
    for back in range(0, nights, 2):
        _log(user, datetime.date(2026, 11, 7) - datetime.timedelta(days=back))
    url = _import_of(user_client, nights)
    with django_assert_max_num_queries(QUERIES):
        assert user_client.get(url).status_code == 200


def test_suggestions_are_in_the_data_export_and_go_with_the_account(user_client, user):
    from accounts.export_registry import export_for

    _upload(user_client, apple_zip(apple_xml(_records())))
    (exported,) = export_for(user)["data"]["tracker.sleepimport"]
    assert exported["source"] == "apple_health"
    assert [n["evening"] for n in exported["nights"]] == ["2026-10-24", "2026-11-01"]
    assert exported["nights"][0]["in_bed_at"] == "2026-10-24T21:30:00+00:00"
    user.delete()
    assert not SleepImport.objects.exists()


def test_a_file_declared_far_over_the_cap_is_not_read_at_all(user_client, monkeypatch):
    monkeypatch.setattr(sleep_import, "UPLOAD_MAX_BYTES", 10)
    response = _upload(user_client, b"{" + b" " * 1_100_000 + b"}", name="sleep.json")
    assert response.status_code == 200
    assert "larger than 300 MB" in response.text
    assert response.context["form"].too_large
    assert not SleepImport.objects.exists()
