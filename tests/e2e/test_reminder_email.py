"""The reminder email as a person sees it: a real message from the SMTP sink, opened in
Chromium at phone width, in the light and the dark theme."""

import re

import pytest

from reminders import dispatch
from reminders.models import Delivery
from tests.factories import UserFactory
from tests.reminders.conftest import DUE, evening_reminder

MINUTE_AFTER = DUE.replace(minute=DUE.minute + 1)


def received_email(smtp_sink, user):
    evening_reminder(user)
    dispatch.reminders_claim_due(now=DUE)
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert dispatch.deliveries_send(delivery_ids=ids, now=MINUTE_AFTER) == 1
    message = smtp_sink.wait_for(1)[0]["message"]
    html = message.get_body(preferencelist=("html",)).get_content()
    plain = message.get_body(preferencelist=("plain",)).get_content()
    return html, plain


@pytest.mark.django_db(transaction=True)
def test_the_email_reads_well_on_a_phone_in_both_themes(browser, smtp_sink):
    html, plain = received_email(smtp_sink, UserFactory(display_name="Sam"))
    for scheme, card_is_dark in (("light", False), ("dark", True)):
        context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
        page = context.new_page()
        page.set_content(html)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        button = page.get_by_role("link", name="I took it").bounding_box()
        assert button["height"] >= 44 and button["width"] >= 44
        for name in ("Remind me in 30 minutes", "Skip tonight", "Change settings"):
            assert page.get_by_role("link", name=name).bounding_box()["height"] >= 44, name
        card = page.locator(".rw-card").first
        background = card.evaluate("e => getComputedStyle(e).backgroundColor")
        red, green, blue = (int(v) for v in re.findall(r"\d+", background)[:3])
        assert (red + green + blue < 200) is card_is_dark, (scheme, background)
        context.close()
    assert "Hello Sam," in plain and "Hello Sam," in html


@pytest.mark.django_db(transaction=True)
def test_the_plain_text_part_carries_every_link_and_no_name_means_hello(smtp_sink):
    html, plain = received_email(smtp_sink, UserFactory(display_name="", email="j.smith1987@x.org"))
    links = set(re.findall(r'href="([^"]+)"', html))
    assert len(links) == 5  # taken, snooze, skip, settings, unsubscribe
    for link in links:
        assert link in plain, link
    assert plain.startswith("Hello,") and "j.smith1987" not in plain + html
