"""Cached tracker pages (tracker/page_cache.py): every figure is current whatever wrote it,
a hit costs one query, the day rolls over by itself, and nobody is served another's page.

"Current" is checked the strict way: after each write, the page a signed-in viewer gets
(through the cache) is byte for byte the page computed afresh with no cache entry at all,
CSRF tokens aside, and the page the write is about has changed.
"""

import datetime
import io
import re
import uuid

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import account_delete, health_screens_update, profile_update
from api.services import token_create
from portal import user_cache
from reminders import dispatch, tokens
from reminders.models import Delivery
from tests.factories import UserFactory, link_token
from tests.reminders.conftest import BEFORE, DUE, evening_reminder
from tests.tracker.conftest import experiment_running
from tests.tracker.sleep_samples import apple_xml, apple_zip, sleep_record
from tracker import page_cache, selectors, services
from tracker.models import DataStamp, Dose, NightLog, SavedProduct, stamp
from tracker.models.stamp import GROUPS, TABLE_GROUPS, UNSTAMPED_TABLES
from tracker.sleep_import import read_upload
from tracker.views import dashboard, entries, reports

pytestmark = pytest.mark.django_db

NOW = DUE + datetime.timedelta(minutes=5)  # 22:05 in London on Wednesday 10 June 2026
TONIGHT = datetime.date(2026, 6, 10)
LAST_NIGHT = datetime.date(2026, 6, 9)
DAY = datetime.timedelta(days=1)
PAGES = (
    "/tracker/",
    "/tracker/?days=365",
    "/tracker/nights/",
    "/tracker/doses/",
    "/tracker/export.csv",
    "/tracker/export.csv?type=doses",
    # The night form, kept whole (last night is not logged; 31 May is outside the
    # calendar); once last night is logged, the first opens its entry.
    "/tracker/nights/new/",
    "/tracker/nights/new/?evening=2026-05-31",
)
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


@pytest.fixture(autouse=True)
def _at_now():
    with time_machine.travel(NOW, tick=False):
        yield


def _person(**fields):
    user = UserFactory(time_zone="Europe/London", bedtime=datetime.time(22, 30), **fields)
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    for back in range(2, 10):  # the evenings of 1 to 8 June: last night is not logged
        evening = TONIGHT - back * DAY
        services.night_log(user=user, evening=evening, severity=back % 7, sleep_quality=3)
        services.dose_record(
            user=user,
            taken_at=datetime.datetime(2026, 6, 10 - back, 20, 30, tzinfo=datetime.UTC),
            form="glycinate",
            amount_mg=150 + back,
            unit="elemental",
        )
    return user


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client, path) -> str:
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return _TOKEN.sub(r'\1…"', body.decode())


def _pages(client) -> dict[str, str]:
    return {path: _page(client, path) for path in PAGES}


def _fresh(client, user) -> dict[str, str]:
    user_cache.user_entries_purge(user_pk=user.pk)
    return _pages(client)


# --- the write paths ------------------------------------------------------------------------


def _night_form(user, writer):
    night = {"evening": "2026-06-09", "severity": "6", "sleep_quality": "2", "quick": "1"}
    assert writer.post(reverse("tracker:night_new"), night).status_code == 302


def _dose_form(user, writer):
    dose = {"taken_at": "2026-06-10T21:45", "form": "citrate", "amount_mg": "120",
            "unit": "elemental", "note": ""}  # fmt: skip
    assert writer.post(reverse("tracker:dose_new"), dose).status_code == 302


def _took_it(user, writer):
    assert writer.post(reverse("tracker:dose_quick")).status_code == 302


def _email_link(purpose, name):
    def write(user, writer):
        evening_reminder(user, now=BEFORE)
        dispatch.reminders_claim_due(now=DUE)
        delivery = Delivery.objects.get(user=user)
        token = link_token(purpose=purpose, user_id=user.pk, delivery_id=delivery.pk)
        assert Client().post(reverse(name, args=[token])).status_code == 200

    return write


