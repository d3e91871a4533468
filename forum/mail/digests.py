"""Activity mail: mentions, replies and followed threads and themes, immediately or in a daily digest.

Governed by each user's digest mode, sent only to confirmed addresses, and never about anything the
recipient may not read. Under Chatham House, only staff recipients are told who wrote.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from forum.accounts.attribution import name_for
from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.mail import compose
from forum.notifications import signals as notice_signals
from forum.notifications.models import NOTIFICATION_KINDS, Notification
from forum.policy import allowed
from forum.states import PostState
from forum.threads.models import Post, Thread

# A digest is due a day after the last one; the hour's slack keeps a daily timer from skipping a day.
DIGEST_INTERVAL = timedelta(hours=23)
DIGEST_MAX_ITEMS = 50
FOLLOWED_KINDS = ("followed_thread", "followed_theme")


@dataclass(frozen=True)
class DigestItem:
    """One line of a digest; `actor` is who acted, named only where the recipient may see who wrote."""

    kind: str
    created_at: datetime
    post_id: int
    excerpt: str
    actor: str | None


def _subject(kind, thread):
    """The subject of one activity mail; never an author's name (Chatham House threads have none)."""
    subjects = {
        "mention": _l("You were mentioned in “%(title)s”", title=thread.title),
        "reply": _l("New reply to your post in “%(title)s”", title=thread.title),
        "followed_thread": _l("New activity in “%(title)s”", title=thread.title),
        "followed_theme": _l("New thread in a theme you follow: “%(title)s”", title=thread.title),
    }
    return subjects[kind]


def _may_read(user, post):
    """The recipient may read the post and its thread."""
    return allowed(user, "thread.view", post.thread) and allowed(user, "post.view", post)


def post_activity(post, wanted):
    """Queue immediate mail for a newly published post, to the users of `wanted` ({id: kind}) who chose it.

    Mentions and replies are one mail each; activity in a followed thread waits MAIL_COALESCE_SECONDS
    and later posts of the same thread join the waiting mail rather than making new ones.
    """
    if not wanted:
        return
    users = db.session.scalars(
        select(User).where(
            User.id.in_(list(wanted)), User.digest_mode == "immediate", User.email_confirmed_at.is_not(None)
        )
    ).all()
    thread = post.thread
    for user in users:
        if not _may_read(user, post):
            continue
        kind = wanted[user.id]
        followed = kind in FOLLOWED_KINDS
        compose.enqueue(
            user,
            kind,
            "activity",
            _subject(kind, thread),
            essential=False,
            coalesce_key=f"thread:{thread.id}" if followed else None,
            delay=current_app.config["MAIL_COALESCE_SECONDS"] if followed else 0,
            event=kind,
            event_label=NOTIFICATION_KINDS[kind],
            thread=thread,
            post=post,
            author=name_for(user, thread, post.author),
            excerpt=compose.excerpt(post),
        )


notice_signals.post_notified.connect(post_activity)


def _due_users(now):
    """(id, last digest time) of the users whose daily digest is due."""
    query = select(User.id, User.last_digest_at).where(
        User.digest_mode == "daily",
        User.email_confirmed_at.is_not(None),
        or_(User.last_digest_at.is_(None), User.last_digest_at <= now - DIGEST_INTERVAL),
    )
    return db.session.execute(query.order_by(User.id)).all()


def _claim(user_id, last, now):
    """Take the user's digest for this run: the conditional UPDATE lets one process through."""
    seen = User.last_digest_at.is_(None) if last is None else User.last_digest_at == last
    result = db.session.execute(
        update(User)
        .where(User.id == user_id, User.digest_mode == "daily", seen)
        .values(last_digest_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def activity_since(user, since, until):
    """The unread activity the user may read, newest last, grouped as [(thread, [DigestItem…])]."""
    query = (
        select(Notification)
        .join(Post, Post.id == Notification.post_id)
        .join(Thread, Thread.id == Notification.thread_id)
        .where(
            Notification.user_id == user.id,
            Notification.kind.in_(list(NOTIFICATION_KINDS)),
            Notification.read_at.is_(None),
            Notification.created_at > since,
            Notification.created_at <= until,
            Post.state == PostState.PUBLISHED,
        )
        .order_by(Notification.thread_id, Notification.id)
        .limit(DIGEST_MAX_ITEMS)
    )
    notes = [note for note in db.session.scalars(query) if _may_read(user, note.post)]
    return [
        (thread, [_item(user, note) for note in group])
        for thread, group in groupby(notes, key=lambda note: note.thread)
    ]


def _item(user, note):
    """A notification as a line of `user`'s digest."""
    actor = name_for(user, note.thread, note.actor)
    return DigestItem(note.kind, note.created_at, note.post_id, compose.excerpt(note.post), actor)


def send_digest(user, since, now):
    """Queue one user's digest of what happened since `since`; nothing when nothing happened."""
    groups = activity_since(user, since, now)
    if not groups:
        return None
    return compose.enqueue(
        user,
        "digest",
        "digest",
        _l("Your daily digest from the Dialogue Forum"),
        essential=False,
        groups=groups,
        since=since,
        kinds=NOTIFICATION_KINDS,
    )


def send_due(now=None):
    """Queue the daily digests that are due, each claimed and written in one transaction; returns how many."""
    now = now or utcnow()
    queued = 0
    for user_id, last in _due_users(now):
        if not _claim(user_id, last, now):
            db.session.rollback()
            continue
        user = db.session.get(User, user_id)
        since = last or now - timedelta(days=1)
        queued += send_digest(user, since, now) is not None
        db.session.commit()
    return queued
