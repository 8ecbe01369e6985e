"""The admin's live preview: staff who write articles post Markdown and get the site's own
rendering back, sanitised; nobody else gets anything."""

import pytest
from django.urls import reverse

from articles.admin import PREVIEW_MAX_CHARS
from articles.rendering import render_markdown

PREVIEW = reverse("admin:articles_article_preview")
SOURCE = "## Hello\n\nSome *words* and <script>alert(1)</script> [x](javascript:alert(1))"


def test_an_editor_gets_the_sites_own_rendering(editor_client):
    response = editor_client.post(PREVIEW, {"body": SOURCE})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert html == render_markdown(SOURCE).html
    assert '<h2 id="hello">Hello</h2>' in html and "<em>words</em>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # shown as text, never run
    assert "javascript:" not in html


def test_the_preview_is_a_post(editor_client):
    assert editor_client.get(PREVIEW).status_code == 405


def test_a_text_too_long_gets_a_plain_message(editor_client):
    response = editor_client.post(PREVIEW, {"body": "a" * (PREVIEW_MAX_CHARS + 1)})
    assert response.status_code == 413 and "too long to preview" in response.text


def test_reviewers_who_cannot_write_get_no_preview(reviewer_client):
    assert reviewer_client.post(PREVIEW, {"body": SOURCE}).status_code == 403


@pytest.mark.parametrize("signed_in", [False, True])
def test_non_staff_are_sent_to_the_admin_login(client, user, signed_in):
    if signed_in:
        client.force_login(user)
    response = client.post(PREVIEW, {"body": SOURCE})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_change_form_carries_the_preview_pane_and_script(editor_client, article_factory):
    article = article_factory()
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert 'id="article-preview"' in html and f'data-preview-url="{PREVIEW}"' in html
    assert "js/article-preview" in html and "<script>" not in html.split("<body")[1]