def _api_night(user, writer):
    _token, secret = token_create(user=user, name="Phone", scope="write", days=30)
    response = Client().post(
        "/api/v1/nights/",
        {"evening": "2026-06-09", "severity": 8, "sleep_quality": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201


def _offline_replay(user, writer):
    """The offline queue resends a night with its idempotency key: one row, then a replay."""
    night = {"evening": "2026-06-09", "severity": "4", "sleep_quality": "5", "quick": "1",
             "idempotency_key": str(uuid.uuid4())}  # fmt: skip
    for _ in range(2):
        response = writer.post(reverse("tracker:night_new"), night, HTTP_X_RESTWELL_QUEUE="1")
        assert response.status_code in (200, 302)
    assert NightLog.objects.filter(user=user, evening=LAST_NIGHT).count() == 1


def _import_apply(user, writer):
    records = [
        sleep_record("InBed", "2026-06-08 22:30:00 +0100", "2026-06-09 07:00:00 +0100"),
        sleep_record("AsleepCore", "2026-06-08 23:10:00 +0100", "2026-06-09 06:40:00 +0100"),
    ]
    raw = apple_zip(apple_xml(records))
    result = read_upload(
        io.BytesIO(raw), size=len(raw), zone=user.zone, wake_time=user.wake_time, newest=LAST_NIGHT
    )
    stored = services.sleep_import_store(user=user, result=result, now=NOW)
    outcome = services.sleep_suggestions_apply(
        sleep_import=stored, evenings=[datetime.date(2026, 6, 8)], now=NOW
    )
    assert outcome.applied


def _night_edit(user, writer):
    night = NightLog.objects.get(user=user, evening=datetime.date(2026, 6, 8))
    services.night_update(night=night, evening=night.evening, severity=9, sleep_quality=1)


def _night_delete(user, writer):
    night = NightLog.objects.get(user=user, evening=datetime.date(2026, 6, 8))
    assert writer.post(reverse("tracker:night_delete", args=[night.pk])).status_code == 302


def _dose_delete(user, writer):
    dose = Dose.objects.filter(user=user).latest("taken_at")
    assert writer.post(reverse("tracker:dose_delete", args=[dose.pk])).status_code == 302


def _time_zone(user, writer):
    profile_update(
        user=user,
        display_name="",
        time_zone="America/New_York",
        bedtime=user.bedtime,
        wake_time=user.wake_time,
    )


def _health_screen(user, writer):
    health_screens_update(user=user, kidney_disease="yes", pregnant_or_breastfeeding="no")


def _dopaminergic_medicine(user, writer):
    """The augmentation watch then reads 8 weeks of nights: the dashboard's nights part is
    read over another range."""
    services.medicine_add(user=user, kind="pramipexole")


def _experiment_start(user, writer):
    experiment_running(user, start_evening=TONIGHT + DAY, now=NOW, orders=[True, False])


def _trial(user, writer):
    services.trial_set(
        user=user,
        baseline_start=datetime.date(2026, 6, 1),
        baseline_end=datetime.date(2026, 6, 4),
        magnesium_start=datetime.date(2026, 6, 5),
    )


NIGHTS = ("/tracker/", "/tracker/nights/", "/tracker/export.csv")
DOSES = ("/tracker/", "/tracker/doses/", "/tracker/export.csv?type=doses")
WRITES = {
    "night form": (_night_form, (*NIGHTS, "/tracker/nights/new/")),  # now opens the entry
    "dose form": (_dose_form, DOSES),
    "I took it": (_took_it, DOSES),
    "email link: taken": (_email_link(tokens.TAKEN, "reminders:taken"), DOSES),
    "email link: skip": (_email_link(tokens.SKIP, "reminders:skip"), ("/tracker/",)),
    "API write": (_api_night, NIGHTS),
    "offline replay": (_offline_replay, NIGHTS),
    "sleep import applied": (_import_apply, NIGHTS),
    "night edit": (_night_edit, NIGHTS),
    "night delete": (_night_delete, (*NIGHTS, "/tracker/nights/new/")),  # its calendar
    "dose delete": (_dose_delete, DOSES),
    "time zone": (_time_zone, ("/tracker/doses/", "/tracker/export.csv?type=doses")),
    "health screen": (_health_screen, ("/tracker/",)),
    # The augmentation questions move to the top of the night form.
    "dopaminergic medicine": (_dopaminergic_medicine, ("/tracker/nights/new/",)),
    "experiment start": (_experiment_start, ("/tracker/",)),
    "trial set": (_trial, ("/tracker/",)),
}


@pytest.mark.parametrize("name", WRITES)
def test_every_figure_is_current_after_each_write_path(name):
    write, changed = WRITES[name]
    user = _person()
    viewer, writer = _signed_in(user), _signed_in(user)
    before = _pages(viewer)
    assert _pages(viewer) == before  # the second round is served from the cache
    write(user, writer)
    user.refresh_from_db()
    after = _pages(viewer)
    assert after == _fresh(viewer, user), name
    for path in changed:
        assert after[path] != before[path], (name, path)


# --- what a hit costs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "view",
    [dashboard.dashboard, entries.night_list, entries.dose_list, reports.export_csv],
    ids=["dashboard", "night list", "dose list", "CSV"],
)
def test_a_cache_hit_costs_one_query_the_data_stamp(view, call_view, django_assert_num_queries):
    user = _person()
    with CaptureQueriesContext(connection) as miss:
        first = call_view(view, user)
    with django_assert_num_queries(1):
        again = call_view(view, user)
    assert len(miss) > 1
    assert again.content == first.content or view is dashboard.dashboard  # tokens differ


def _tables_read(view, user, call_view, path="/") -> tuple[int, set[str]]:
    """How many queries the view makes, and which tracker tables they read."""
    with CaptureQueriesContext(connection) as queries:
        response = call_view(view, user, path)
    assert response.status_code == 200
    tables = {t for q in queries for t in TABLE_GROUPS if t in q["sql"]}
    return len(queries), tables


def test_a_dose_leaves_the_night_list_and_the_nights_csv_cached(call_view):
    """After a dose, the night list is a hit (the stamps alone) and the nights CSV reads
    doses only (its nights part is a hit); both are what a fresh computation gives."""
    user = _person()
    viewer = _signed_in(user)
    _pages(viewer)
    _took_it(user, _signed_in(user))
    assert _tables_read(entries.night_list, user, call_view, "/tracker/nights/") == (1, set())
    nights_csv = _tables_read(reports.export_csv, user, call_view)
    assert nights_csv == (2, {"tracker_dose"})
    assert _pages(viewer) == _fresh(viewer, user)


def test_a_night_invalidates_the_night_list_and_the_nights_csv_only(call_view):
    """After a night, the night list and the nights part of the CSV are computed again; the
    dose list, the doses CSV and the nights CSV's dose columns are hits."""
    user = _person()
    viewer = _signed_in(user)
    _pages(viewer)
    _night_edit(user, _signed_in(user))
    count, tables = _tables_read(entries.night_list, user, call_view, "/tracker/nights/")
    assert count > 1
    assert "tracker_nightlog" in tables
    assert _tables_read(reports.export_csv, user, call_view) == (2, {"tracker_nightlog"})
    assert _tables_read(entries.dose_list, user, call_view, "/tracker/doses/") == (1, set())
    doses_csv = _tables_read(reports.export_csv, user, call_view, "/?type=doses")
    assert doses_csv == (1, set())
    assert _pages(viewer) == _fresh(viewer, user)


def test_after_a_dose_the_dashboard_reads_no_night_again(call_view):
    """What the summary reads from nights is a cached part of its own: a dose recomputes the
    dashboard without reading the nights table; a night reads it again. Both times the page
    is the one computed afresh."""
    user = _person()
    viewer = _signed_in(user)
    _pages(viewer)
    _took_it(user, _signed_in(user))
    count, tables = _tables_read(dashboard.dashboard, user, call_view, "/tracker/")
    assert count > 1
    assert "tracker_dose" in tables
    assert "tracker_nightlog" not in tables
    assert _pages(viewer) == _fresh(viewer, user)
    _night_edit(user, _signed_in(user))
    _count, tables = _tables_read(dashboard.dashboard, user, call_view, "/tracker/")
    assert "tracker_nightlog" in tables
    assert _pages(viewer) == _fresh(viewer, user)


def test_the_nights_csv_from_its_cached_parts_is_the_csv_written_whole():
    """Notes with commas, quotes and line breaks, and evenings with and without doses: the
    two parts joined give the export byte for byte as one writer gives it."""
    import csv

    from tracker import exports

    user = _person()
    night = NightLog.objects.get(user=user, evening=datetime.date(2026, 6, 8))
    services.night_update(
        night=night,
        evening=night.evening,
        severity=3,
        sleep_quality=2,
        notes='=1+2, "quoted"\nsecond line',
    )
    services.night_log(user=user, evening=LAST_NIGHT, severity=1, sleep_quality=4)
    written = io.StringIO()
    writer = csv.writer(written, lineterminator="\r\n")
    rows = list(csv.reader(io.StringIO(exports.nights_csv(user=user), newline="")))
    for row in rows:
        writer.writerow(row)
    assert exports.nights_csv(user=user) == written.getvalue()
    assert rows[0] == exports.NIGHT_HEADER
    assert rows[-1][-2:] == ["0", ""]  # last night: no dose
    assert any(r[exports.NIGHT_HEADER.index("notes")].startswith("'=1+2") for r in rows)


# --- the day moves on by itself -------------------------------------------------------------


def _entries(user) -> int:
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    return len(list(client.scan_iter(match=cache.make_key(f"user:{user.pk}:*"))))


def test_a_page_cached_at_2359_is_not_served_at_0001():
    """The local date is part of every key: after midnight each page is computed again
    (and is what a fresh computation gives), whatever the hour it runs."""
    user = _person()
    viewer = _signed_in(user)
    late = datetime.datetime(2026, 6, 10, 22, 59, tzinfo=datetime.UTC)  # 23:59 in London
    with time_machine.travel(late, tick=False):
        _pages(viewer)
    cached = _entries(user)
    with time_machine.travel(late + datetime.timedelta(minutes=2), tick=False):  # 00:01
        served = _pages(viewer)
        assert _entries(user) == 2 * cached  # new keys, none of the 23:59 entries reused
        assert served == _fresh(viewer, user)


def test_at_the_start_of_the_day_tonight_is_a_new_evening():
    """Tonight's card is about the evening that holds the instant (tracker/evening.py; the
    day starts an hour before the usual wake time, 06:00 here): the dose of 9 June shows
    until then, cached or not, and at 06:01 the card offers the new evening's dose."""
    user = _person()
    services.dose_record(
        user=user,
        taken_at=datetime.datetime(2026, 6, 9, 21, 0, tzinfo=datetime.UTC),
        form="glycinate",
        amount_mg=200,
        unit="elemental",
    )
    viewer = _signed_in(user)
    before = datetime.datetime(2026, 6, 10, 4, 59, tzinfo=datetime.UTC)  # 05:59 in London
    with time_machine.travel(before, tick=False):
        assert "Logged at 22:00" in _page(viewer, "/tracker/")
        assert "Logged at 22:00" in _page(viewer, "/tracker/")  # a hit
    with time_machine.travel(before + datetime.timedelta(minutes=2), tick=False):
        page = _page(viewer, "/tracker/")
    assert "Logged at 22:00" not in page
    assert "I took my magnesium now" in page


# --- the quick cards --------------------------------------------------------------------


def _last_night_logged(user):
    services.night_log(user=user, evening=LAST_NIGHT, severity=6, sleep_quality=2)


def _stomach_answered(user):
    night = services.night_log(user=user, evening=LAST_NIGHT, severity=3, sleep_quality=5)
    services.night_stomach_set(night=night, stomach="loose")


def _over_the_upper_limit(user):
    for minutes in (90, 30):
        services.dose_record(user=user, taken_at=NOW - datetime.timedelta(minutes=minutes),
                             form="citrate", amount_mg=250, unit="elemental")  # fmt: skip


def _no_saved_product(user):
    SavedProduct.objects.filter(user=user).delete()


def _blinded_experiment(user):
    experiment_running(user, start_evening=TONIGHT, now=NOW, orders=[True, False], blinded=True)


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        (lambda user: None, "My magnesium: Glycinate / bisglycinate, 200 mg elemental"),
        (_last_night_logged, "Legs 6/10 · sleep Poor"),
        (_stomach_answered, 'value="loose" class="btn btn-outline-primary active"'),
        (_over_the_upper_limit, "adds up to 500 mg elemental, above the 350 mg"),
        (_no_saved_product, "Save “My magnesium” for one-tap logging"),
        (_blinded_experiment, "I took tonight's capsule"),
    ],
    ids=["last night not logged", "last night logged", "stomach answered", "over the upper limit",
         "no saved product", "experiment card"],
)  # fmt: skip
def test_the_quick_cards_from_the_cache_are_the_cards_computed_afresh(state, shown):
    """The cards' labels are looked up when their data is cached (tracker/views/dashboard.py):
    a hit shows the page a fresh computation shows, in every state of the two cards."""
    user = _person()
    state(user)
    viewer = _signed_in(user)
    fresh = _fresh(viewer, user)["/tracker/"]
    with CaptureQueriesContext(connection) as hit_queries:
        hit = _page(viewer, "/tracker/")
    assert shown in fresh
    assert hit == fresh
    assert len(hit_queries) == 3  # session, user, stamps: the cards read nothing more


