"""seed_content: creates the launch articles once, updates them, never clobbers staff edits."""

import dataclasses
import shutil

from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse

from articles import launch_content
from articles.admin import ArticleAdminForm
from articles.launch_content import LAUNCH_ARTICLES
from articles.models import Article
from articles.seeding import _current_digest, launch_content_seed
from articles.services import article_save


def test_seed_creates_the_three_launch_articles_complete(db):
    call_command("seed_content", verbosity=0)
    articles = Article.objects.order_by("slug")
    assert articles.count() == 3
    for article in articles:
        assert article.is_live
        assert article.body_html and article.toc
        assert article.references.count() >= 3
        assert article.reviewed_on and article.next_review_due > article.reviewed_on
        assert article.evidence_note and article.evidence_strength
        assert article.tags.exists()
        assert not article.review_overdue


def test_the_magnesium_article_carries_what_the_seed_left_out(db):
    launch_content_seed()
    text = Article.objects.get(slug="magnesium-glycinate-and-restless-legs").body
    for fact in (
        "200 to 400 mg", "30 minutes before bed", "elemental", "14%", "350 mg a day",
        "Diarrhoea", "one small randomised controlled trial", "2024", "gabapentin",
        "two hours", "iron", "Kidney disease",
    ):  # fmt: skip
        assert fact in text, fact
    article = Article.objects.get(slug="magnesium-glycinate-and-restless-legs")
    assert article.evidence_strength == Article.Evidence.LIMITED
    dois = set(article.references.values_list("doi", flat=True))
    assert {"10.5664/jcsm.11390", "10.1016/j.smrv.2019.101218"} <= dois


def test_the_experiment_article_describes_the_randomised_trial(db):
    launch_content_seed()
    article = Article.objects.get(slug="running-a-fair-personal-experiment")
    for fact in (
        "washout", "first 2 nights", "drawn at random", "fingerprint", "dated amendment",
        "size 0 or 00", "microcrystalline cellulose", "allergies", "sealed", "double up",
        "not a treatment", "deviation", "look now anyway", "99.9%", "Haybittle–Peto",
        "Your log suggests magnesium helped by at least the change you chose",
        "Your log suggests no change as large as you chose", "Your log can't tell yet",
        "paired t-test", "effective number of nights", "about a quarter", "CENT 2015",
        "PREEMPT", "Regression to the mean", "Autocorrelation", "placebo", "in your log",
        "not a diagnosis",
    ):  # fmt: skip
        assert fact in article.body, fact
    assert "!" not in article.body and "<" not in article.body
    assert article.reading_minutes == 6
    dois = set(article.references.values_list("doi", flat=True))
    assert {
        "10.1056/NEJM198604033141406", "10.7326/0003-4819-112-4-293", "10.1136/bmj.h1738",
        "10.1001/jamainternmed.2018.3981", "10.1093/brain/awm244", "10.1093/ije/dyh299",
    } <= dois  # fmt: skip
    urls = set(article.references.values_list("url", flat=True))
    assert "https://effectivehealthcare.ahrq.gov/products/n-1-trials/research-2014-1" in urls
    for reference in article.references.all():
        reference.full_clean()


def test_seed_is_idempotent(db):
    first = launch_content_seed()
    stamps = dict(Article.objects.values_list("slug", "updated_at"))
    second = launch_content_seed()
    assert len(first.created) == 3
    assert second.created == [] and second.updated == []
    assert len(second.unchanged) == 3
    assert Article.objects.count() == 3
    assert dict(Article.objects.values_list("slug", "updated_at")) == stamps


def test_seed_updates_articles_it_still_owns(db):
    launch_content_seed()
    spec = dataclasses.replace(LAUNCH_ARTICLES[1], summary="A new summary from the seed.")
    report = launch_content_seed(articles=(LAUNCH_ARTICLES[0], spec, LAUNCH_ARTICLES[2]))
    assert report.updated == [spec.slug]
    assert Article.objects.get(slug=spec.slug).summary == "A new summary from the seed."
    assert Article.objects.count() == 3


def _content_dir_with(tmp_path, monkeypatch, slug, body):
    """A copy of articles/content/ in which one article's Markdown file is replaced."""
    content = tmp_path / "content"
    shutil.copytree(launch_content.CONTENT_DIR, content)
    (content / f"{slug}.md").write_text(body, encoding="utf-8")
    monkeypatch.setattr(launch_content, "CONTENT_DIR", content)


def test_a_changed_body_reaches_an_unedited_article(db, tmp_path, monkeypatch):
    launch_content_seed()
    spec = LAUNCH_ARTICLES[2]
    before = Article.objects.get(slug=spec.slug)
    _content_dir_with(
        tmp_path, monkeypatch, spec.slug, "## A new section\n\nThe rewritten launch text.\n"
    )
    report = launch_content_seed()
    assert report.updated == [spec.slug]
    assert sorted(report.unchanged) == sorted(a.slug for a in LAUNCH_ARTICLES[:2])
    article = Article.objects.get(slug=spec.slug)
    assert article.body == "## A new section\n\nThe rewritten launch text.\n"
    assert "The rewritten launch text." in article.body_html
    assert [entry["text"] for entry in article.toc] == ["A new section"]
    assert article.updated_at > before.updated_at  # the cached rendering is keyed on it
    assert launch_content_seed().unchanged == [a.slug for a in LAUNCH_ARTICLES]


