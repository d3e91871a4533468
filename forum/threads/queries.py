"""Reading threads and posts as a given viewer sees them: lists, pages, unread markers."""

from datetime import UTC, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from forum.database import insert_ignoring_conflict
from forum.extensions import db
from forum.params import to_id, to_int
from forum.policy import allowed
from forum.states import OWN_ONLY_STATES, PUBLIC_STATES, PostState, ThreadState
from forum.threads import rows
from forum.threads.models import POST_STATES, Post, ReadMark, Thread
from forum.threads.rows import POSTS_PER_PAGE

THREADS_PER_PAGE = 30
# The largest cursor time: 9999-12-31, in microseconds since 1970.
MAX_STAMP = 253_402_300_799_999_999


def encode_cursor(thread):
    """A keyset cursor for the thread list: last activity (microseconds) and id."""
    stamp = int(thread.last_activity_at.timestamp() * 1_000_000)
    return f"{stamp}.{thread.id}"


def decode_cursor(cursor):
    """(last activity, id) from a cursor, or None for a missing or malformed one (beyond year 9999 too)."""
    try:
        stamp, thread_id = (to_int(part, maximum=MAX_STAMP) for part in (cursor or "").split("."))
        return datetime.fromtimestamp(stamp / 1_000_000, UTC), to_id(thread_id)
    except ValueError:
        return None


def visible_threads(viewer):
    """Published threads, plus the viewer's own held ones."""
    if viewer.is_authenticated:
        return or_(
            Thread.state == ThreadState.PUBLISHED,
            Thread.state.in_((ThreadState.PENDING, ThreadState.REJECTED)) & (Thread.author_id == viewer.id),
        )
    return Thread.state == ThreadState.PUBLISHED


def thread_list(viewer, theme=None, cursor=None, language=None):
    """(pinned threads, a page of other threads newest activity first, the next page's cursor or None).

    `language` keeps the threads whose opening post is in that language.
    """
    base = (
        select(Thread)
        .where(visible_threads(viewer))
        .options(selectinload(Thread.theme), selectinload(Thread.tags))
    )
    if theme is not None:
        base = base.where(Thread.theme_id == theme.id)
    if language is not None:
        base = base.where(Thread.language == language)
    position = decode_cursor(cursor)
    pinned = (
        [] if position else db.session.scalars(base.where(Thread.pinned).order_by(Thread.id.desc())).all()
    )
    query = base.where(Thread.pinned.is_(False)).order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    if position:
        stamp, thread_id = position
        query = query.where(
            or_(Thread.last_activity_at < stamp, (Thread.last_activity_at == stamp) & (Thread.id < thread_id))
        )
    threads = db.session.scalars(query.limit(THREADS_PER_PAGE + 1)).all()
    following = encode_cursor(threads[THREADS_PER_PAGE - 1]) if len(threads) > THREADS_PER_PAGE else None
    return pinned, threads[:THREADS_PER_PAGE], following


def unread_counts(viewer, threads):
    """{thread id: published posts the viewer has not read}; threads never opened count every post."""
    if not viewer.is_authenticated or not threads:
        return {}
    query = (
        select(Post.thread_id, func.count())
        .outerjoin(ReadMark, (ReadMark.thread_id == Post.thread_id) & (ReadMark.user_id == viewer.id))
        .where(
            Post.thread_id.in_([t.id for t in threads]),
            Post.state == PostState.PUBLISHED,
            Post.author_id != viewer.id,
            Post.id > func.coalesce(ReadMark.last_read_post_id, 0),
        )
        .group_by(Post.thread_id)
    )
    return dict(db.session.execute(query).all())


def seen_states(viewer):
    """(states of every post the viewer sees, states they see of their own posts only, their id or None)."""
    if allowed(viewer, "moderate"):
        return tuple(POST_STATES), (), None
    if viewer.is_authenticated:
        return PUBLIC_STATES, OWN_ONLY_STATES, viewer.id
    return PUBLIC_STATES, (), None


def post_filter(viewer, thread):
    """Which posts of `thread` the viewer sees, as a SQL condition."""
    shown, own, viewer_id = seen_states(viewer)
    condition = Post.state.in_(shown)
    if own:
        condition = or_(condition, Post.state.in_(own) & (Post.author_id == viewer_id))
    return (Post.thread_id == thread.id) & condition


def post_page(viewer, thread, page, language=None):
    """(rows of `page` as the viewer sees it, the page shown, pages); `language` keeps posts in it."""
    return rows.page(thread, seen_states(viewer), page, language)


def page_of(viewer, post):
    """The page of its thread on which `post` appears for this viewer."""
    before = db.session.scalar(
        select(func.count()).select_from(Post).where(post_filter(viewer, post.thread), Post.id < post.id)
    )
    return before // POSTS_PER_PAGE + 1


def mark_read(viewer, thread_id, post_id):
    """Remember that the viewer read a thread up to `post_id`; True when that moved the mark forward.

    Two first visits at once (two tabs) both find no mark: the insert skips a mark that exists and the
    update moves it only forward, so neither request fails nor moves it back.
    """
    if not viewer.is_authenticated or not post_id:
        return False
    created = insert_ignoring_conflict(
        ReadMark, user_id=viewer.id, thread_id=thread_id, last_read_post_id=post_id
    )
    moved = (
        created
        or db.session.execute(
            update(ReadMark)
            .where(
                ReadMark.user_id == viewer.id,
                ReadMark.thread_id == thread_id,
                ReadMark.last_read_post_id < post_id,
            )
            .values(last_read_post_id=post_id)
        ).rowcount
    )
    db.session.commit()
    return bool(moved)