# --- whole pages: the token is the request's own, a flash message is never kept -------------


def _kept_values(user) -> list[bytes]:
    """Every cached entry of the user, as stored (pickled) in Redis."""
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key(f"user:{user.pk}:*")))
    assert keys
    return [client.get(key) for key in keys]


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


@pytest.mark.parametrize("path", ["/tracker/", "/tracker/?days=90"])
def test_a_whole_page_from_the_cache_carries_the_requests_own_valid_token(path):
    user = _person()
    viewer = Client(enforce_csrf_checks=True)
    viewer.force_login(user)
    first = viewer.get(path).content.decode()
    with CaptureQueriesContext(connection) as hit_queries:
        hit = viewer.get(path).content.decode()
    assert len(hit_queries) == 3  # session, user, stamps: the whole page was kept
    assert page_cache._placeholder("csrf") not in hit
    assert _token(hit) != _token(first)  # masked anew for each response, as Django does
    assert all(_token(first).encode() not in value for value in _kept_values(user))
    # The token of a page served from the cache is accepted.
    taken = viewer.post(reverse("tracker:dose_quick"), {"csrfmiddlewaretoken": _token(hit)})
    assert taken.status_code == 302


def test_a_flash_message_is_shown_once_and_no_page_keeps_it():
    user = _person()
    viewer = _signed_in(user)
    _page(viewer, "/tracker/")
    assert viewer.post(reverse("tracker:dose_quick")).status_code == 302
    with_message = _page(viewer, "/tracker/")
    message = re.search(r'<div class="alert alert-success">([^<]+)<', with_message)[1]
    assert message.startswith("Dose logged: 200 mg")
    with CaptureQueriesContext(connection) as hit_queries:
        after = _page(viewer, "/tracker/")
    assert message not in after
    # The page computed with the message was kept without it: the next request is a hit.
    assert len(hit_queries) == 3
    # Nothing else differs: the message was filled into the page kept whole.
    without = re.sub(r'<div class="messages".*?</div>\s*</div>', "", with_message, flags=re.S)
    assert re.sub(r"\s+", " ", without) == re.sub(r"\s+", " ", after)
    assert all(message.encode() not in value for value in _kept_values(user))


