"""Reads of an article's saved versions (django-simple-history): who wrote the version that
stands now, and a readable line diff between two texts.

"The author of a version" is the person whose save last changed the reviewed text: the
title, summary or body of the article, or any of its references. Saves that change only
the status, dates or tags do not make anyone an author: a clinician who set a review date
still approves text somebody else wrote, and an editor who only scheduled it did not write it.
"""

import difflib
from dataclasses import dataclass

from articles.models import Article, Reference

TEXT_FIELDS = ("title", "summary", "body")


def _text_changed(record) -> bool:
    previous = record.prev_record
    if previous is None:
        return True  # the creation wrote the text
    return any(getattr(record, name) != getattr(previous, name) for name in TEXT_FIELDS)


def version_author(*, article: Article):
    """The user whose save last changed the article's reviewed text, or None when unknown
    (saved outside a request with no user named: the seed, a shell)."""
    latest_article = None
    for record in article.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    ):
        if _text_changed(record):
            latest_article = record
            break
    latest_reference = (
        Reference.history.filter(article_id=article.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    candidates = [r for r in (latest_article, latest_reference) if r is not None]
    if not candidates:
        return None
    return max(candidates, key=lambda record: record.history_date).history_user


def article_text(*, article: Article) -> dict:
    """The reviewed text as a plain dict (what an approval keeps and a diff compares)."""
    references = (
        [
            " · ".join(part for part in (ref.title, ref.url, ref.doi, ref.pubmed_id) if part)
            for ref in article.references.all()
        ]
        if article.pk
        else []
    )
    return {
        "title": article.title,
        "summary": article.summary,
        "body": article.body.replace("\r\n", "\n"),
        "references": references,
    }


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str

    @property
    def sign(self) -> str:
        return {"added": "+", "removed": "−"}.get(self.kind, " ")


@dataclass(frozen=True)
class FieldDiff:
    name: str
    lines: list[DiffLine]

    @property
    def changed(self) -> bool:
        return any(line.kind != "same" for line in self.lines)


def _lines(value) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value or "").split("\n")


def text_diff(old: dict, new: dict, *, context: int = 2) -> list[FieldDiff]:
    """Line by line, per field, with `context` unchanged lines around each change (all lines
    of a short field). Fields that did not change are left out."""
    diffs = []
    for name in (*TEXT_FIELDS, "references"):
        before, after = _lines(old.get(name, "")), _lines(new.get(name, ""))
        if before == after:
            continue
        lines: list[DiffLine] = []
        for group in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_grouped_opcodes(
            context
        ):
            if lines:
                lines.append(DiffLine("same", "…"))
            for tag, i1, i2, j1, j2 in group:
                if tag == "equal":
                    lines.extend(DiffLine("same", text) for text in before[i1:i2])
                    continue
                lines.extend(DiffLine("removed", text) for text in before[i1:i2])
                lines.extend(DiffLine("added", text) for text in after[j1:j2])
        diffs.append(FieldDiff(name=name, lines=lines))
    return diffs
