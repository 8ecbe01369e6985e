"""A newcomer signs up, verifies their email from a real SMTP message, signs in and out."""

import re

from tests.e2e.conftest import assert_accessible


def test_sign_up_verify_sign_in_dashboard_sign_out(page, live_server, smtp_sink, settings):
    settings.SITE_URL = live_server.url
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").click()

    page.wait_for_url("**/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("Email").fill("river@example.com")
    page.get_by_label("What should we call you?").fill("River")
    page.get_by_label("Time zone").select_option("America/New_York")
    assert page.get_by_role("heading", name="Create your account").is_visible()
    assert page.locator('input[type="password"]').count() == 1  # typed once, shown on request
    page.locator("#id_password1").fill("a calm evening routine")
    page.get_by_role("button", name="Show password").click()
    assert page.locator("#id_password1").get_attribute("type") == "text"
    page.get_by_label("I agree that Restwell stores").check()
    # Unticked, the 18+ box is refused in plain words and nothing is created.
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/signup/")
    assert page.get_by_text("Restwell accounts are for adults.").is_visible()
    page.locator("#id_password1").fill("a calm evening routine")
    page.get_by_label("I am 18 or older").check()
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)
    messages = smtp_sink.wait_for(1)
    assert messages[0]["to"] == ["river@example.com"]
    body = messages[0]["message"].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", body).group(0)

    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    # Confirming in the browser that signed up signs in; the first sign-in offers onboarding
    # once, and skipping it goes to the dashboard.
    page.wait_for_url("**/reminders/welcome/")
    assert page.get_by_label("Email me 30 minutes before bedtime to take my magnesium").is_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Skip for now").click()

    page.wait_for_url("**/tracker/")
    assert page.get_by_role("heading", name="Hello, River").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Account").click()
    page.wait_for_url("**/accounts/profile/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Sign in").is_visible()
