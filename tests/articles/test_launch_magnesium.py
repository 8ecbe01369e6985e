"""The magnesium launch article after the clinical read (issue 11, items 6 and 7): claims
without support are qualified, the 2022 and 2024 studies are there with their weaknesses,
the verdict stays "limited", and the seed carries the new text to unedited databases."""

import pytest
from django.test import Client

from articles.launch_content import LAUNCH_ARTICLES
from articles.models import Article
from articles.seeding import launch_content_seed
from articles.selectors import article_approval
from articles.services import article_approve, article_save
from tests.articles.conftest import make_reviewer
from tests.articles.test_seed import _content_dir_with

SPEC = LAUNCH_ARTICLES[0]
OLD_BODY = (  # the sentences the clinical read found stated as fact without support
    "low intake is linked with cramps, poor sleep and feeling on edge",
    "It is generally well absorbed",
    "a well-absorbed, gentle form of magnesium",
    "about 30 minutes before bed, if you take it",
)


def test_unsupported_claims_are_gone_or_qualified():
    body = SPEC.body
    for claim in OLD_BODY:
        assert claim not in body.replace("\n", " ").replace("  ", " "), claim
    flat = " ".join(body.split())
    assert "that is a common claim, not an established fact" in flat
    assert "Cochrane review" in flat and "unlikely to help" in flat
    assert 'read "well absorbed" as a label\'s claim, not a proven advantage' in flat
    assert "30 minutes before bed** is a common suggestion, not a tested one" in flat
    assert "Restwell's evening reminder still defaults to 30 minutes before your bedtime" in flat


def test_the_newer_studies_are_there_with_their_weaknesses():
    flat = " ".join(SPEC.body.split())
    for fact in (
        "Jadidi et al. (2022)", "**single-blind**, not double-blind", "75 people",
        "250 mg of magnesium oxide", "After one month the groups did not differ",
        "Gorantla et al. (2024)", "12 adults", "**open-label**", "**no comparison group**",
        "Neither changes the verdict",
    ):  # fmt: skip
        assert fact in flat, fact
    assert SPEC.evidence_strength == "limited"
    assert "single-blind" in SPEC.evidence_note and "open-label" in SPEC.evidence_note
    assert len(SPEC.evidence_note) <= 800


@pytest.mark.django_db
def test_the_references_name_each_source_and_validate():
    launch_content_seed()
    article = Article.objects.get(slug=SPEC.slug)
    dois = set(article.references.values_list("doi", flat=True))
    assert {
        "10.1186/s12906-022-03814-8",  # Jadidi 2022
        "10.1002/14651858.CD009402.pub3",  # Garrison 2020 (Cochrane, cramps)
        "10.1016/j.smrv.2019.101218",  # Marshall 2019
    } <= dois
    gorantla = article.references.get(pubmed_id="38738598")
    assert "J Clin Sleep Med. 2024;20(8):1357-1361" in gorantla.title and gorantla.doi == ""
    for reference in article.references.all():
        reference.full_clean()


@pytest.mark.django_db
def test_a_database_seeded_with_the_old_text_gets_the_new_one_once(tmp_path, monkeypatch):
    old = "## Why magnesium comes up\n\nLow intake is linked with cramps, poor sleep.\n"
    with monkeypatch.context() as patched:
        _content_dir_with(tmp_path, patched, SPEC.slug, old)
        launch_content_seed()
    assert "Low intake is linked" in Article.objects.get(slug=SPEC.slug).body
    report = launch_content_seed()
    assert report.updated == [SPEC.slug]
    article = Article.objects.get(slug=SPEC.slug)
    assert "Jadidi et al. (2022)" in article.body and "Low intake is linked" not in article.body
    assert launch_content_seed().unchanged == [spec.slug for spec in LAUNCH_ARTICLES]
    assert Article.objects.filter(slug=SPEC.slug).count() == 1


@pytest.mark.django_db
def test_reviewed_launch_text_awaits_review_again_once_its_text_changes(user):
    launch_content_seed()
    article = Article.objects.get(slug=SPEC.slug)
    article_approve(article=article, user=make_reviewer().user)
    reader = Client()
    reader.force_login(user)
    assert "Reviewed by Dr Test" in reader.get(article.get_absolute_url()).text
    article.body += "\n\nOne more sentence."
    article.status = Article.Status.DRAFT  # a live text changes only through review
    article_save(article=article)
    assert article_approval(article=article) is None
    # Put back exactly as approved, it is approved again: the approval was of that text.
    article.body = article.body.removesuffix("\n\nOne more sentence.")
    article_save(article=article)
    assert article_approval(article=article) is not None
