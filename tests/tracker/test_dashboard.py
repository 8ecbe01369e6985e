"""The dashboard: quick cards, charts with tables, figures, trial card, query counts."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from tracker import services
from tracker.models import Dose, NightLog
from tracker.summary import period_summary
from tracker.views import dashboard

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 19, 0, tzinfo=datetime.UTC)  # 20:00 in London


def _history(user, nights, *, dose_every=1, start_offset=1):
    """`nights` logged nights ending last night, a dose on every `dose_every`-th evening."""
    for i in range(start_offset, start_offset + nights):
        evening = datetime.date(2026, 6, 15) - datetime.timedelta(days=i)
        services.night_log(
            user=user,
            evening=evening,
            severity=i % 6,
            sleep_quality=1 + i % 5,
            times={
                "in_bed": datetime.time(23),
                "out_of_bed": datetime.time(7),
                "tried_sleep": datetime.time(23),
                "final_wake": datetime.time(6),
            },
            now=NOW,
        )
        if i % dose_every == 0:
            taken = datetime.datetime.combine(evening, datetime.time(21), tzinfo=user.zone)
            services.dose_record(
                user=user,
                taken_at=taken,
                form="glycinate",
                amount_mg=200,
                unit="elemental",
                now=NOW,
            )


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


def test_empty_dashboard_offers_both_daily_actions(user_client, travel):
    response = user_client.get(reverse("tracker:dashboard"))
    text = response.text
    assert "Took your magnesium?" in text
    assert "How was last night?" in text
    assert 'name="severity"' in text and 'name="sleep_quality"' in text
    assert 'value="2026-06-14"' in text  # the quick form is about last night
    assert "<script>" not in text and "style=" not in text


def test_dashboard_shows_a_logged_evening_and_night(user_client, user, travel):
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    assert "I took my magnesium now" in user_client.get(reverse("tracker:dashboard")).text
    user_client.post(reverse("tracker:dose_quick"))
    user_client.post(
        reverse("tracker:night_new"),
        {"evening": "2026-06-14", "severity": "6", "sleep_quality": "2", "quick": "1"},
    )
    text = user_client.get(reverse("tracker:dashboard")).text
    assert "Logged at 20:00" in text  # 19:00 UTC is 20:00 in London (BST)
    assert "Legs 6/10" in text
    assert 'class="chart-dose"' in text  # tonight's dose is marked on the chart
    assert "<rect " in text


def test_period_switch_and_bad_values(user_client, user, travel):
    _history(user, 40)
    for days, rows in ((30, 30), (90, 90), (365, 365), ("abc", 30), (7, 30)):
        response = user_client.get(reverse("tracker:dashboard"), {"days": days})
        assert response.status_code == 200
        # The figures are a cached fragment (tracker/page_cache.py): "abc" and 7 are hits.
        assert f"Your last {rows} nights" in response.text


def test_figures_rest_on_their_counts(user_client, user, travel):
    _history(user, 14, dose_every=2)
    services.evening_skip_record(user=user, evening=datetime.date(2026, 6, 12))  # i = 3: no dose
    summary = user_client.get(reverse("tracker:dashboard")).context["summary"]
    assert summary.nights_logged == 14
    assert summary.streak == 14
    # severity i % 6 for i = 1..14: zeros at i = 6 and 12 → 12 nights with any symptoms of
    # 14; a 5 (at least moderate) at i = 5 and 11 only → 1 such night a week, not flagged.
    assert summary.any_symptom_nights == 12
    assert summary.any_symptom_nights_per_week == pytest.approx(6.0)
    assert summary.moderate_nights == 2
    assert summary.moderate_nights_per_week == pytest.approx(1.0)
    assert not summary.clinically_significant
    # 23:00 → 07:00 in bed (480 min), 23:00 → 06:00 asleep (420 min): 87.5%
    assert summary.efficiency == pytest.approx(87.5)
    # doses on even i (14, 12, ..., 2): first dose evening is i = 14 (1 June); evenings
    # 1..14 June are counted, tonight (15 June) is not yet; 7 dosed, 1 skipped, 6 missed.
    assert summary.adherence_since == datetime.date(2026, 6, 1)
    assert (summary.evenings_counted, summary.evenings_dosed) == (14, 7)
    assert (summary.evenings_skipped, summary.evenings_missed) == (1, 6)


def test_dashboard_queries_stay_at_seven_or_fewer(
    user, call_view, django_assert_max_num_queries, travel
):
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    services.trial_set(
        user=user,
        baseline_start=datetime.date(2026, 4, 1),
        baseline_end=datetime.date(2026, 4, 30),
        magnesium_start=datetime.date(2026, 5, 1),
    )
    _history(user, 3)
    # The data stamp (the cache's key, tracker/page_cache.py); flags, trial, "any
    # experiment?" and the product in one; nights, doses, skips; the trial's phases before
    # the period; the latest doses. Each call here is a miss: every write above moves the stamp.
    with django_assert_max_num_queries(7):
        call_view(dashboard.dashboard, user)
    _history(user, 120, start_offset=4)  # a streak longer than the 30-day view: one more
    with django_assert_max_num_queries(8) as captured:
        response = call_view(dashboard.dashboard, user)
    assert response.status_code == 200
    assert len(captured) <= 8


def test_after_a_dose_the_dashboard_reads_neither_nights_nor_the_other_records_again(
    user, call_view, travel
):
    """What is read from the nights alone and from the "other" tables alone stays cached
    across a dose (tracker/pages.py dashboard_context): only the doses are read again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.trial_set(
        user=user,
        baseline_start=datetime.date(2026, 4, 1),
        baseline_end=datetime.date(2026, 4, 30),
        magnesium_start=datetime.date(2026, 5, 1),
    )
    _history(user, 10)
    call_view(dashboard.dashboard, user)
    services.dose_record(
        user=user, taken_at=NOW, form="glycinate", amount_mg=100, unit="elemental", now=NOW
    )
    with CaptureQueriesContext(connection) as after_dose:
        response = call_view(dashboard.dashboard, user)
    assert response.status_code == 200
    queries = [query["sql"] for query in after_dose.captured_queries]
    assert any("tracker_dose" in sql for sql in queries)
    # The one nights query left is the trial's, of the nights before the period (tracker/trial.py).
    assert len([sql for sql in queries if "tracker_nightlog" in sql]) == 1
    for table in (
        "tracker_othermedicine",
        "tracker_ironproduct",
        "tracker_labresult",
        "tracker_eveningskip",
    ):
        assert not any(table in sql for sql in queries)


