"""The dashboard before there is much to show: no empty axes or "—" figures for a new user,
no trend from one or two nights, and a before-and-after card in plain words."""

import pytest
import time_machine
from django.urls import reverse

from tests.tracker.test_charts import NOW, _last, _nights

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


def test_new_users_dashboard_has_no_axes_or_dashes_but_the_two_actions(user_client, travel):
    page = user_client.get(reverse("tracker:dashboard")).text
    text = page[page.index('id="trend-heading"') : page.index('id="latest-heading"')]
    assert "<svg" not in text
    assert "figure-card" not in text and "—" not in text
    assert f'href="{reverse("tracker:night_new")}">Log last night</a>' in text
    assert f'href="{reverse("tracker:dose_new")}">Log a dose</a>' in text
    assert "Once you log a night, a chart of your legs and sleep" in text
    assert "trial-heading" not in text  # no before-and-after card counting zeros
    assert reverse("tracker:experiment") in text  # an experiment can still be planned first


def test_one_or_two_nights_show_no_trend(user_client, user, travel):
    _nights(user, _last(2))
    text = user_client.get(reverse("tracker:dashboard")).text
    assert 'class="chart chart--nightly"' in text
    assert 'class="chart-average"' not in text and 'class="chart-quality"' not in text
    assert "chart--weekly" not in text
    assert "Weekly bars start once 7 nights are logged: 5 more nights to go." in text
    assert "The chart starts on 30 Nov 2026" in text


def test_trial_card_speaks_plain_words(user_client, user, travel):
    _nights(user, _last(20))
    text = user_client.get(reverse("tracker:dashboard")).text
    card = text[text.index('id="trial-heading"') :]
    card = card[: card.index("</section>")]
    for jargon in ("placebo", "regression", "welch", "randomi", "baseline", "phase"):
        assert jargon not in card.lower()
    assert "not a test of magnesium" in card and "coin toss" in card
