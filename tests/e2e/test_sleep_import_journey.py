"""Sleep import in a browser at phone width: upload an Apple Health export.zip, read the
suggestions beside what was typed, fill in a ticked night; every page passes axe and the CSP
and nothing scrolls sideways."""

import datetime

from django.utils import timezone

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import UserFactory
from tests.tracker.sleep_samples import apple_xml, apple_zip, sleep_record
from tracker import services
from tracker.evening import last_night
from tracker.models import NightLog

SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


def _export(evening: datetime.date) -> bytes:
    nxt = evening + datetime.timedelta(days=1)
    return apple_zip(
        apple_xml(
            [
                sleep_record("InBed", f"{evening} 22:30:00 +0000", f"{nxt} 07:10:00 +0000"),
                sleep_record("AsleepCore", f"{evening} 23:05:00 +0000", f"{nxt} 03:00:00 +0000"),
                sleep_record("AsleepREM", f"{nxt} 03:30:00 +0000", f"{nxt} 06:50:00 +0000"),
            ]
        )
    )


def test_upload_review_and_fill_in_a_night(page, transactional_db, tmp_path):
    user = UserFactory(display_name="Robin", time_zone="UTC")
    evening = last_night(timezone.now(), user.zone, user.wake_time) - datetime.timedelta(days=1)
    services.night_log(
        user=user, evening=evening, severity=4, sleep_quality=3, times={"in_bed": datetime.time(22)}
    )
    upload = tmp_path / "export.zip"
    upload.write_bytes(_export(evening))
    sign_in(page, user)
    page.goto("/tracker/nights/")
    page.get_by_role("link", name="Import sleep times from a watch or phone").click()
    page.wait_for_url("**/tracker/import/")
    assert_accessible(page)
    page.get_by_role("button", name="Read the file").click()  # no file chosen
    assert page.get_by_text("Choose a file to upload.").is_visible()
    assert_accessible(page)
    page.get_by_label("Your export file").set_input_files(str(upload))
    page.get_by_role("button", name="Read the file").click()
    page.wait_for_url("**/tracker/import/*/")
    assert page.get_by_text("yours: 22:00").is_visible()
    assert page.evaluate(SIDEWAYS) <= 0
    assert_accessible(page)
    page.get_by_label(f"{evening:%a} {evening.day} {evening:%b %Y}").check()
    page.get_by_role("button", name="Fill in the ticked nights").click()
    assert page.get_by_text("Filled in 1 night.").is_visible()
    assert_accessible(page)
    night = NightLog.objects.get(user=user)
    assert night.in_bed_at.time() == datetime.time(22, 0)  # typed, kept
    assert night.final_wake_at.time() == datetime.time(6, 50)
    assert night.waso_min == 30
