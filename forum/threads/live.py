"""How thread events look to each audience: the post's shared fragment, as the page shows it."""

from flask_babel import ngettext

from forum.extensions import db
from forum.realtime.publish import renders, tells
from forum.realtime.rooms import register_kind
from forum.states import PUBLIC_STATES, PostState
from forum.threads import fragments
from forum.threads.models import Post, Thread
from forum.threads.rows import PostRow

# `thread:<id>`: for whoever may see the thread; its readers are told how many read it.
register_kind("thread", lambda thread_id: db.session.get(Thread, thread_id), "thread.view", announced=True)


@renders("post.created")
@renders("post.updated")
@renders("post.deleted")
@renders("post.hidden")
def post_event(event, audience):
    """The post as the audience sees it now; a hidden post is only taken away; None when nothing to say.

    Each reader's controls are not in it: thread.js adds the reader's own from their page.
    """
    post = db.session.get(Post, event.data["post_id"])
    if post is None:
        return None
    if audience == "staff":
        shown = fragments.Audience.STAFF
    elif post.state in PUBLIC_STATES:
        shown = fragments.Audience.PUBLIC
    else:
        # Readers drop their copy of a post a moderator hid; other changes out of their sight stay unsaid.
        return (
            {"post_id": post.id, "state": PostState.HIDDEN, "html": ""}
            if event.name == "post.hidden"
            else None
        )
    ((_opening, html),) = fragments.render([PostRow.of(post)], lambda _post: shown)
    return {"post_id": post.id, "state": post.state, "language": post.language or "", "html": str(html)}


@tells("post.created")
@tells("post.updated")
def tell_author(event):
    """The author's own pages learn that this post is theirs, to show them an author's controls."""
    post = db.session.get(Post, event.data["post_id"])
    return None if post is None else (post.author_id, "post.own", {"post_id": post.id})


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
