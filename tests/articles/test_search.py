"""Search: PostgreSQL full-text search ranked by relevance; a simple fallback on SQLite.

The suite runs on both databases (CI runs it twice), so each test here runs on whichever
database is configured; the two engine-specific tests skip on the other engine.
"""

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def _search(client, query, **params):
    response = client.get(reverse("articles:list"), {"q": query, **params})
    assert response.status_code == 200
    return [card.title for card in response.context["page"].object_list]


@pytest.fixture
def library(article_factory):
    return {
        "iron": article_factory(
            title="Iron and restless legs",
            summary="Why ferritin matters.",
            body="## Ferritin\n\nAsk your doctor about a blood test.",
            tags=["Iron"],
        ),
        "magnesium": article_factory(
            title="Magnesium glycinate",
            summary="A gentle form of magnesium.",
            body="## Dose\n\nSome people also take iron, spaced a few hours apart.",
            tags=["Magnesium"],
        ),
        "sleep": article_factory(
            title="Sleeping better",
            summary="Evening routines.",
            body="## Routine\n\nKeep the same bedtime.",
        ),
        "draft": article_factory(
            title="Iron draft",
            status=Article.Status.DRAFT,
            body="iron iron iron",
        ),
    }


def test_search_finds_by_title_summary_and_body(user_client, library):
    assert _search(user_client, "glycinate") == ["Magnesium glycinate"]
    assert _search(user_client, "ferritin") == ["Iron and restless legs"]
    assert _search(user_client, "bedtime") == ["Sleeping better"]


def test_title_matches_rank_above_body_matches(user_client, library):
    assert _search(user_client, "iron") == ["Iron and restless legs", "Magnesium glycinate"]


def test_every_word_must_match(user_client, library):
    assert _search(user_client, "iron ferritin") == ["Iron and restless legs"]
    assert _search(user_client, "iron bedtime") == []


def test_drafts_are_never_found(user_client, library):
    assert "Iron draft" not in _search(user_client, "iron")


def test_search_combines_with_the_tag_filter(user_client, library):
    assert _search(user_client, "iron", tag="magnesium") == ["Magnesium glycinate"]


def test_no_results_says_so(user_client, library):
    response = user_client.get(reverse("articles:list"), {"q": "zebra"})
    assert "Nothing matched" in response.content.decode()


@pytest.mark.parametrize("query", ['"unclosed', "a & | ! : *", "-", "or", "'", "\\", "x" * 300])
def test_odd_queries_never_fail(user_client, library, query):
    _search(user_client, query)


@on_postgres
def test_postgres_search_understands_word_forms(user_client, library):
    # English stemming: "routine" matches "Routines"; "doctors" matches "doctor".
    assert _search(user_client, "routine") == ["Sleeping better"]
    assert _search(user_client, "doctors") == ["Iron and restless legs"]
    # websearch syntax: exclude a word.
    assert _search(user_client, "iron -ferritin") == ["Magnesium glycinate"]


@on_sqlite
def test_sqlite_fallback_matches_substrings_case_insensitively(user_client, library):
    assert _search(user_client, "GLYCIN") == ["Magnesium glycinate"]