# --- nobody else's page ---------------------------------------------------------------------


def test_two_people_never_get_each_others_pages():
    mine, theirs = _person(), _person()
    services.dose_record(
        user=theirs,
        taken_at=NOW - datetime.timedelta(minutes=1),
        form="citrate",
        amount_mg=333,
        unit="elemental",
    )
    me, them = _signed_in(mine), _signed_in(theirs)
    assert DataStamp.objects.get(user_id=mine.pk).doses != 0
    for _ in range(2):  # misses, then hits
        my_pages, their_pages = _pages(me), _pages(them)
        for path in PAGES:
            assert "333" not in my_pages[path], path
        assert "333" in their_pages["/tracker/doses/"]
    assert my_pages == _fresh(me, mine)
    assert their_pages == _fresh(them, theirs)


# --- the stamp ------------------------------------------------------------------------------


def _trigger_groups() -> dict[str, list[str]]:
    """The group each stamp trigger bumps, per table (one entry per trigger and event)."""
    found = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One row per event (insert, update, delete); the group is the function's argument.
            cursor.execute(
                "SELECT event_object_table, action_statement FROM information_schema.triggers"
            )
            for table, action in cursor.fetchall():
                group = re.search(r"tracker_stamp_group_by_\w+\('(\w+)'\)", action)
                found.setdefault(table, []).append(group and group[1])
        else:
            cursor.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            # The upsert's columns after user_id, and the 1 or 0 it adds to each.
            shape = re.compile(
                r"\(user_id, (\w+), (\w+), (\w+)\) SELECT .*, ([01]), ([01]), ([01]) WHERE"
            )
            for table, sql in cursor.fetchall():
                match = shape.search(sql)
                bumped = match and [
                    c
                    for c, one in zip(match.groups()[:3], match.groups()[3:], strict=True)
                    if one == "1"
                ]
                found.setdefault(table, []).append(
                    bumped[0] if bumped and len(bumped) == 1 else None
                )
    return found


