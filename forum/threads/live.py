"""How thread events look to each audience: the post's markup, rendered as the page renders it."""

from flask import render_template
from flask_babel import ngettext

from forum.extensions import db
from forum.realtime.publish import renders
from forum.threads.models import Post, Thread
from forum.threads.page import CSRF_SENTINEL


@renders("post.created")
@renders("post.updated")
@renders("post.deleted")
@renders("post.hidden")
def post_event(event, audience):
    """The post as the audience sees it now; a hidden post is only taken away; None when nothing to say."""
    post = db.session.get(Post, event.data["post_id"])
    staff = audience == "staff"
    if post is None:
        return None
    if not (staff or post.state in ("published", "deleted")):
        # Readers drop their copy of a post a moderator hid; other changes out of their sight stay unsaid.
        return {"post_id": post.id, "state": "hidden", "html": ""} if event.name == "post.hidden" else None
    thread = post.thread
    html = render_template(
        "threads/_post.html",
        post=post,
        thread=thread,
        staff=staff,
        show_author=staff or thread.attribution == "record",
    )
    # Live copies leave the form token empty: each page fills in its own.
    return {"post_id": post.id, "state": post.state, "html": html.replace(CSRF_SENTINEL, "")}


@renders("post.endorsed")
def endorsement_event(event, audience):
    """The new count, with its label in the audience's language."""
    count = event.data["count"]
    label = ngettext("%(num)s endorsement", "%(num)s endorsements", count)
    return {"post_id": event.data["post_id"], "count": count, "label": label}


@renders("thread.updated")
def thread_event(event, audience):
    """The thread's current title and flags."""
    thread = db.session.get(Thread, event.data["thread_id"])
    if thread is None:
        return None
    return {
        "thread_id": thread.id,
        "title": thread.title,
        "locked": thread.locked,
        "pinned": thread.pinned,
        "slow_mode_seconds": thread.slow_mode_seconds,
    }
