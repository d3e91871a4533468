"""The ranking window: every page is exactly the page of the full ranking, however narrow the window."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from forum.accounts.models import User
from forum.search import services
from forum.threads.models import Post, Theme, Thread

# Posts sharing a body share a score: the window's end falls among equals, as on a busy forum.
TOP = "Kelp kelp kelp kelp."
STRONG = "Kelp, kelp and more kelp."
MIDDLE = "Kelp farming grows kelp along the coast."
WEAK = "A longer note that mentions kelp only once among a good many other words."
# (WINDOW_PER_HIT, FILTER_SHARE, MAX_WINDOW): the real ones; a first window of one page, filters or not,
# that widens; one that soon gives way to ranking every match in the database; and that ranking alone.
SETTINGS = [
    pytest.param(None, id="defaults"),
    pytest.param((1, 1, 5_000), id="widening"),
    pytest.param((1, 1, 30), id="fallback-after-widening"),
    pytest.param((1, 1, 0), id="fallback-only"),
]
FILTERS = [
    {},
    {"theme": "kelp-south"},
    {"kind": "question"},
    {"group": "member_state"},
    {"theme": "kelp-north", "group": "member_state"},
    {"date_from": date(2026, 7, 6), "date_to": date(2026, 7, 6)},
    {"theme": "no-such-theme"},
]


@pytest.fixture
def kelp(db, make_user, make_theme, make_thread, make_post):
    """About ninety posts on kelp in two themes, mostly tied in score, created out of id order."""
    scholar = make_user(stakeholder_group="academia")
    delegate = make_user(stakeholder_group="member_state")
    north = make_thread(author=scholar, theme=make_theme(slug="kelp-north"), title="Coasts", body=STRONG)
    south = make_thread(
        author=delegate, theme=make_theme(slug="kelp-south"), kind="question", title="Seas", body=WEAK
    )
    posts = [db.session.get(Post, thread.first_post_id) for thread in (north, south)]
    for n in range(30):
        posts.append(make_post(north, author=(scholar, delegate)[n % 2], body=STRONG if n % 3 else TOP))
        posts.append(make_post(north, author=scholar, body=MIDDLE if n % 3 else WEAK))
        # Of the south thread's replies, three are among the best and three more among the strong.
        body = (TOP, STRONG)[n % 10 // 5] if n % 5 == 0 else WEAK
        posts.append(make_post(south, author=(delegate, scholar)[n % 3 == 0], body=body))
    # Creation times neither follow the ids nor differ everywhere: recency alone does not decide.
    start = datetime(2026, 7, 5, 12, tzinfo=UTC)
    for n, post in enumerate(posts):
        post.created_at = start + timedelta(hours=(n * 7) % 40)
    db.session.commit()
    return posts


def reference(db, words, theme=None, kind=None, group=None, date_from=None, date_to=None):
    """Every visible match in order, from one query that ranks and sorts them all, as search() once did."""
    backend = services._backend(services.parse(words))
    query = (
        select(Post.id)
        .join(backend.index, backend.key == Post.id)
        .join(Post.thread)
        .where(backend.matches(), Post.state == "published", Thread.state == "published")
        .order_by(backend.score(), Post.created_at.desc(), Post.id.desc())
    )
    if theme:
        query = query.join(Theme, Theme.id == Thread.theme_id).where(Theme.slug == theme)
    if kind:
        query = query.where(Thread.kind == kind)
    if group:
        query = query.join(User, User.id == Post.author_id).where(User.stakeholder_group == group)
    if date_from:
        query = query.where(Post.created_at >= services._geneva_midnight(date_from))
    if date_to:
        query = query.where(Post.created_at < services._geneva_midnight(date_to + timedelta(days=1)))
    return db.session.scalars(query).all()


def every_page(viewer, words, **filters):
    """The ids on each page of search() until the last, checking the pages' flags on the way."""
    pages = []
    while True:
        results = services.search(viewer, words, page=len(pages) + 1, **filters)
        assert results.has_prev == bool(pages)
        pages.append([hit.post.id for hit in results.hits])
        if not results.has_next:
            return pages
        assert len(pages[-1]) == services.PAGE_SIZE


@pytest.fixture
def rankings(db):
    """A list that fills with the statements that rank the index's matches."""
    statements = []

    def remember(conn, cursor, statement, *args):
        if "bm25(" in statement or "ts_rank(" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    yield statements
    event.remove(db.engine, "before_cursor_execute", remember)


@pytest.fixture
def windows(monkeypatch):
    """A list that fills with the number of candidates of each window checked for visibility and filters."""
    sizes = []
    for backend in (services.Fts5, services.Postgres):
        among = backend.among

        def spy(self, ids, among=among):
            sizes.append(len(ids))
            return among(self, ids)

        monkeypatch.setattr(backend, "among", spy)
    return sizes


@pytest.mark.parametrize("settings", SETTINGS)
def test_every_page_is_the_page_of_the_full_ranking(db, participant, kelp, monkeypatch, settings):
    if settings:
        for name, value in zip(("WINDOW_PER_HIT", "FILTER_SHARE", "MAX_WINDOW"), settings, strict=True):
            monkeypatch.setattr(services, name, value)
    for filters in FILTERS:
        expected = reference(db, "kelp", **filters)
        pages = every_page(participant, "kelp", **filters)
        assert [post_id for page in pages for post_id in page] == expected, filters
        assert all(pages[:-1]) and len(pages) == max(1, -(-len(expected) // services.PAGE_SIZE)), filters
    assert len(reference(db, "kelp")) == 92
    assert len(reference(db, "kelp", theme="kelp-south")) == 31


def test_a_search_ranks_the_index_once(participant, kelp, rankings, windows):
    services.search(participant, "kelp")
    # A filter widens the first window: this one holds every match.
    services.search(participant, "kelp", theme="kelp-south")
    assert len(rankings) == 2
    # 84 candidates end among the weak posts: the 13 best, 24 strong and 20 middling ones are sure.
    assert windows == [13 + 24 + 20, 92]


def test_the_window_widens_when_filters_keep_too_few(db, participant, kelp, monkeypatch, rankings, windows):
    monkeypatch.setattr(services, "WINDOW_PER_HIT", 1)
    monkeypatch.setattr(services, "FILTER_SHARE", 1)
    expected = reference(db, "kelp", theme="kelp-south")
    rankings.clear()
    results = services.search(participant, "kelp", theme="kelp-south")
    assert [hit.post.id for hit in results.hits] == expected[:20]
    assert results.has_next
    # The first window, 21 posts, ends among the strong ones: the 13 best are sure, 3 of them in the south
    # thread. Widened to 2 * 21 * 13 / 3 = 182, the window holds every match.
    assert len(rankings) == 2
    assert windows == [13, 92]


def test_posts_of_equal_score_come_newest_first_across_pages(
    db, participant, make_thread, make_post, monkeypatch
):
    monkeypatch.setattr(services, "WINDOW_PER_HIT", 1)
    thread = make_thread(body="Opening words.")
    replies = [make_post(thread, author=thread.author, body="Seagrass meadows.") for _ in range(25)]
    # Newest first among equals, whatever the ids say.
    start = datetime(2026, 7, 6, 8, tzinfo=UTC)
    for n, reply in enumerate(replies):
        reply.created_at = start + timedelta(minutes=(n * 11) % 25)
    db.session.commit()
    newest_first = [r.id for r in sorted(replies, key=lambda r: (r.created_at, r.id), reverse=True)]
    assert every_page(participant, "seagrass") == [newest_first[:20], newest_first[20:]]
    assert reference(db, "seagrass") == newest_first