def test_dashboard_page_query_count_does_not_grow(
    user_client, user, django_assert_num_queries, travel
):
    _history(user, 5)
    user_client.get(reverse("tracker:dashboard"))  # the session is recorded on first use
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.user_cache import user_entries_purge

    # Both requests compute every cached part: only the amount of data differs.
    user_entries_purge(user_pk=user.pk)
    with CaptureQueriesContext(connection) as small:
        user_client.get(reverse("tracker:dashboard"), {"days": 365})
    _history(user, 300, start_offset=6)
    user_entries_purge(user_pk=user.pk)
    with django_assert_num_queries(len(small)):
        user_client.get(reverse("tracker:dashboard"), {"days": 365})


def test_trial_result_appears_with_seven_nights_each(user_client, user, travel):
    services.trial_set(
        user=user,
        baseline_start=datetime.date(2026, 5, 1),
        baseline_end=datetime.date(2026, 5, 10),
        magnesium_start=datetime.date(2026, 5, 11),
    )
    _history(user, 20, start_offset=35)  # 11 May back to 22 April: 10 baseline, 1 magnesium
    text = user_client.get(reverse("tracker:dashboard")).text
    assert "6 more nights needed in “With magnesium”" in text
    _history(user, 13, start_offset=22)  # 24 May back to 12 May
    text = user_client.get(reverse("tracker:dashboard")).text
    # Plain averages only: these phases were not randomized, so no interval or verdict.
    assert "Before magnesium: <strong>" in text and "With magnesium: <strong>" in text
    assert "interval" not in text and "noise" not in text
    assert "not a test" in text and reverse("tracker:experiment") in text