def test_every_tracker_table_is_stamped_in_its_group_or_says_why_not():
    """A new tracker table needs a trigger bumping its group (a migration, as 0010) or a
    reason here; a table moved to another group needs its trigger changed too."""
    tables = {model._meta.db_table for model in apps.get_app_config("tracker").get_models()}
    assert tables == set(TABLE_GROUPS) | set(UNSTAMPED_TABLES)
    assert set(TABLE_GROUPS.values()) == set(GROUPS)
    found = _trigger_groups()
    for table, group in TABLE_GROUPS.items():
        assert found.get(table) == [group] * 3, table  # on insert, update and delete


def _stamps(user) -> dict[str, int]:
    return DataStamp.objects.values(*GROUPS).get(user_id=user.pk)


@pytest.mark.parametrize(
    ("write", "group"),
    [
        (_night_edit, stamp.NIGHTS),
        (_import_apply, stamp.NIGHTS),
        (_took_it, stamp.DOSES),
        (_dose_delete, stamp.DOSES),
        (lambda user, writer: services.saved_product_set(
            user=user, form="citrate", amount_mg=100, unit="elemental"), stamp.OTHER),
        (_email_link(tokens.SKIP, "reminders:skip"), stamp.OTHER),
        (_trial, stamp.OTHER),
        (lambda user, writer: services.medicine_add(user=user, kind="gabapentin"), stamp.OTHER),
    ],
    ids=["night", "sleep import", "I took it", "dose delete", "saved product", "skip", "trial",
         "medicine"],
)  # fmt: skip
def test_a_write_moves_its_groups_stamp_and_no_other(write, group):
    user = _person()
    before = _stamps(user)
    write(user, _signed_in(user))
    after = _stamps(user)
    assert after[group] > before[group]
    assert {g: after[g] for g in GROUPS if g != group} == {
        g: before[g] for g in GROUPS if g != group
    }


