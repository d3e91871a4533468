"""Search snippets: a passage of a post's Markdown source, shown as the plain words a reader sees.

The index holds the Markdown a post was written in, so a passage may carry emphasis marks, links'
addresses, list and quote markers. They are taken out before the passage is escaped and its matches
wrapped in <mark>; a passage may start or end inside a link, so half a link is taken out as well.
"""

import re

from markupsafe import Markup, escape

# Unicode noncharacters, reserved for internal use: pairs of them mark the highlights in a snippet.
MARKER_PAIRS = [(chr(code), chr(code + 1)) for code in range(0xFDD0, 0xFDF0, 2)]

# Each (pattern, replacement), applied in order.
MARKDOWN = [
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*\)"), r"\1"),  # [label](address) -> label
    (re.compile(r"^[^\[]*?\]\([^)\s]*\)"), lambda m: m.group(0)[: m.group(0).index("](")]),  # cut before
    (re.compile(r"\]\([^)\s]*$"), ""),  # a link cut inside its address
    (re.compile(r"!?\[(?=[^\]]*$)"), ""),  # a link cut after its label's start
    (re.compile(r"<(https?://[^>\s]+|mailto:[^>\s]+)>"), r"\1"),  # <address> autolinks
    (re.compile(r"</?[A-Za-z][^<>]*>"), ""),  # HTML tags, which the rendered post does not show either
    (re.compile(r"(?m)^[ \t]*(?:#{1,6}|>+|[-*+]|\d{1,9}[.)])[ \t]+"), ""),  # heading, quote, list markers
    (re.compile(r"\*+(?=\S)|(?<=\S)\*+|~~|`+"), ""),  # emphasis (not "5 * 3"), strike-through, code
    (re.compile(r"(?<![^\W_])_+|_+(?![^\W_])"), ""),  # _emphasis_, not snake_case
]


def plain(raw):
    """A Markdown passage as the words it shows, on one line."""
    text = raw or ""
    for pattern, replacement in MARKDOWN:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def markers(bodies):
    """A marker pair found in none of `bodies`, so every marker in a snippet comes from the database."""
    bodies = list(bodies)
    for start, stop in MARKER_PAIRS:
        if not any(start in body or stop in body for body in bodies):
            return start, stop
    # Someone wrote every noncharacter: snippets of this page go without highlights.
    return "", ""


def highlight(raw, start, stop):
    """Snippet text as safe HTML: Markdown taken out, everything escaped, each marked passage in <mark>."""
    html = str(escape(plain(raw)))
    if start:
        marked = re.compile(re.escape(start) + "(.*?)" + re.escape(stop), re.DOTALL)
        html = marked.sub(r"<mark>\1</mark>", html).replace(start, "").replace(stop, "")
    return Markup(html)  # noqa: S704 - built from escaped text and our own <mark> tags only
