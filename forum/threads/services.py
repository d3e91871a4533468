"""Thread rules: opening threads, replying, editing, deleting and endorsing posts.

Each writer validates, writes in one transaction, commits, and only then publishes its events.
"""

import re

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from forum.accounts.services import users_by_handle
from forum.database import insert_ignoring_conflict, utcnow
from forum.extensions import db
from forum.notifications import services as notifications
from forum.realtime.publish import publish_events
from forum.realtime.store import record
from forum.rules import RuleViolation
from forum.sanitize import markdown_to_html, mentioned_handles
from forum.threads import access
from forum.threads.models import (
    ATTRIBUTION_MODES,
    BODY_MAX,
    THREAD_KINDS,
    TITLE_MAX,
    Endorsement,
    Post,
    PostRevision,
    Tag,
    Thread,
)

TAG = re.compile(r"^[\w][\w .-]{0,39}$")
MAX_TAGS = 5


def room_of(thread):
    """The live room of a thread."""
    return f"thread:{thread.id}"


def initial_state(author):
    """The one rule deciding whether a new post is held for review: unverified authors are held."""
    return "published" if author.is_verified else "pending"


def _clean_body(body):
    """The body, trimmed, or a RuleViolation when it is empty or too long."""
    body = (body or "").strip()
    if not body:
        raise RuleViolation(_("Write something before posting."), field="body")
    if len(body) > BODY_MAX:
        raise RuleViolation(_("Posts are limited to %(n)d characters.", n=BODY_MAX), field="body")
    return body


def _render(body):
    """Sanitized HTML of a body, with its @mentions of existing users linked; also the mentioned users."""
    users = users_by_handle(mentioned_handles(body))
    html = markdown_to_html(
        body, lambda handle: url_for("accounts.by_handle", handle=handle) if handle in users else None
    )
    return html, list(users.values())


def _clean_title(title):
    """The title, trimmed, or a RuleViolation."""
    title = (title or "").strip()
    if not title:
        raise RuleViolation(_("Give the thread a title."), field="title")
    if len(title) > TITLE_MAX:
        raise RuleViolation(_("Titles are limited to %(n)d characters.", n=TITLE_MAX), field="title")
    return title


def _tags(text):
    """Tag rows for a comma-separated list, created when new."""
    names = list(dict.fromkeys(t.strip().lower() for t in (text or "").split(",") if t.strip()))
    if len(names) > MAX_TAGS:
        raise RuleViolation(_("Use at most %(n)d tags.", n=MAX_TAGS), field="tags")
    if any(not TAG.match(name) for name in names):
        raise RuleViolation(_("Tags are words of up to 40 letters, digits or dashes."), field="tags")
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    return [existing.get(name) or Tag(name=name) for name in names]


def _choice(value, choices, field):
    """`value` when it is one of `choices`, else a RuleViolation on `field`."""
    if value not in choices:
        raise RuleViolation(_("Choose one of the options."), field=field)
    return value


def quote(post):
    """Markdown quoting `post`, naming its author only where the thread is on the record."""
    quoted = "\n".join(f"> {line}" for line in post.body.splitlines())
    if post.thread.attribution == "record":
        header = _("@%(handle)s wrote:", handle=post.author.handle)
    else:
        header = _("A participant wrote:")
    return f"{header}\n{quoted}\n\n"


def create_thread(author, theme, title, kind, body, tags="", attribution="record"):
    """Open a thread with its first post; held for review when the author's posts are held."""
    if not access.can_post(author):
        raise RuleViolation(_("Your account may not post."), code="forbidden")
    if theme is None:
        raise RuleViolation(_("Choose a theme."), field="theme")
    thread = Thread(
        author=author,
        theme=theme,
        title=_clean_title(title),
        kind=_choice(kind, THREAD_KINDS, "kind"),
        attribution=_choice(attribution, ATTRIBUTION_MODES, "attribution"),
        tags=_tags(tags),
        state=initial_state(author),
    )
    body = _clean_body(body)
    html, mentioned = _render(body)
    post = Post(thread=thread, author=author, body=body, body_html=html, state=thread.state)
    db.session.add_all([thread, post])
    db.session.flush()
    thread.first_post_id = thread.last_post_id = post.id
    notifications.follow_thread(author, thread)
    recipients = notifications.notify_new_post(post, mentioned) if post.state == "published" else []
    db.session.commit()
    notifications.publish(recipients)
    return thread


