"""Markdown → safe HTML and a table of contents, done once when an article is saved.

Two independent gates. First, our Markdown dialect has no raw HTML: tags typed into the
body are escaped and shown as text, so every element comes from Markdown's own tree, where
external links get rel="nofollow noopener" and images outside our static/media are dropped.
Second, nh3 (ammonia) cleans the result against an allow-list, so a Markdown bug or a
future extension cannot smuggle in anything else.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

WORDS_PER_MINUTE = 200  # an unhurried adult reading pace for plain prose

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "a", "em", "strong",
    "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "img", "sup",
    "sub", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "th": {"scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_REL = "nofollow noopener"
_HEADING_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict]
    reading_minutes: int


def _is_external(href: str) -> bool:
    parts = urlsplit(href)
    if parts.scheme.lower() not in {"http", "https"} and not parts.netloc:
        return False  # a path or #anchor on this site (or mailto:)
    own = urlsplit(settings.SITE_URL).netloc
    return parts.netloc.lower() != own.lower()


def _allowed_href(href: str) -> bool:
    try:
        scheme = urlsplit(href.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in URL_SCHEMES or scheme == ""


def _is_own_image(src: str) -> bool:
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or ".." in parts.path:
        return False
    return parts.path.startswith((settings.STATIC_URL, settings.MEDIA_URL))


class _LinksAndImages(Treeprocessor):
    def run(self, root):
        for heading in root.iter("h1"):
            heading.tag = "h2"  # the page's only <h1> is the article title
        for parent in root.iter():
            for child in list(parent):
                if child.tag == "img" and not _is_own_image(child.get("src", "")):
                    parent.remove(child)  # tail text is lost with it; images are rare
        for link in root.iter("a"):
            if not _allowed_href(link.get("href", "")):
                link.attrib.pop("href", None)  # javascript:, data: and friends
            elif _is_external(link.get("href", "")):
                link.set("rel", EXTERNAL_REL)
        return None


class _SafeDialect(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After "inline" (20) has made the links, before "toc" (5) reads the headings.
        md.treeprocessors.register(_LinksAndImages(md), "restwell_links", 10)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _is_own_image(value) else None
    if attribute == "id":
        return value if _HEADING_ID.match(value) else None
    if tag == "th" and attribute == "scope":
        return value if value in {"col", "row"} else None
    return value


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values={"a": {"rel": {EXTERNAL_REL}}},
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _flatten(tokens: list[dict]) -> list[dict]:
    entries = []
    for token in tokens:
        if _HEADING_ID.match(token["id"]):
            # Markdown gives the name HTML-escaped; templates escape it again on output.
            text = html.unescape(token["name"])
            entries.append({"level": token["level"], "id": token["id"], "text": text})
        entries.extend(_flatten(token["children"]))
    return entries


def reading_minutes(text: str) -> int:
    return max(1, round(len(text.split()) / WORDS_PER_MINUTE))


def render_markdown(source: str) -> Rendered:
    md = markdown.Markdown(
        extensions=[_SafeDialect(), "tables", "sane_lists", "toc"],
        extension_configs={"toc": {"toc_depth": "2-3", "permalink": False}},
        output_format="html",
    )
    body = sanitize(md.convert(source))
    return Rendered(html=body, toc=_flatten(md.toc_tokens), reading_minutes=reading_minutes(source))