def test_the_stamps_read_is_the_row_or_zeros_in_one_query(django_assert_num_queries):
    """selectors.data_stamps_get writes its SELECT out: it reads this user's row, each group
    under its own name, and zeros for someone who never wrote tracker data."""
    user, other, newcomer = _person(), _person(), UserFactory()
    _took_it(other, _signed_in(other))
    DataStamp.objects.filter(user_id=user.pk).update(nights=7, doses=8, other=9)
    with django_assert_num_queries(1):
        assert selectors.data_stamps_get(user=user) == {"nights": 7, "doses": 8, "other": 9}
    assert selectors.data_stamps_get(user=other) == _stamps(other)
    assert not DataStamp.objects.filter(user_id=newcomer.pk).exists()
    assert selectors.data_stamps_get(user=newcomer) == dict.fromkeys(GROUPS, 0)


def test_a_row_of_an_experiment_moves_its_owners_other_stamp():
    """Experiment rows carry no user_id: the trigger finds the owner through the experiment."""
    user = _person()
    experiment = experiment_running(
        user, start_evening=TONIGHT, now=NOW, orders=[True, False], blinded=True
    )
    before = _stamps(user)
    services.experiment_capsule_record(experiment=experiment, now=NOW)
    after = _stamps(user)
    assert after[stamp.OTHER] > before[stamp.OTHER]
    assert (after[stamp.NIGHTS], after[stamp.DOSES]) == (before[stamp.NIGHTS], before[stamp.DOSES])


