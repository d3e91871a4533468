"""Thread rules: creating threads and replies, and what a reader may see."""

from sqlalchemy import select

from forum.database import utcnow
from forum.extensions import db
from forum.sanitize import markdown_to_html
from forum.threads.models import Post, Thread


def create_thread(author, theme, title, kind, body, attribution="record"):
    """Open a thread with its first post, in one transaction."""
    now = utcnow()
    thread = Thread(
        author=author,
        theme=theme,
        title=title.strip(),
        kind=kind,
        attribution=attribution,
        created_at=now,
        last_activity_at=now,
    )
    db.session.add(thread)
    db.session.add(
        Post(thread=thread, author=author, body=body, body_html=markdown_to_html(body), created_at=now)
    )
    db.session.commit()
    return thread


def add_reply(author, thread, body):
    """Add a published reply to a thread."""
    now = utcnow()
    post = Post(thread=thread, author=author, body=body, body_html=markdown_to_html(body), created_at=now)
    db.session.add(post)
    thread.reply_count += 1
    thread.last_activity_at = now
    db.session.commit()
    return post


def threads_in(theme=None, limit=50):
    """Threads, newest activity first, optionally of one theme."""
    query = select(Thread).order_by(Thread.last_activity_at.desc(), Thread.id.desc()).limit(limit)
    if theme is not None:
        query = query.where(Thread.theme_id == theme.id)
    return db.session.scalars(query).all()


def visible_posts(thread):
    """The published posts of a thread, oldest first."""
    return db.session.scalars(
        select(Post).where(Post.thread_id == thread.id, Post.state == "published").order_by(Post.id)
    ).all()
