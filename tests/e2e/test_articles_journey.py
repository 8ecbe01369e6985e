"""An editor (with a real TOTP second factor) publishes a draft in the admin; a reader then
finds it by search and reads it. Strict CSP and axe-core checks apply on every page."""

import re

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from articles.models import Article, Reference
from articles.services import article_approve, article_save, editors_group_ensure
from tests.articles.conftest import make_reviewer
from tests.e2e.conftest import assert_accessible
from tests.e2e.totp import totp_code_to_type
from tests.factories import DEFAULT_PASSWORD, UserFactory


def _sign_in(page, email):
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_editor_publishes_a_draft_and_a_reader_finds_and_reads_it(page, live_server, settings):
    settings.ADMIN_REQUIRE_MFA = True
    editor = UserFactory(email="eddie@example.com", display_name="Eddie", is_staff=True)
    editor.groups.add(editors_group_ensure())
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    UserFactory(email="reader@example.com", display_name="Robin")
    draft = article_save(
        article=Article(
            title="Night cramps are not restless legs",
            slug="night-cramps",
            summary="How to tell a cramp from restless legs.",
            body="## A cramp\n\nA sudden, hard, painful muscle.\n\n## Restless legs\n\nAn urge.",
            evidence_note="Clinical descriptions agree on the difference.",
            evidence_strength=Article.Evidence.MODERATE,
        )
    )
    Reference.objects.create(article=draft, title="A source", url="https://example.org/")
    article_approve(article=draft, user=make_reviewer().user)  # the gate before publishing

    # The editor: admin → allauth sign-in → second factor → the articles list.
    page.goto("/admin/")
    page.wait_for_url("**/accounts/login/**")
    assert_accessible(page)
    _sign_in(page, "eddie@example.com")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.locator("#id_code").fill(totp_code_to_type(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    assert_accessible(page)

    page.locator('a[href="/admin/articles/article/"]').first.click()
    page.wait_for_url("**/admin/articles/article/")
    assert_accessible(page)
    row = page.locator("tr", has_text="Night cramps are not restless legs")
    assert row.get_by_text("Draft").is_visible()

    # The change form (prepopulated slug, inlines: Django's admin JS under our strict CSP),
    # then the preview of the draft at its real URL.
    row.get_by_role("link", name="Night cramps are not restless legs").click()
    page.wait_for_url("**/admin/articles/article/*/change/")
    assert_accessible(page)
    assert page.locator("#id_slug").input_value() == "night-cramps"
    page.get_by_role("link", name="View on site").click()
    page.wait_for_url("**/articles/night-cramps/")
    assert page.locator(".draft-banner").get_by_text("Draft").is_visible()
    assert_accessible(page)
    page.goto("/admin/articles/article/")
    row = page.locator("tr", has_text="Night cramps are not restless legs")
    row.locator("input[name=_selected_action]").check()
    page.locator("select[name=action]").select_option("publish_now")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("1 article published.").wait_for()
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.is_live

    # Sign out (allauth asks to confirm on a page of its own).
    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Sign Out", exact=True).click()
    page.wait_for_url(live_server.url + "/")

    # The reader: sign in, search, read.
    page.goto("/articles/")
    page.wait_for_url("**/accounts/login/**")
    _sign_in(page, "reader@example.com")
    page.wait_for_url("**/articles/")
    assert_accessible(page)
    page.get_by_label("Search articles").fill("cramp")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r".*/articles/\?q=cramp$"))
    assert page.get_by_text("1 article found").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Night cramps are not restless legs").click()
    page.wait_for_url("**/articles/night-cramps/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Night cramps are not restless legs"
    )
    assert page.get_by_text("Clinical descriptions agree on the difference.").is_visible()
    assert page.get_by_role("heading", name="References").is_visible()
    assert page.locator(".draft-banner").count() == 0
    assert_accessible(page)