def test_period_summary_takes_tonight_from_the_now_it_is_given(user):
    """Tonight (not yet missed) follows the caller's `now`, not the wall clock."""
    from tracker.summary import period_summary

    _history(user, 3)  # doses on 12..14 June; tonight is 15 June as of NOW
    summary = period_summary(
        user=user, start=datetime.date(2026, 6, 12), end=datetime.date(2026, 6, 15), now=NOW
    )
    assert (summary.evenings_counted, summary.evenings_missed) == (3, 0)
    later = NOW + datetime.timedelta(days=2)  # 15 June is over: it was missed
    summary = period_summary(
        user=user, start=datetime.date(2026, 6, 12), end=datetime.date(2026, 6, 15), now=later
    )
    assert (summary.evenings_counted, summary.evenings_missed) == (4, 1)


def test_moving_average_uses_the_six_evenings_before_the_period(user, django_assert_num_queries):
    """The first points average a full 7-night window, reaching back before `start`."""
    from tracker.summary import period_summary

    start = datetime.date(2026, 6, 10)
    # evening offset from start -> severity; -4 and -2 are not logged
    for offset, severity in ((-6, 10), (-5, 10), (-3, 4), (-1, 2), (0, 0), (2, 6)):
        services.night_log(
            user=user,
            evening=start + datetime.timedelta(days=offset),
            severity=severity,
            sleep_quality=3,
            now=NOW,
        )
    with django_assert_num_queries(3):  # nights (with the lead-in), doses, skips
        summary = period_summary(
            user=user, start=start, end=start + datetime.timedelta(days=2), now=NOW
        )
    # start: 10, 10, 4, 2, 0 (5 of 7 logged) -> 26 / 5
    # start + 1: 10, 4, 2, 0 (4 of 7) -> 16 / 4
    # start + 2: 4, 2, 0, 6 (4 of 7) -> 12 / 4
    assert [d.severity_avg for d in summary.days] == pytest.approx([5.2, 4.0, 3.0])
    # the lead-in nights are only for the average: the period's own figures ignore them
    assert summary.nights_logged == 2
    assert summary.mean_severity == pytest.approx(3.0)


def test_moving_average_needs_four_of_seven_logged(user):
    from tracker.summary import period_summary

    start = datetime.date(2026, 6, 10)
    for offset in (-6, -1, 0):
        services.night_log(
            user=user,
            evening=start + datetime.timedelta(days=offset),
            severity=3,
            sleep_quality=3,
            now=NOW,
        )
    summary = period_summary(user=user, start=start, end=start, now=NOW)
    assert summary.days[0].severity_avg is None  # 3 of 7 logged


@pytest.mark.parametrize(("amounts", "over"), [((200, 150), False), ((200, "150.1"), True)])
def test_dashboard_upper_limit_card_and_dose_note_agree(user_client, user, travel, amounts, over):
    """One comparison decides both: the dashboard card and the note after logging a dose."""
    from tracker import safety

    for amount in amounts:
        dose = services.dose_record(
            user=user, taken_at=NOW, form="glycinate", amount_mg=amount, unit="elemental"
        )
    notes = safety.dose_safety_notes(user=user, dose=dose)
    assert any("upper level" in note.text for note in notes) is over
    response = user_client.get(reverse("tracker:dashboard"))
    assert response.context["over_limit"] is over
    assert ("adds up to 350.1 mg elemental, above the 350 mg" in response.text) is over


def _week(user, severities):
    """The last len(severities) nights, oldest first, ending last night (14 June)."""
    for i, severity in enumerate(reversed(severities), start=1):
        services.night_log(
            user=user,
            evening=datetime.date(2026, 6, 15) - datetime.timedelta(days=i),
            severity=severity,
            sleep_quality=3,
            now=NOW,
        )


def _summary(user):
    return period_summary(
        user=user, start=datetime.date(2026, 6, 8), end=datetime.date(2026, 6, 14), now=NOW
    )


