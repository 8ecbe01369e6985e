"""Staff must enrol a second factor before the admin opens; the next sign-in asks for it."""

import time

from tests.e2e.conftest import assert_accessible
from tests.e2e.totp import totp_code_to_type
from tests.factories import DEFAULT_PASSWORD, UserFactory


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_staff_enrol_totp_then_use_it_to_reach_the_admin(page, live_server, settings):
    settings.ADMIN_REQUIRE_MFA = True
    staff = UserFactory(is_staff=True, is_superuser=True)

    page.goto("/admin/")
    page.wait_for_url("**/accounts/login/?next=**")
    page.locator("#id_login").fill(staff.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # No second factor yet: the admin sends staff to set one up, after the password again.
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert_accessible(page)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(totp_code_to_type(secret))
    page.get_by_role("button", name="Activate").click()

    page.goto("/admin/")
    assert page.get_by_role("heading", name="Site administration").is_visible()

    # A later sign-in asks for a fresh code from the authenticator.
    page.context.clear_cookies()
    _sign_in(page, staff.email)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    time.sleep(max(0.0, 30 - time.time() % 30 + 0.5))  # the next code: codes are single-use
    page.locator("#id_code").fill(totp_code_to_type(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/admin/")  # staff land in the admin, not on a patient's dashboard
    assert page.get_by_role("heading", name="Site administration").is_visible()
