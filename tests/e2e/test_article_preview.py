"""The admin's live Markdown preview in Chromium, under the strict CSP: an editor types, the
pane shows the site's rendering, and a typed <script> stays text."""

from articles.models import Article
from articles.services import article_save, editors_group_ensure
from tests.e2e.conftest import assert_accessible
from tests.factories import DEFAULT_PASSWORD, UserFactory


def test_an_editor_types_markdown_and_sees_it_rendered(page, live_server, settings):
    settings.ADMIN_REQUIRE_MFA = False
    editor = UserFactory(email="eddie@example.com", is_staff=True)
    editor.groups.add(editors_group_ensure())
    draft = article_save(
        article=Article(
            title="Leg cramps",
            slug="leg-cramps",
            summary="How to tell them apart.",
            body="Start.",
            evidence_note="Descriptions agree.",
            evidence_strength=Article.Evidence.MODERATE,
        )
    )

    page.goto(f"/admin/articles/article/{draft.pk}/change/")
    page.wait_for_url("**/accounts/login/**")
    page.locator("#id_login").fill(editor.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/admin/articles/article/{draft.pk}/change/")

    pane = page.locator("#article-preview .article-preview-body")
    pane.get_by_text("Start.").wait_for()  # rendered once on load
    body = page.locator("#id_body")
    body.fill("")
    body.press_sequentially(
        "## A heading\n\nSome **bold** text <script>window.hacked = 1</script>", delay=5
    )
    pane.get_by_role("heading", name="A heading").wait_for()
    assert pane.locator("strong").inner_text() == "bold"
    page.get_by_text("<script>window.hacked = 1</script>").wait_for()  # shown as text
    assert pane.locator("script").count() == 0
    assert page.evaluate("window.hacked") is None
    assert_accessible(page)


def test_on_a_wide_screen_the_preview_sits_beside_the_body(page, live_server, settings):
    settings.ADMIN_REQUIRE_MFA = False
    editor = UserFactory(email="wide@example.com", is_staff=True)
    editor.groups.add(editors_group_ensure())
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto("/admin/articles/article/add/")
    page.locator("#id_login").fill(editor.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/articles/article/add/")
    page.locator("#id_body").fill("# Title becomes h2")
    page.locator("#article-preview h2", has_text="Title becomes h2").wait_for()
    body_box = page.locator("#id_body").bounding_box()
    pane_box = page.locator("#article-preview").bounding_box()
    assert pane_box["x"] > body_box["x"] + body_box["width"] - 1  # to its right
    assert abs(pane_box["y"] - body_box["y"]) < 200  # at the same height
    assert_accessible(page)


def test_a_reviewer_reads_the_diff_approves_and_reads_the_history(page, live_server, settings):
    from articles.services import article_approve
    from tests.articles.conftest import make_reviewer

    settings.ADMIN_REQUIRE_MFA = False
    editor = UserFactory(email="ed@example.com", is_staff=True)
    editor.groups.add(editors_group_ensure())
    article = article_save(
        article=Article(
            title="Iron and restless legs",
            slug="iron-rls",
            summary="Why ferritin matters.",
            body="Line one.\n\nLine two.",
            evidence_note="Consensus.",
            evidence_strength=Article.Evidence.MODERATE,
        )
    )
    article_approve(article=article, user=make_reviewer(display_name="Dr First").user)
    article.body = "Line one.\n\nLine two, corrected."
    article_save(article=article, author=editor)
    reviewer = make_reviewer(display_name="Dr Second").user

    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator("#id_login").fill(reviewer.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert_accessible(page)
    page.get_by_role("link", name="Review and approve this version").click()
    page.get_by_text("What changed since Dr First approved it").wait_for()
    assert page.locator(".diff-added").inner_text() == "+ Line two, corrected."
    assert page.locator(".diff-removed").inner_text() == "− Line two."
    assert_accessible(page)
    page.get_by_role("button", name="Approve this version").click()
    page.get_by_text("You approved this version").wait_for()
    page.goto(f"/admin/articles/article/{article.pk}/history/")
    page.locator(".diff-added", has_text="Line two, corrected.").first.wait_for()
    assert_accessible(page)
    first = article.history.earliest("history_date")
    page.goto(f"/admin/articles/article/{article.pk}/history/{first.history_id}/")
    page.get_by_text("Line two.").first.wait_for()  # the old version, read-only for reviewers
    assert_accessible(page)
