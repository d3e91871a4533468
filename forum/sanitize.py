"""The one place that turns user Markdown into safe HTML (bleach is imported nowhere else)."""

from functools import partial

import bleach
from bleach.linkifier import DEFAULT_CALLBACKS, LinkifyFilter
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"a", "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "h3", "h4", "hr"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Raw HTML in the source is shown as text, never interpreted.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")


def _demote_headings(state):
    """Post headings become h3/h4 so they never outrank the page's own h1 and h2."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = "h3" if token.tag in ("h1", "h2", "h3") else "h4"


_markdown.core.ruler.push("demote_headings", _demote_headings)


def _link_rel(attrs, new=False):
    """Every link gets rel="nofollow ugc noopener"."""
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


# Linkify as a filter of the cleaner: bleach.linkify() on its own double-escapes text inside skipped tags.
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    filters=[partial(LinkifyFilter, callbacks=[*DEFAULT_CALLBACKS, _link_rel], skip_tags={"pre", "code"})],
)


def clean_html(html):
    """Keep only the allowed tags, attributes and link protocols; link bare URLs."""
    return _cleaner.clean(html)


def markdown_to_html(source):
    """Render Markdown `source` to sanitized HTML, ready to store as body_html."""
    return clean_html(_markdown.render(source or ""))
