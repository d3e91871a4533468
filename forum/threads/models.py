"""Themes (categories), threads and their posts."""

from flask_babel import lazy_gettext as _l

from forum.database import UTCDateTime, utcnow
from forum.extensions import db

THREAD_KINDS = {
    "discussion": _l("Discussion"),
    "best_practice": _l("Best practice"),
    "lesson_learned": _l("Lesson learned"),
    "question": _l("Question"),
}

ATTRIBUTION_MODES = {
    "record": _l("On the record"),
    "chatham": _l("Chatham House"),
}


class Theme(db.Model):
    """A theme of the Dialogue, under which threads are filed."""

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(80), nullable=False, unique=True)
    name = db.Column(db.String(120), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    position = db.Column(db.Integer, nullable=False, default=0)


class Thread(db.Model):
    """A conversation: a title, a theme, a kind and its posts."""

    id = db.Column(db.Integer, primary_key=True)
    theme_id = db.Column(db.Integer, db.ForeignKey("theme.id"), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.String(20), nullable=False, default="discussion")
    attribution = db.Column(db.String(10), nullable=False, default="record")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_activity_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    reply_count = db.Column(db.Integer, nullable=False, default=0)

    theme = db.relationship("Theme")
    author = db.relationship("User")


class Post(db.Model):
    """One message in a thread: Markdown source and its HTML, sanitized once on write."""

    id = db.Column(db.Integer, primary_key=True)
    thread_id = db.Column(db.Integer, db.ForeignKey("thread.id", ondelete="CASCADE"), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    body = db.Column(db.Text, nullable=False)
    body_html = db.Column(db.Text, nullable=False)
    state = db.Column(db.String(12), nullable=False, default="published")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    thread = db.relationship("Thread", backref=db.backref("posts", order_by="Post.id", lazy="dynamic"))
    author = db.relationship("User")

    __table_args__ = (db.Index("ix_post_thread_state_id", "thread_id", "state", "id"),)
