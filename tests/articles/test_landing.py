"""The landing page shows what there is to read, even when reading needs an account."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.articles.conftest import make_article

pytestmark = pytest.mark.django_db


def test_newcomers_see_titles_and_summaries_without_links_when_articles_are_private(
    client, settings
):
    settings.ARTICLES_PUBLIC = False
    article = make_article(title="Magnesium and restless legs", summary="What the trials say.")
    make_article(title="A draft nobody sees yet", status=Article.Status.DRAFT)
    page = client.get(reverse("home")).text
    assert "Magnesium and restless legs" in page and "What the trials say." in page
    assert "A draft nobody sees yet" not in page
    assert reverse("articles:detail", kwargs={"slug": article.slug}) not in page
    assert "Reading the articles needs a free account." in page


def test_public_articles_are_linked_from_the_landing_page(client, settings):
    settings.ARTICLES_PUBLIC = True
    article = make_article(title="Magnesium and restless legs")
    page = client.get(reverse("home")).text
    assert reverse("articles:detail", kwargs={"slug": article.slug}) in page
    assert "needs a free account" not in page


def test_the_landing_page_lists_at_most_four_and_sends_members_to_their_dashboard(client, user):
    for n in range(6):
        make_article(title=f"Piece number {n}")
    page = client.get(reverse("home")).text
    assert sum(f"Piece number {n}" in page for n in range(6)) == 4
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse("tracker:dashboard")


def test_the_landing_page_shows_a_real_picture_of_the_dashboard(client):
    from django.contrib.staticfiles import finders

    page = client.get(reverse("home")).text
    assert 'src="/static/img/landing-dashboard.png"' in page
    assert 'alt="The Restwell dashboard on a phone' in page
    assert finders.find("img/landing-dashboard.png")  # drawn by make screenshots
