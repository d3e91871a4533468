"""The threads' webhook event: a post published for the first time, as every reader may see it."""

from flask_babel import lazy_gettext as _l

from forum.accounts.attribution import public_byline
from forum.extensions import db
from forum.states import PostState, ThreadState
from forum.threads.models import Post
from forum.urls import public_url
from forum.webhooks.outbox import emit, register_event, timestamp


def _still_public(post_id):
    """The post and its thread are still published (a post hidden since is never sent)."""
    post = db.session.get(Post, post_id)
    return (
        post is not None and post.state == PostState.PUBLISHED and post.thread.state == ThreadState.PUBLISHED
    )


register_event("post.created", _l("New post"), _still_public)


def post_data(post):
    """The post and its thread as every reader sees them: under Chatham House, no author, only a badge."""
    thread, byline = post.thread, public_byline(post)
    author = None if byline.person is None else {"name": byline.person.name, "handle": byline.person.handle}
    return {
        "post": {
            "id": post.id,
            "url": public_url("threads.post", post_id=post.id),
            "reply_to_id": post.reply_to_id,
            "created_at": timestamp(post.created_at),
            "language": post.language,
            "body_html": post.body_html,
            "author": author,
            "stakeholder_group": byline.stakeholder_group,
            "country": byline.country,
        },
        "thread": {
            "id": thread.id,
            "url": public_url("threads.thread", thread_id=thread.id),
            "title": thread.title,
            "kind": thread.kind,
            "attribution": thread.attribution,
            "theme": thread.theme.slug,
            "opening": post.id == thread.first_post_id,
        },
    }


def post_published(post):
    """Add `post.created` deliveries for a post now published for the first time (current transaction)."""
    if _still_public(post.id):
        emit("post.created", post.id, post_data(post))
