"""Milligrams are written one way everywhere: "100 mg", "28.2 mg", never "1E+2"."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from tracker import services
from tracker.amounts import mg_text

NOW = datetime.datetime(2026, 6, 15, 19, 0, tzinfo=datetime.UTC)  # 20:00 in London


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (100, "100"),
        (120, "120"),
        (200, "200"),
        (28.2, "28.2"),
        (0.5, "0.5"),
        (1000, "1000"),
        (Decimal("1E+2"), "100"),
        (Decimal("5E+2"), "500"),
        (Decimal("200.0"), "200"),
        (Decimal("28.25"), "28.3"),  # half up, as the dose conversion rounds
        (187.54, "187.5"),
        ("350", "350"),
    ],
)
def test_mg_text(value, text):
    assert mg_text(value) == text


def test_the_template_filter_uses_the_same_rule():
    template = Template("{% load amounts %}[{{ a|mg }}] [{{ b|mg }}] [{{ c|mg }}]")
    context = Context({"a": Decimal("1E+2"), "b": 28.2, "c": None})
    assert template.render(context) == "[100] [28.2] []"


def _post_dose(client, mg):
    return client.post(
        reverse("tracker:dose_new"),
        {
            "taken_at": "2026-06-15T20:00",
            "form": "glycinate",
            "amount_mg": str(mg),
            "unit": "elemental",
        },
        follow=True,
    )


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("mg", [100, 120, 200])
def test_the_dose_message_and_pages_write_round_amounts_plainly(user_client, travel, mg):
    text = _post_dose(user_client, mg).text
    assert f"Dose logged: {mg} mg elemental at 20:00." in text
    assert "E+" not in text
    dashboard = user_client.get(reverse("tracker:dashboard")).text
    assert f"Logged at 20:00 ({mg} mg elemental)" in dashboard
    csv = user_client.get(reverse("tracker:export_csv"), {"type": "doses"}).text
    assert f",glycinate,{mg},," in csv


def test_the_safety_note_writes_the_evening_total_plainly(user_client, user, travel):
    services.dose_record(
        user=user,
        taken_at=NOW - datetime.timedelta(hours=1),
        form="glycinate",
        amount_mg=200,
        unit="elemental",
    )
    text = _post_dose(user_client, 300).text
    assert "Dose logged: 300 mg elemental at 20:00." in text
    assert "adds up to 500 mg elemental, above the 350 mg a day upper level" in text
    assert "E+" not in text


def test_the_typo_message_writes_the_amount_plainly(user_client, travel):
    response = _post_dose(user_client, 1500)
    assert "That is 1500 mg elemental in one dose, above 1000 mg" in response.text
