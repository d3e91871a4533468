"""Search snippets show a post's words as readers see them, not its Markdown."""

import pytest

from forum.search import services
from forum.search.snippets import plain

BODY = (
    "## Proposal\n\n"
    "We propose **open** [data portals](https://example.org/portals) for `ministries`:\n\n"
    "- publish _every_ dataset\n"
    "> as the charter says\n"
)


def test_a_snippet_carries_no_markdown(participant, make_thread):
    make_thread(body=BODY)
    (hit,) = services.search(participant, "portals").hits
    snippet = str(hit.snippet)
    assert "<mark>portals</mark>" in snippet
    for markdown in ("**", "](", "example.org/portals", "`", "## ", "- publish", "> as", "_every_"):
        assert markdown not in snippet, markdown
    assert "We propose open data <mark>portals</mark> for ministries" in snippet


def test_a_snippet_keeps_the_words_markdown_wraps(participant, make_thread):
    make_thread(body="Read the **ethics charter** and the [annex on compute](https://example.org/annex).")
    (hit,) = services.search(participant, "annex").hits
    assert "ethics charter" in hit.snippet and "<mark>annex</mark> on compute" in hit.snippet


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("…tals](https://example.org/x) and more", "…tals and more"),
        ("ends inside [a link](https://exa", "ends inside a link"),
        ("ends inside [a lab", "ends inside a lab"),
        ("<https://example.org> autolink", "https://example.org autolink"),
        ("1. one\n2) two\n* three", "one two three"),
        ("snake_case and 5 * 3 = 15 and a < b", "snake_case and 5 * 3 = 15 and a < b"),
    ],
)
def test_passages_cut_anywhere_lose_their_markdown(raw, shown):
    assert plain(raw) == shown
