"""Markdown rendering: a corpus of XSS payloads must come out inert; the TOC and links work."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, sanitize

XSS_CORPUS = [
    # script tags, in every spelling
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\n>alert(1)</script\n>",
    "<<script>alert(1);//<</script>",
    # event-handler attributes
    "<img src=x onerror=alert(1)>",
    '<img src="/static/x.png" onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<a href=/ onclick=alert(1)>x</a>",
    '<details open ontoggle="alert(1)">',
    "<input autofocus onfocus=alert(1)>",
    # javascript: and data: URLs, plain and obfuscated
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    # styles
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    # broken and nested HTML
    "<img src=x onerror=alert(1)//",
    '<a href="/x" <script>alert(1)</script>>x</a>',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    # Markdown link tricks
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](  javascript:alert(1)  )",
    "[x](<javascript:alert(1)>)",
    "[x](java&#x73;cript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](https://evil.example/pixel.png)",
    "![x](//evil.example/pixel.png)",
    "![x](/static/../../etc/passwd)",
    '![x](x" onerror="alert(1))',
    "[![img](https://evil.example/a.png)](javascript:alert(1))",
    "## Heading <img src=x onerror=alert(1)>",
    "## javascript:alert(1)",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "> <iframe src=https://evil.example></iframe>",
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
]

SAFE_SCHEMES = {"", "http", "https", "mailto"}


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in {"href", "src"}:
                scheme = urlsplit((value or "").strip()).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r}")
            if tag == "img" and name == "src" and not value.startswith(("/static/", "/media/")):
                self.problems.append(f"foreign image {value!r}")
            if name == "rel" and value != "nofollow noopener":
                self.problems.append(f"rel={value!r}")

    handle_startendtag = handle_starttag


def _problems(html: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    lowered = html.lower()
    # Text that merely *shows* a payload is fine ("&lt;script&gt;"); live markup is not.
    for needle in ("<script", "<svg", "<iframe", "<style", "<object", "<embed", "<math"):
        if needle in lowered:
            inspector.problems.append(f"raw {needle}")
    return inspector.problems


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_xss_payloads_come_out_inert(payload):
    assert _problems(render_markdown(payload).html) == []


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_the_sanitiser_alone_also_stops_them(payload):
    """Defence in depth: nh3 would catch these even if Markdown let raw HTML through."""
    assert _problems(sanitize(payload)) == []


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("<>\"'=/:[]()!#*`&;javscriptonerrlimg \n")), max_size=80)
)
def test_random_markup_soup_is_always_inert(source):
    assert _problems(render_markdown(source).html) == []


def test_ordinary_markdown_survives():
    html = render_markdown(
        "## Dose\n\nTake **200 mg** with *water*.\n\n- one\n- two\n\n1. first\n\n"
        "> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![chart](/static/img/chart.png)\n"
    ).html
    for fragment in (
        '<h2 id="dose">Dose</h2>', "<strong>200 mg</strong>", "<em>water</em>", "<ul>",
        "<ol>", "<blockquote>", "<table>", "<td>1</td>", 'src="/static/img/chart.png"',
    ):  # fmt: skip
        assert fragment in html


def test_external_links_get_nofollow_noopener_and_internal_links_do_not(settings):
    settings.SITE_URL = "https://restwell.example"
    html = render_markdown(
        "[a](https://ods.od.nih.gov/) [b](/tracker/) [c](https://restwell.example/articles/) "
        "[d](mailto:help@example.org) [e](#dose)"
    ).html
    assert '<a href="https://ods.od.nih.gov/" rel="nofollow noopener">a</a>' in html
    assert '<a href="/tracker/">b</a>' in html
    assert '<a href="https://restwell.example/articles/">c</a>' in html
    assert '<a href="mailto:help@example.org">d</a>' in html
    assert '<a href="#dose">e</a>' in html


def test_table_alignment_styles_are_dropped():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |").html
    assert "style" not in html


def test_table_of_contents_from_headings():
    rendered = render_markdown(
        "## Top & <tail>\n\ntext\n\n### Inner\n\ntext\n\n#### Too deep\n\n## Second\n"
    )
    assert rendered.toc == [
        {"level": 2, "id": "top-tail", "text": "Top & <tail>"},
        {"level": 3, "id": "inner", "text": "Inner"},
        {"level": 2, "id": "second", "text": "Second"},
    ]
    assert '<h2 id="top-tail">' in rendered.html


def test_a_level_one_heading_becomes_h2():
    # The page's <h1> is the article title: headings stay in order.
    rendered = render_markdown("# Title\n\n## Next\n")
    assert "<h1" not in rendered.html
    assert [entry["level"] for entry in rendered.toc] == [2, 2]


def test_duplicate_headings_get_distinct_ids():
    toc = render_markdown("## Dose\n\n## Dose\n").toc
    assert [entry["id"] for entry in toc] == ["dose", "dose_1"]


def test_reading_time():
    assert render_markdown("word " * 10).reading_minutes == 1
    assert render_markdown("word " * 1000).reading_minutes == 5
