"""Following threads and themes, and the notifications a new post brings."""

from dataclasses import dataclass
from datetime import datetime

from flask import g, render_template
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import delete, func, select, update

from forum.accounts.attribution import name_for
from forum.accounts.models import User
from forum.database import insert_ignoring_conflict, utcnow
from forum.extensions import db
from forum.notifications import signals
from forum.notifications.models import Follow, Notification
from forum.realtime import publish as live

PAGE_SIZE = 30


@dataclass(frozen=True)
class Shown:
    """A notification as its recipient sees it: who acted is a name only where they may see who wrote.

    `actor` is None for the moderators' notices and under Chatham House (then "A participant").
    """

    id: int
    kind: str
    unread: bool
    created_at: datetime
    post_id: int | None
    title: str | None
    message: str | None
    actor: str | None


def shown_to(user, note):
    """`note` as its recipient `user` sees it."""
    thread = note.thread
    return Shown(
        id=note.id,
        kind=note.kind,
        unread=note.read_at is None,
        created_at=note.created_at,
        post_id=note.post_id,
        title=thread.title if thread is not None else None,
        message=note.message,
        actor=name_for(user, thread, note.actor) if thread is not None else None,
    )


def follow_thread(user, thread):
    """Follow a thread (idempotent)."""
    insert_ignoring_conflict(Follow, user_id=user.id, thread_id=thread.id, created_at=utcnow())


def set_following(user, *, thread=None, theme=None, follow=True):
    """Follow or stop following a thread or a theme, and commit."""
    target = {"thread_id": thread.id} if thread is not None else {"theme_id": theme.id}
    if follow:
        insert_ignoring_conflict(Follow, user_id=user.id, created_at=utcnow(), **target)
    else:
        condition = [getattr(Follow, key) == value for key, value in target.items()]
        db.session.execute(delete(Follow).where(Follow.user_id == user.id, *condition))
    db.session.commit()


def is_following(user, *, thread=None, theme=None):
    """True when the user follows the thread or theme."""
    if not user.is_authenticated:
        return False
    column, value = (Follow.thread_id, thread.id) if thread is not None else (Follow.theme_id, theme.id)
    return db.session.scalar(select(Follow.id).where(Follow.user_id == user.id, column == value)) is not None


def notify_new_post(post, mentioned):
    """Notify, once each, the mentioned users, the author answered, and the followers; returns who.

    Those who chose immediate activity mail also get a mail, in the same transaction.
    """
    thread = post.thread
    wanted = {}
    followers_query = select(Follow.user_id).where(
        (Follow.thread_id == thread.id) | (Follow.theme_id == thread.theme_id)
    )
    is_first = post.id == thread.first_post_id
    for user_id in db.session.scalars(followers_query):
        wanted.setdefault(user_id, "followed_theme" if is_first else "followed_thread")
    if post.reply_to is not None:
        wanted[post.reply_to.author_id] = "reply"
    for user in mentioned:
        wanted[user.id] = "mention"
    wanted.pop(post.author_id, None)
    for user_id, kind in wanted.items():
        db.session.add(
            Notification(user_id=user_id, kind=kind, actor_id=post.author_id, thread=thread, post=post)
        )
    signals.post_notified.send(post, wanted=wanted)
    return list(wanted)


def notice(user_id, kind, message=None, post=None):
    """Tell a user what the moderators decided (a NOTICE_KINDS kind), in the current transaction.

    A newer notice of the same kind about the same post replaces the older one (a post hidden, restored
    and hidden again): one notification per user, post and kind. A post rejected or hidden is also mailed.
    """
    signals.notice_given.send(user_id, kind=kind, message=message, post=post)
    if post is not None:
        db.session.execute(
            delete(Notification).where(
                Notification.user_id == user_id, Notification.post_id == post.id, Notification.kind == kind
            )
        )
    db.session.add(
        Notification(
            user_id=user_id,
            kind=kind,
            message=message or None,
            post_id=post.id if post is not None else None,
            thread_id=post.thread_id if post is not None else None,
        )
    )
    return user_id


def unread_count(user):
    """How many notifications the user has not read."""
    query = select(func.count()).select_from(Notification)
    return db.session.scalar(query.where(Notification.user_id == user.id, Notification.read_at.is_(None)))


def recent(user, before=None):
    """The user's notifications as they see them, newest first, PAGE_SIZE at a time (keyset on id)."""
    query = select(Notification).where(Notification.user_id == user.id)
    if before:
        query = query.where(Notification.id < before)
    notes = db.session.scalars(query.order_by(Notification.id.desc()).limit(PAGE_SIZE))
    return [shown_to(user, note) for note in notes]


def mark_read(user, notification_id=None, *, thread_id=None, up_to_post_id=None):
    """Mark notifications read: one, those of a thread up to a post the user has seen, or all.

    Open pages of the user hear the new unread count.
    """
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    if thread_id is not None:
        query = query.where(Notification.thread_id == thread_id, Notification.post_id <= up_to_post_id)
    changed = db.session.execute(query.values(read_at=utcnow())).rowcount
    if not changed:
        db.session.rollback()
        return
    db.session.commit()
    live.publish(f"user:{user.id}", "notification.read", {"unread": unread_count(user)})


def publish(recipient_ids):
    """After commit: tell each recipient's open pages, in their language, what arrived."""
    if not recipient_ids:
        return
    users = db.session.scalars(select(User).where(User.id.in_(recipient_ids))).all()
    with live.rendering_context():
        for user in users:
            _publish_to(user)


def _publish_to(user):
    """Send one recipient their newest notification and unread count."""
    latest = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc()).limit(1)
    ).first()
    with force_locale(user.locale or "en"):
        html = render_template("notifications/_item.html", note=shown_to(user, latest))
    live.publish(f"user:{user.id}", "notification.created", {"unread": unread_count(user), "html": html})


def unread_in_header():
    """The header's unread count: the one the page already read, else asked now."""
    from_page = g.get("unread_notifications")
    if from_page is not None:
        return from_page
    return unread_count(current_user) if current_user.is_authenticated else 0