def _admin_save_unchanged(article: Article) -> None:
    """What the admin does when an editor opens an article and saves it without a change."""
    data = model_to_dict(article, fields=ArticleAdminForm._meta.fields)
    data["publish_at"] = article.publish_at.strftime("%Y-%m-%dT%H:%M")
    form = ArticleAdminForm(data=data, instance=article)
    assert form.is_valid(), form.errors
    article_save(article=form.save(commit=False))
    form.save_m2m()


def test_an_unchanged_admin_save_does_not_block_later_updates(db, tmp_path, monkeypatch):
    launch_content_seed()
    spec = LAUNCH_ARTICLES[2]
    _admin_save_unchanged(Article.objects.get(slug=spec.slug))  # strips the final newline
    assert launch_content_seed().kept_edits == []
    _content_dir_with(tmp_path, monkeypatch, spec.slug, "## New\n\nNew launch text.\n")
    assert launch_content_seed().updated == [spec.slug]
    assert "New launch text." in Article.objects.get(slug=spec.slug).body


def test_articles_seeded_with_the_older_digest_still_get_updates(db, tmp_path, monkeypatch):
    launch_content_seed()
    for article in Article.objects.all():  # as the seed stored it before normalising values
        Article.objects.filter(pk=article.pk).update(seed_digest=_current_digest(article, raw=True))
    edited = Article.objects.get(slug=LAUNCH_ARTICLES[0].slug)
    edited.summary = "Edited by our editor."
    edited.status = Article.Status.DRAFT  # live text changes go back to medical review
    article_save(article=edited)
    spec = LAUNCH_ARTICLES[2]
    _content_dir_with(tmp_path, monkeypatch, spec.slug, "## New\n\nNew launch text.\n")
    report = launch_content_seed()
    assert report.updated == [spec.slug]
    assert report.unchanged == [LAUNCH_ARTICLES[1].slug]
    assert report.kept_edits == [LAUNCH_ARTICLES[0].slug]
    assert Article.objects.get(slug=LAUNCH_ARTICLES[0].slug).summary == "Edited by our editor."


def test_seed_never_overwrites_an_article_staff_edited(db):
    launch_content_seed()
    article = Article.objects.get(slug=LAUNCH_ARTICLES[1].slug)
    article.summary = "Edited by our editor."
    article.status = Article.Status.DRAFT  # live text changes go back to medical review
    article_save(article=article)
    spec = dataclasses.replace(LAUNCH_ARTICLES[1], summary="A new summary from the seed.")
    report = launch_content_seed(articles=(spec,))
    assert report.kept_edits == [spec.slug]
    assert Article.objects.get(slug=spec.slug).summary == "Edited by our editor."


def test_a_reference_edit_counts_as_a_staff_edit(db):
    launch_content_seed()
    article = Article.objects.get(slug=LAUNCH_ARTICLES[0].slug)
    article.references.update(title="Edited citation")
    report = launch_content_seed()
    assert LAUNCH_ARTICLES[0].slug in report.kept_edits
    assert set(article.references.values_list("title", flat=True)) == {"Edited citation"}


def test_a_no_op_admin_save_does_not_count_as_an_edit(db):
    launch_content_seed()
    article = Article.objects.get(slug=LAUNCH_ARTICLES[0].slug)
    article.body = article.body.replace("\n", "\r\n")  # what a browser posts
    article_save(article=article)
    assert launch_content_seed().kept_edits == []


def test_seed_does_not_take_a_slug_staff_already_use(db, article_factory):
    article_factory(slug=LAUNCH_ARTICLES[2].slug, title="Our own")
    report = launch_content_seed()
    assert report.conflicts == [LAUNCH_ARTICLES[2].slug]
    assert Article.objects.get(slug=LAUNCH_ARTICLES[2].slug).title == "Our own"


def test_staff_unpublishing_a_seeded_article_is_respected(db):
    launch_content_seed()
    Article.objects.filter(slug=LAUNCH_ARTICLES[0].slug).update(status=Article.Status.DRAFT)
    launch_content_seed()
    assert Article.objects.get(slug=LAUNCH_ARTICLES[0].slug).status == Article.Status.DRAFT


def test_seeded_articles_render_for_a_reader(user_client, db):
    launch_content_seed()
    for spec in LAUNCH_ARTICLES:
        response = user_client.get(reverse("articles:detail", args=[spec.slug]))
        assert response.status_code == 200
        assert spec.title in response.content.decode()