def test_a_bulk_update_moves_the_stamp_too():
    user = _person()
    before = _stamps(user)
    NightLog.objects.filter(user=user).update(severity=0)  # no save(), no signal
    assert _stamps(user)[stamp.NIGHTS] > before[stamp.NIGHTS]


def test_deleting_the_account_leaves_no_stamp_and_no_cached_page(
    django_capture_on_commit_callbacks,
):
    user = _person()
    viewer = _signed_in(user)
    _pages(viewer)
    from django.core.cache import cache

    pattern = cache.make_key(f"user:{user.pk}:*")
    client = cache._cache.get_client(write=True)
    assert list(client.scan_iter(match=pattern))
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=user)
    assert not DataStamp.objects.filter(user_id=user.pk).exists()
    assert not list(client.scan_iter(match=pattern))


# --- the miss path --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gap", "streak"),
    [(45, 44), (37, 36), (36, 35), (400, 100)],  # (the evening not logged, days back)
)
def test_a_streak_longer_than_the_period_is_counted_in_one_query(
    gap, streak, django_assert_num_queries
):
    """Nights on the 100 evenings before tonight, bar one: the streak ends at that gap,
    whether it falls inside the evenings loaded (30 + 6 of lead-in) or before them."""
    from tracker.summary import period_summary

    user = UserFactory(time_zone="Europe/London")
    NightLog.objects.bulk_create(
        NightLog(user=user, evening=TONIGHT - back * DAY, severity=1, sleep_quality=3)
        for back in range(1, 101)
        if back != gap
    )
    start = TONIGHT - 29 * DAY
    beyond = gap > 35  # the streak runs past the loaded evenings (back 0 to 35): one more query
    with django_assert_num_queries(4 if beyond else 3):
        summary = period_summary(user=user, start=start, end=TONIGHT, now=NOW)
    assert summary.streak == streak


def test_an_entry_that_cannot_be_read_is_computed_again(monkeypatch, caplog):
    """A part pickled by other code (the key holds the code's version, so only by accident)
    is a miss, never a 500."""
    from portal import fallback_cache

    def stale(key):
        raise AttributeError("Can't get attribute 'Day' on <module 'tracker.summary'>")

    user = _person()
    viewer = _signed_in(user)
    monkeypatch.setattr(fallback_cache, "get", stale)
    for path in PAGES:
        assert viewer.get(path).status_code == 200
    assert "Unreadable cached page part" in caplog.text


def test_a_write_replaces_the_entries_in_place():
    """The stamp is stored beside the part, not in the key: someone who logs often keeps one
    entry per page in Redis, not one per write."""
    user = _person()
    viewer, writer = _signed_in(user), _signed_in(user)
    _pages(viewer)
    entries = _entries(user)
    for _ in range(3):
        _took_it(user, writer)
        _pages(viewer)
    assert _entries(user) == entries


def test_no_cached_entry_holds_the_account_row():
    """Cached parts hold figures and the models the cards show, never the account itself:
    a model fetched through the user row (select_related) keeps that row, password hash
    and email included, unless the back-reference is dropped."""
    user = _person(email="private-marker@example.com")
    _trial(user, writer=None)
    _pages(_signed_in(user))
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key(f"user:{user.pk}:*")))
    assert keys
    for key in keys:
        raw = client.get(key)
        assert user.password.encode() not in raw, key
        assert b"private-marker" not in raw, key
