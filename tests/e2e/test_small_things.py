"""Small things a tired eye notices: in the dark theme an unchecked box or radio is still
visible, and a factor chip's text sits in its middle."""

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import UserFactory


def _luminance(css_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(v) for v in re.findall(r"\d+", css_colour)[:3])
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def _contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.django_db(transaction=True)
def test_unchecked_choices_show_in_the_dark_and_chips_are_centred(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, color_scheme="dark"
    )
    page = context.new_page()
    sign_in(page, UserFactory())
    page.goto("/tracker/nights/new/")
    assert page.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    radio = page.locator("input[type=radio]:not(:checked)").first
    edge = radio.evaluate("e => getComputedStyle(e).borderTopColor")
    assert _contrast(edge, background) >= 3, (edge, background)
    chip = page.locator(".chips label").first
    assert chip.evaluate("e => getComputedStyle(e).justifyContent") == "center"
    assert chip.evaluate("e => getComputedStyle(e).alignItems") == "center"
    assert chip.bounding_box()["height"] >= 44
    context.close()
