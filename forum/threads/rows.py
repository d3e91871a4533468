"""A page's posts as plain rows: everything their fragments and their readers' controls are made from.

One statement reads a page — its posts, their authors' names, whether the post each one answers is
published, and how many posts the page's filter holds — without building mapped objects: the thread
page reads one whenever a kept page has aged out or changed, and mapped objects cost several times
more than the rows. A live event's post becomes the same row (`PostRow.of`), so a fragment is made
from one shape whichever way it comes.
"""

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, text

from forum.database import UTCDateTime
from forum.extensions import db
from forum.states import AccountStatus, PostState

POSTS_PER_PAGE = 20


class PostRow(NamedTuple):
    """One post as a page shows it; `reply_to_id` only while the post it answers is published."""

    id: int
    state: str
    author_id: int
    language: str | None
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    endorsement_count: int
    reply_to_id: int | None
    state_reason: str | None
    written_group: str
    written_country: str | None
    attribution: str
    author_name: str
    author_organisation: str
    author_verified: bool

    @classmethod
    def of(cls, post):
        """The row of a mapped post."""
        answered = post.reply_to is not None and post.reply_to.state == PostState.PUBLISHED
        author = post.author
        return cls(
            post.id, post.state, post.author_id, post.language, post.body_html, post.created_at,
            post.edited_at, post.endorsement_count, post.reply_to_id if answered else None,
            post.state_reason, post.written_group, post.written_country, post.thread.attribution,
            author.name, author.organisation, author.is_verified,
        )  # fmt: skip


# The posts of a thread a reader sees: every post in a state of :shown, and their own in a state of :own.
_SHOWN = "thread_id = :thread AND (state IN :shown OR (author_id = :viewer AND state IN :own))"
_LANGUAGE = " AND language = :language"
# Plain SQL, built once: the page's ids and the count of them all come from the thread's posts alone
# (an index holds them); only the page's posts are then joined to their authors and the posts they answer.
_PAGE = f"""
SELECT p.id, p.state, p.author_id, p.language, p.body_html, p.created_at, p.edited_at, p.endorsement_count,
  CASE WHEN parent.state = '{PostState.PUBLISHED}' THEN p.reply_to_id END, p.state_reason,
  p.written_group, p.written_country, u.name, u.organisation,
  u.status = '{AccountStatus.VERIFIED}', shown.total
FROM (SELECT id, COUNT(*) OVER () AS total FROM post WHERE {{where}} ORDER BY id LIMIT :size OFFSET :skip)
  shown
JOIN post p ON p.id = shown.id
JOIN users u ON u.id = p.author_id
LEFT JOIN post parent ON parent.id = p.reply_to_id
ORDER BY p.id
"""  # noqa: S608 - the states are the enums' values
_COUNT = "SELECT COUNT(*) FROM post WHERE {where}"


def _statement(sql, where):
    """`sql` about the posts `where` keeps, its lists of states expanded when run."""
    expanding = (bindparam("shown", expanding=True), bindparam("own", expanding=True))
    return text(sql.format(where=where)).bindparams(*expanding)


_STATEMENTS = {
    language: (
        _statement(_PAGE, where).columns(created_at=UTCDateTime(), edited_at=UTCDateTime()),
        _statement(_COUNT, where),
    )
    for language, where in ((False, _SHOWN), (True, _SHOWN + _LANGUAGE))
}


def page(thread, seen, number, language=None):
    """(rows of page `number` of `thread`, the page shown, number of pages) as one reader sees them.

    `seen` is (states shown of every post, states shown of the reader's own posts, the reader's id or
    None); `language` keeps the posts written in it. A number past the last page shows the last page.
    """
    shown, own, viewer = seen
    values = {"thread": thread.id, "shown": list(shown), "own": list(own) or [""], "viewer": viewer or 0}
    if language is not None:
        values["language"] = language
    page_sql, count_sql = _STATEMENTS[language is not None]
    connection = db.session.connection()
    number = max(1, number)

    def read(number):
        """The rows of page `number`."""
        skip = (number - 1) * POSTS_PER_PAGE
        return connection.execute(page_sql, {**values, "size": POSTS_PER_PAGE, "skip": skip}).all()

    found = read(number)
    if not found and number > 1:
        # Past the end: count, then read the last page.
        total = connection.execute(count_sql, values).scalar()
        number = max(1, -(-total // POSTS_PER_PAGE))
        found = read(number)
    total = found[0][-1] if found else 0
    # bool(): SQLite hands back 0 or 1 for the comparison.
    rows = tuple(PostRow(*row[:12], thread.attribution, row[12], row[13], bool(row[14])) for row in found)
    return rows, number, max(1, -(-total // POSTS_PER_PAGE))
