"""Regenerate the pictures in docs/screenshots/ (and the landing page's) from demo data.

    make screenshots

The app runs in this process against a throwaway SQLite database and a private Redis, with
the clock held at fixed instants (time-machine), so the pictures come out the same whenever
they are made: the demo user's evening (21:40) and next morning (07:40) in London. Needs
Debian's chromium (/usr/bin/chromium, or CHROMIUM=...).

`SCREENSHOTS_ONLY=share,shared-report,sleep-import make screenshots` redraws just the pages
named (comma list of file-name stems), without the PDF and the installable app's pictures.

The installable app's pictures (install-bar.png, install-hint-iphone.png, offline-banner.png,
offline-queue.png) come from the Chromium tests that check those states
(tests/e2e/test_pwa_journey.py and test_offline_queue.py, run with PWA_SCREENSHOTS pointing
here), so a picture is only taken of a state just verified.

notification.png is a pushed reminder as a Linux desktop draws it: headful Chromium on Xvfb
hands it over D-Bus to the dunst daemon, whose window is saved (tests/e2e/test_push_desktop.py).
It needs `apt-get install xvfb dbus dunst x11-utils`; without them it is skipped, saying which
program is missing, and the committed picture stays.
"""

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parents[1]
sys.path.insert(0, str(BASE_DIR))

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# London keeps GMT (UTC+0) in winter, so these are the demo user's 21:40 and 07:40.
EVENING = datetime.datetime(2026, 11, 30, 21, 40, tzinfo=datetime.UTC)
MORNING = datetime.datetime(2026, 12, 1, 7, 40, tzinfo=datetime.UTC)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
LANDING_PICTURE = BASE_DIR / "static" / "img" / "landing-dashboard.png"
CLICK = {"shared-report": "Open the report"}  # a button to press first (opening is a POST)
SCROLL_TO = {"share": "Your links"}  # a heading to bring into view before the picture
ONLY = {name for name in os.environ.get("SCREENSHOTS_ONLY", "").split(",") if name}


