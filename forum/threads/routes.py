"""Reading themes and threads."""

from flask import abort, render_template
from sqlalchemy import select

from forum.extensions import db
from forum.threads import bp, services
from forum.threads.models import Theme, Thread


@bp.route("/themes/<slug>")
def theme(slug):
    """The threads of one theme, newest activity first."""
    found = db.session.scalar(select(Theme).where(Theme.slug == slug)) or abort(404)
    return render_template("threads/theme.html", theme=found, threads=services.threads_in(found))


@bp.route("/threads/<int:thread_id>")
def thread(thread_id):
    """A thread with its published posts."""
    found = db.session.get(Thread, thread_id) or abort(404)
    return render_template("threads/thread.html", thread=found, posts=services.visible_posts(found))