@pytest.mark.parametrize(
    ("severities", "significant"),
    [
        ([5, 0, 0, 0, 0, 0, 0], False),  # one night at least moderate a week
        ([5, 0, 0, 5, 0, 0, 0], True),  # two: the REST study's "2 or more", not "more than 2"
        ([5, 4, 4, 4, 4, 4, 4], False),  # a score below 5 is a symptom night, not moderate
        ([10, 0, 0, 0, 0, 0, 7], True),
    ],
)
def test_clinically_significant_is_two_or_more_nights_with_at_least_moderate_symptoms(
    user, travel, severities, significant
):
    _week(user, severities)
    summary = _summary(user)
    moderate = sum(1 for s in severities if s >= 5)
    assert summary.moderate_nights == moderate
    assert summary.moderate_nights_per_week == pytest.approx(moderate)
    assert summary.any_symptom_nights == sum(1 for s in severities if s >= 1)
    assert summary.clinically_significant is significant
    assert summary.weeks[-1][1:] == (moderate, summary.any_symptom_nights, 7, 7)


def test_figures_and_weekly_chart_name_both_counts_and_the_rest_threshold(
    user_client, user, travel
):
    _week(user, [5, 1, 2, 6, 0, 0, 0])
    text = user_client.get(reverse("tracker:dashboard")).text
    assert "nights a week with at least moderate symptoms (legs 5+)" in text
    assert "nights a week with any symptoms" in text
    assert "2 or more a week in your log: what the REST study called clinically significant" in (
        text
    )
    assert "clinically significant when symptoms with at least moderate distress came on 2 or " in (
        text
    )
    assert "more than 2" not in text
    assert "2 or more a week</text>" in text  # the chart's threshold line
    assert "Nights with any symptoms (legs 1 or more)" in text


def test_a_user_without_a_display_name_is_greeted_without_their_address(client, db):
    from tests.factories import UserFactory

    user = UserFactory(display_name="", email="j.smith1987@example.org")
    client.force_login(user)
    page = client.get(reverse("tracker:dashboard")).text
    assert re.search(r"<h1[^>]*>\s*Hello\s*</h1>", page)
    assert "j.smith1987" not in page.split("</nav>", 1)[-1]  # past the account menu


def test_latest_entries_link_each_form_with_its_date_and_figures(user_client, user, travel):
    """The latest entries are built in Python (tracker/chart_tables.py): each line as the
    template's {% url %}, |date and {% blocktranslate %} wrote it, in the user's time zone."""
    _history(user, 6)
    services.dose_record(
        user=user,
        taken_at=datetime.datetime(2026, 6, 14, 23, 30, tzinfo=datetime.UTC),  # 00:30 BST
        form="glycinate",
        amount_mg=150.5,
        unit="elemental",
        now=NOW,
    )
    text = user_client.get(reverse("tracker:dashboard")).text
    latest = text[text.index('id="latest-heading"') :]
    night = NightLog.objects.get(user=user, evening=datetime.date(2026, 6, 14))
    assert (
        f'<li><a href="{reverse("tracker:night_edit", args=[night.pk])}">Sun 14 Jun</a>'
        "<span>legs 1/10 · sleep Poor</span></li>"
    ) in latest
    dose = Dose.objects.get(user=user, elemental_mg=150.5)
    assert (
        f'<li><a href="{reverse("tracker:dose_edit", args=[dose.pk])}">Mon 15 Jun, 00:30</a>'
        "<span>150.5 mg elemental</span></li>"
    ) in latest
    assert latest.count("tracker/nights/") == 5 and latest.count("/edit/") == 10


def test_summary_counts_factors_by_label_and_tags_most_common_first(user):
    for i, (factors, tags) in enumerate(
        ((["stress", "caffeine"], "late dinner"), (["caffeine"], ""), ([], " late dinner ,x"))
    ):
        services.night_log(
            user=user,
            evening=datetime.date(2026, 6, 10) + datetime.timedelta(days=i),
            severity=3,
            sleep_quality=3,
            factors=factors,
            tags=tags,
            now=NOW,
        )
    summary = period_summary(
        user=user, start=datetime.date(2026, 6, 1), end=datetime.date(2026, 6, 14), now=NOW
    )
    assert summary.factors == [
        ("Caffeine after noon", 2),
        ("late dinner", 2),
        ("Stress", 1),
        ("x", 1),
    ]