def configure(workdir: Path) -> None:
    """A throwaway database and a private Redis: nothing of a developer's own data is used."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.base",
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{workdir}/screenshots.sqlite3",
            "REDIS_URL": f"unix://{workdir}/redis.sock",
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",  # Playwright's loop runs in this thread
        }
    )


def main() -> int:
    import time_machine

    from portal import embedded_redis

    workdir = Path(tempfile.mkdtemp(prefix="rw-shots-", dir="/tmp"))  # noqa: S108 - socket path
    configure(workdir)
    redis_process = embedded_redis.start(sock=workdir / "redis.sock", data_dir=workdir)
    try:
        import django

        django.setup()
        with time_machine.travel(EVENING, tick=False):
            demo, newcomer = seed()
            extra = seed_sharing_and_import(demo)
        shoot(demo=demo, newcomer=newcomer, **extra)
    finally:
        embedded_redis.stop(redis_process, socket_dir=workdir)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ONLY else installable_app_pictures() or notification_picture()


PWA_JOURNEY = "tests/e2e/test_pwa_journey.py"
OFFLINE_QUEUE = "tests/e2e/test_offline_queue.py"
PWA_PICTURE_TESTS = (
    f"{PWA_JOURNEY}::test_install_bar_waits_for_the_third_visit_and_goes_for_good",
    f"{PWA_JOURNEY}::test_iphone_gets_a_one_line_hint_under_the_same_rule",
    f"{PWA_JOURNEY}::test_dashboard_and_forms_open_offline_with_the_banner",
    f"{OFFLINE_QUEUE}::test_a_dose_and_a_night_saved_offline_are_sent_once",  # offline-queue.png
)


def installable_app_pictures() -> int:
    return _picture_tests(PWA_PICTURE_TESTS)


DESKTOP_PUSH = "tests/e2e/test_push_desktop.py"


def _picture_tests(tests) -> int:
    env = {**os.environ, "PWA_SCREENSHOTS": str(HERE), "REQUIRE_BROWSER": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the tests' own settings, not this run's
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.pop("DEBUG", None)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests]
    return subprocess.run(command, cwd=BASE_DIR, env=env, check=False).returncode


def notification_picture() -> int:
    """notification.png, when this machine has a desktop to draw notifications on."""
    from tests.e2e.desktop import missing

    if absent := missing():
        print(
            f"notification.png not redrawn: {', '.join(absent)} not installed "
            "(apt-get install xvfb dbus dunst x11-utils)"
        )
        return 0
    return _picture_tests([DESKTOP_PUSH])


def seed():
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.services import verified_account_ensure
    from flows.demo import demo_accounts_ensure

    call_command("migrate", verbosity=0)
    call_command("seed_content", verbosity=0)
    demo, _editor = demo_accounts_ensure()
    newcomer = verified_account_ensure(
        email="new@example.com",
        password="not-used-here",  # noqa: S106 - a throwaway database
        display_name="Alex",
        time_zone="Europe/London",
        onboarded_at=timezone.now(),
    )
    return demo, newcomer


def seed_sharing_and_import(demo) -> dict:
    """A clinician link of the demo user's (opened twice, so its views show) and, for a
    third person, Robin, suggested sleep times from a generated Apple Health export beside
    five nights Robin logged (some with times typed): what the share and import pages show."""
    import io

    from django.utils import timezone

    from accounts.services import verified_account_ensure
    from sharing.services import share_create, share_view_record
    from tests.tracker.sleep_samples import apple_xml, apple_zip, sleep_record
    from tracker import services
    from tracker.evening import last_night
    from tracker.sleep_import import read_upload

    now = timezone.now()
    newest = last_night(now, demo.zone, demo.wake_time)
    link, token = share_create(
        user=demo,
        label="Dr Lee, January visit",
        start=newest - datetime.timedelta(days=29),
        end=newest,
    )
    for hours in (26, 3):
        share_view_record(link=link, now=now - datetime.timedelta(hours=hours))

    robin = verified_account_ensure(
        email="robin@example.com",
        password="not-used-here",  # noqa: S106 - a throwaway database
        display_name="Robin",
        time_zone="Europe/London",
        onboarded_at=now,
    )
    records = []
    for back in range(7):
        day = newest - datetime.timedelta(days=back)
        nxt = day + datetime.timedelta(days=1)
        bed, asleep = f"{day} 22:{20 + back * 3}:00 +0000", f"{day} 23:{back * 7:02d}:00 +0000"
        woke, up = f"{nxt} 06:{30 + back * 2}:00 +0000", f"{nxt} 07:{back * 4:02d}:00 +0000"
        watch = "Robin's Apple Watch"
        records += [
            sleep_record("InBed", bed, up, watch),
            sleep_record("AsleepCore", asleep, f"{nxt} 02:10:00 +0000", watch),
            sleep_record("Awake", f"{nxt} 02:10:00 +0000", f"{nxt} 02:{25 + back}:00 +0000", watch),
            sleep_record("AsleepDeep", f"{nxt} 02:{25 + back}:00 +0000", woke, watch),
        ]
        if back < 5:
            typed = {"in_bed": datetime.time(22, 15)} if back % 2 else {}
            services.night_log(
                user=robin, evening=day, severity=3 + back % 3, sleep_quality=3, times=typed
            )
    raw = apple_zip(apple_xml(records))
    result = read_upload(
        io.BytesIO(raw), size=len(raw), zone=robin.zone, wake_time=robin.wake_time, newest=newest
    )
    stored = services.sleep_import_store(user=robin, result=result)
    return {"token": token, "robin": robin, "sleep_import": stored.pk}


def session_cookie(user, base_url: str) -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": base_url}


def shoot(*, demo, newcomer, token, robin, sleep_import) -> None:
    import time_machine
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    server = LiveServerThread("127.0.0.1", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base_url = f"http://127.0.0.1:{server.port}"
    # (file name, who, when, path, sizes)
    pages = [
        ("dashboard-demo-evening", demo, EVENING, "/tracker/", (PHONE, DESKTOP)),
        ("dashboard-demo-morning", demo, MORNING, "/tracker/", (PHONE, DESKTOP)),
        ("dashboard-new-user", newcomer, EVENING, "/tracker/", (PHONE, DESKTOP)),
        ("night-form", demo, MORNING, "/tracker/nights/new/", (PHONE, DESKTOP)),
        ("reminder-settings", demo, EVENING, "/reminders/", (PHONE, DESKTOP)),
        ("email", demo, EVENING, "/reminders/preview/", (PHONE, DESKTOP)),
        ("report", demo, EVENING, "/tracker/report/", (PHONE, DESKTOP)),
        ("landing", None, EVENING, "/", (PHONE,)),
        ("share", demo, EVENING, "/accounts/shares/", (PHONE,)),
        ("shared-report", None, EVENING, f"/share/{token}/", (PHONE,)),
        ("sleep-import", robin, EVENING, f"/tracker/import/{sleep_import}/", (PHONE, DESKTOP)),
    ]
    if ONLY:
        pages = [entry for entry in pages if entry[0] in ONLY]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for name, user, instant, path, sizes in pages:
            with time_machine.travel(instant, tick=False):
                for size in sizes:
                    context = browser.new_context(
                        viewport=size, color_scheme="light", locale="en-GB"
                    )
                    if user is not None:
                        context.add_cookies([session_cookie(user, base_url)])
                    page = context.new_page()
                    page.goto(base_url + path, wait_until="networkidle")
                    width = "phone" if size is PHONE else "desktop"
                    target = HERE / f"{name}-{width}.png"
                    if name in CLICK:
                        page.get_by_role("button", name=CLICK[name]).click()
                        page.wait_for_load_state("networkidle")
                    if name in SCROLL_TO:
                        heading = page.get_by_role("heading", name=SCROLL_TO[name])
                        heading.scroll_into_view_if_needed()
                        page.evaluate("window.scrollBy(0, -80)")  # a little context above
                    page.screenshot(path=str(target))
                    print(f"wrote {target.relative_to(BASE_DIR)}")
                    if name == "dashboard-demo-evening" and size is PHONE:
                        LANDING_PICTURE.parent.mkdir(exist_ok=True)
                        page.screenshot(path=str(LANDING_PICTURE))
                        print(f"wrote {LANDING_PICTURE.relative_to(BASE_DIR)}")
                    context.close()
        browser.close()
        if not ONLY:
            with time_machine.travel(EVENING, tick=False):
                report_pdf_pages(demo)
    server.terminate()


def report_pdf_pages(user) -> None:
    """The clinician PDF as pictures, one per page (pypdfium2 renders what WeasyPrint made)."""
    import pypdfium2
    from django.utils import timezone

    from tracker.pages import report_range
    from tracker.pdf import report_pdf_bytes, report_pdf_html

    # What the worker makes for /tracker/report.pdf (tracker/pdf_jobs.py), made right here.
    now = timezone.now()
    start, end, _clamped = report_range(user=user, start=None, end=None, now=now)
    html = report_pdf_html(user=user, start=start, end=end, now=now)
    document = pypdfium2.PdfDocument(report_pdf_bytes(html, paper="A4"))
    for stale in HERE.glob("report-pdf-page*.png"):  # a shorter report leaves none behind
        stale.unlink()
    for number in range(len(document)):
        target = HERE / f"report-pdf-page{number + 1}.png"
        document[number].render(scale=1).to_pil().save(target)
        print(f"wrote {target.relative_to(BASE_DIR)}")
    print(f"the report PDF has {len(document)} pages")


if __name__ == "__main__":
    sys.exit(main())
