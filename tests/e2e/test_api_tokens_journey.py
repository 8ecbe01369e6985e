"""API tokens in a phone-sized browser: create one, copy it once, use it, revoke it."""

from playwright.sync_api import expect

from api.models import PersonalAccessToken
from tests.e2e.conftest import assert_accessible, sign_in
from tests.e2e.test_phone_layout import OVERFLOW
from tests.factories import UserFactory


def test_create_use_and_revoke_a_token(page, live_server, transactional_db):
    user = UserFactory()
    sign_in(page, user)
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="API tokens").click()
    page.wait_for_url("**/accounts/tokens/")
    assert_accessible(page)
    expect(page.get_by_text("No tokens yet.")).to_be_visible()

    page.get_by_label("Name").fill("Phone app")
    page.get_by_label("Read and write: also log nights and doses").check()
    page.get_by_label("Expires after").select_option("30")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Token").input_value()
    assert secret.startswith("rw_") and len(secret) > 40
    assert_accessible(page)
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], f"the token page scrolls sideways: {found}"

    api = page.request
    headers = {"Authorization": f"Bearer {secret}"}
    created = api.post(
        f"{live_server.url}/api/v1/nights/", headers=headers,
        data={"evening": "2026-01-10", "severity": 2, "sleep_quality": 4},
    )  # fmt: skip
    assert created.status == 201, created.text()
    assert api.get(f"{live_server.url}/api/v1/nights/", headers=headers).json()["count"] == 1

    page.goto("/accounts/tokens/")
    assert secret not in page.content()
    row = page.get_by_role("listitem").filter(has_text="Phone app")
    expect(row).to_contain_text("Read and write")
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("The token “Phone app” is revoked.")).to_be_visible()
    assert PersonalAccessToken.objects.get(user=user).revoked_at is not None
    assert api.get(f"{live_server.url}/api/v1/nights/", headers=headers).status == 401