def reply(author, thread, body, reply_to=None):
    """Add a reply; published at once or held, per initial_state."""
    if not access.can_reply(author, thread):
        message = _("This thread is locked.") if thread.locked else _("You may not reply here.")
        raise RuleViolation(message, code="forbidden")
    if reply_to is not None and (
        reply_to.thread_id != thread.id or not access.can_view_post(author, reply_to)
    ):
        raise RuleViolation(_("The post you answer is not in this thread."), field="reply_to")
    body = _clean_body(body)
    html, mentioned = _render(body)
    post = Post(
        thread=thread,
        author=author,
        body=body,
        body_html=html,
        reply_to=reply_to,
        state=initial_state(author),
    )
    db.session.add(post)
    db.session.flush()
    events, recipients = [], []
    if post.state == "published":
        thread.reply_count += 1
        thread.last_activity_at = post.created_at
        thread.last_post_id = post.id
        events.append(record(room_of(thread), "post.created", {"post_id": post.id}))
        recipients = notifications.notify_new_post(post, mentioned)
    notifications.follow_thread(author, thread)
    db.session.commit()
    publish_events(events)
    notifications.publish(recipients)
    return post


def edit_post(editor, post, body):
    """Replace a post's text, keeping the earlier text as a revision."""
    if not access.can_edit_post(editor, post):
        raise RuleViolation(_("You may not edit this post."), code="forbidden")
    body = _clean_body(body)
    if body == post.body:
        return post
    db.session.add(PostRevision(post_id=post.id, editor=editor, body=post.body, body_html=post.body_html))
    post.body = body
    post.body_html, _mentioned = _render(body)
    post.edited_at = utcnow()
    events = (
        [record(room_of(post.thread), "post.updated", {"post_id": post.id})]
        if post.state == "published"
        else []
    )
    db.session.commit()
    publish_events(events)
    return post


def delete_post(user, post):
    """Soft-delete a post, leaving a placeholder; deleting a lone first post deletes its thread."""
    if not access.can_edit_post(user, post):
        raise RuleViolation(_("You may not delete this post."), code="forbidden")
    thread = post.thread
    if post.id == thread.first_post_id:
        if thread.reply_count and not access.is_staff(user):
            raise RuleViolation(
                _("A thread with replies cannot be deleted. Edit the first post, or ask a moderator."),
                code="has_replies",
            )
        thread.state = "deleted"
    was_published = post.state == "published"
    post.state = "deleted"
    if was_published and post.id != thread.first_post_id:
        thread.reply_count -= 1
    events = [record(room_of(thread), "post.deleted", {"post_id": post.id})] if was_published else []
    db.session.commit()
    publish_events(events)
    return post


def set_endorsement(user, post, endorse):
    """Endorse a post (endorse=True) or withdraw the endorsement; idempotent. Returns the new count."""
    if not access.can_endorse(user, post):
        raise RuleViolation(_("You may not endorse this post."), code="forbidden")
    mine = (Endorsement.post_id == post.id) & (Endorsement.user_id == user.id)
    if endorse:
        # Insert-or-ignore and an in-place increment keep the count exact under concurrent clicks.
        change = insert_ignoring_conflict(Endorsement, post_id=post.id, user_id=user.id)
    else:
        change = -db.session.execute(delete(Endorsement).where(mine)).rowcount
    if not change:
        db.session.rollback()
        return post.endorsement_count
    db.session.execute(
        update(Post).where(Post.id == post.id).values(endorsement_count=Post.endorsement_count + change)
    )
    db.session.refresh(post, ["endorsement_count"])
    count = post.endorsement_count
    event = record(room_of(post.thread), "post.endorsed", {"post_id": post.id, "count": count})
    db.session.commit()
    publish_events([event])
    return count


def update_thread(user, thread, title, kind, attribution, tags):
    """The author or a moderator changes title, kind, attribution or tags.

    Chatham House cannot be lifted once others have posted under its promise.
    """
    if not (access.is_staff(user) or user.id == thread.author_id) or thread.state == "deleted":
        raise RuleViolation(_("You may not change this thread."), code="forbidden")
    attribution = _choice(attribution, ATTRIBUTION_MODES, "attribution")
    if thread.attribution == "chatham" and attribution == "record":
        others = db.session.scalar(
            select(Post.id).where(Post.thread_id == thread.id, Post.author_id != thread.author_id).limit(1)
        )
        if others is not None:
            raise RuleViolation(
                _("Others have posted under the Chatham House Rule; the thread must keep it."),
                field="attribution",
            )
    thread.title = _clean_title(title)
    thread.kind = _choice(kind, THREAD_KINDS, "kind")
    thread.attribution = attribution
    thread.tags = _tags(tags)
    event = record(room_of(thread), "thread.updated", {"thread_id": thread.id})
    db.session.commit()
    publish_events([event])
    return thread
