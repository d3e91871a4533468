"""The one place that turns user Markdown into safe HTML (bleach is imported nowhere else)."""

import re
from functools import partial

import bleach
from bleach.linkifier import DEFAULT_CALLBACKS, LinkifyFilter, build_url_re
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = frozenset(
    {"a", "p", "br", "strong", "em", "s", "code", "pre", "blockquote", "ul", "ol", "li", "h3", "h4", "hr"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel", "class"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Raw HTML in the source is shown as text, never interpreted.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")


def _demote_headings(state):
    """Post headings become h3/h4 so they never outrank the page's own h1 and h2."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = "h3" if token.tag in ("h1", "h2", "h3") else "h4"


_markdown.core.ruler.push("demote_headings", _demote_headings)

MENTION = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9._-]{1,38}[a-z0-9])", re.IGNORECASE)


def _link_mentions(state):
    """Turn @handle in plain text (never in code or links) into a profile link, for handles that exist."""
    resolve = state.env.get("mention_url")
    if resolve is None:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            depth += token.type == "link_open"
            depth -= token.type == "link_close"
            if token.type != "text" or depth or "@" not in token.content:
                children.append(token)
                continue
            children.extend(_split_mentions(token, resolve, state))
        block.children = children


def _split_mentions(token, resolve, state):
    """The tokens of one text token with each known mention made a link."""
    tokens, position = [], 0
    for match in MENTION.finditer(token.content):
        url = resolve(match.group(1).lower())
        if url is None:
            continue
        if match.start() > position:
            tokens.append(_text(state, token.content[position : match.start()]))
        link = Token("link_open", "a", 1)
        link.attrs = {"href": url, "class": "mention"}
        tokens += [link, _text(state, match.group(0)), Token("link_close", "a", -1)]
        position = match.end()
    if position < len(token.content):
        tokens.append(_text(state, token.content[position:]))
    return tokens


def _text(state, content):
    """A plain text token."""
    token = Token("text", "", 0)
    token.content = content
    return token


_markdown.core.ruler.push("mentions", _link_mentions)


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
    # The linkifier runs after the protocol check, so it may only make links with allowed protocols.
    filters=[
        partial(
            LinkifyFilter,
            callbacks=[*DEFAULT_CALLBACKS, _link_rel],
            skip_tags={"pre", "code"},
            url_re=build_url_re(protocols=ALLOWED_PROTOCOLS),
        )
    ],
)


def clean_html(html):
    """Keep only the allowed tags, attributes and link protocols; link bare URLs."""
    return _cleaner.clean(html)


def markdown_to_html(source, mention_url=None):
    """Render Markdown `source` to sanitized HTML, ready to store as body_html.

    `mention_url(handle)` gives the profile URL of a user, or None when no such user exists.
    """
    return clean_html(_markdown.render(source or "", {"mention_url": mention_url}))


def mentioned_handles(source):
    """The lower-cased handles @mentioned in `source`, in order of first appearance."""
    return list(dict.fromkeys(match.group(1).lower() for match in MENTION.finditer(source or "")))
