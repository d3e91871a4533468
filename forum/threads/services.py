"""Thread rules: opening threads, replying, editing, deleting and endorsing posts.

Each writer validates, writes in one transaction, commits, and only then publishes its events.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from forum import audit, languages
from forum.accounts.identity import identity_of
from forum.database import insert_ignoring_conflict, utcnow
from forum.extensions import db
from forum.notifications import services as notifications
from forum.policy import allowed
from forum.realtime.publish import publish_events
from forum.realtime.store import record
from forum.rules import RuleViolation
from forum.states import PostState, ThreadState
from forum.threads import content, gate, hooks, refusals
from forum.threads.models import ATTRIBUTION_MODES, THREAD_KINDS, Endorsement, Post, PostRevision, Thread


def room_of(thread):
    """The live room of a thread."""
    return f"thread:{thread.id}"


def _refuse_silenced(author):
    """A silenced author is told until when and why, rather than a bare refusal."""
    notice = refusals.silence_notice(author)
    if notice:
        raise RuleViolation(notice, code="forbidden")


def create_thread(author, theme, title, kind, body, tags="", attribution="record", language=None):
    """Open a thread with its first post; held for review when the author's posts are held.

    The thread is in its first post's language: `language` when the author chose one, else detected.
    """
    _refuse_silenced(author)
    if not allowed(author, "post"):
        raise RuleViolation(_("Your account may not post."), code="forbidden")
    if theme is None:
        raise RuleViolation(_("Choose a theme."), field="theme")
    title = content.clean_title(title)
    body = content.clean_body(body)
    html, mentioned = content.render(body)
    language = languages.choose(language, body)
    verdict = gate.screen(author, f"{title}\n{body}", html)
    thread = Thread(
        author=author,
        theme=theme,
        title=title,
        kind=content.choice(kind, THREAD_KINDS, "kind"),
        attribution=content.choice(attribution, ATTRIBUTION_MODES, "attribution"),
        tags=content.tags_for(tags),
        state=verdict.state,
        language=language,
    )
    post = Post(
        thread=thread, author=author, body=body, body_html=html, state=verdict.state, language=language,
        **identity_of(author),
    )  # fmt: skip
    db.session.add_all([thread, post])
    db.session.flush()
    thread.first_post_id = thread.last_post_id = post.id
    notifications.follow_thread(author, thread)
    recipients = []
    if post.state == PostState.PUBLISHED:
        recipients = notifications.notify_new_post(post, mentioned)
        hooks.post_published(post)
    events = _review(post, verdict)
    db.session.commit()
    publish_events(events)
    notifications.publish(recipients)
    return thread


def reply(author, thread, body, reply_to=None, language=None):
    """Add a reply: refused, held for review or published, as screening decides.

    Its language is `language` when the author chose one, else detected from the text.
    """
    _refuse_silenced(author)
    if not allowed(author, "thread.reply", thread):
        message = _("This thread is locked.") if thread.locked else _("You may not reply here.")
        raise RuleViolation(message, code="forbidden")
    if reply_to is not None and (
        reply_to.thread_id != thread.id or not allowed(author, "post.view", reply_to)
    ):
        raise RuleViolation(_("The post you answer is not in this thread."), field="reply_to")
    _check_slow_mode(author, thread)
    body = content.clean_body(body)
    html, mentioned = content.render(body)
    language = languages.choose(language, body)
    verdict = gate.screen(author, body, html)
    post = Post(
        thread=thread, author=author, body=body, body_html=html, reply_to=reply_to, state=PostState.PENDING,
        language=language, **identity_of(author),
    )  # fmt: skip
    db.session.add(post)
    db.session.flush()
    events, recipients = [], []
    if verdict.state == PostState.PUBLISHED:
        events, recipients = release(post, mentioned)
    events += _review(post, verdict)
    notifications.follow_thread(author, thread)
    db.session.commit()
    publish_events(events)
    notifications.publish(recipients)
    return post


def edit_post(editor, post, body, language=None):
    """Replace a post's text and language, keeping the earlier text as a revision.

    `language` is the author's choice, "" to detect it again from the text, None to keep it.
    """
    if not allowed(editor, "post.edit", post):
        raise RuleViolation(_("You may not edit this post."), code="forbidden")
    before = {"body": post.body, "language": post.language}
    verdict = revise(editor, post, body)
    relabelled = language is not None and set_language(post, languages.choose(language, post.body))
    if verdict is None and not relabelled:
        return post
    if editor.id != post.author_id:
        before, after = audit.changes(before, {"body": post.body, "language": post.language})
        audit.log(editor, "post.edit", "post", post.id, post.thread.title, before=before, after=after)
    events = post_changed(post)
    if verdict is not None and post.state == PostState.PUBLISHED and not allowed(editor, "moderate"):
        events += _review(post, verdict)
    db.session.commit()
    publish_events(events)
    return post


def revise(editor, post, body):
    """Replace a post's text in the current transaction, keeping the earlier text.

    Returns the screening verdict on the new text, or None when the text did not change.
    """
    body = content.clean_body(body)
    if body == post.body:
        return None
    html, _mentioned = content.render(body)
    verdict = gate.screen(post.author, body, html, editing=True)
    db.session.add(PostRevision(post_id=post.id, editor=editor, body=post.body, body_html=post.body_html))
    post.body, post.body_html = body, html
    post.edited_at = utcnow()
    return verdict


def set_language(post, language):
    """Set a post's language in the current transaction (an opening post's is its thread's); True if new."""
    if post.language == language:
        return False
    post.language = language
    if post.id == post.thread.first_post_id:
        post.thread.language = language
    return True


def post_changed(post):
    """The room event telling readers that a post changed (its text, its state)."""
    return [record(room_of(post.thread), "post.updated", {"post_id": post.id})]


def release(post, mentioned=None, notify=True):
    """Publish a held or hidden post in the current transaction: (room events, users to notify).

    The thread's counters move; for a post held until now, its followers and the people it
    mentions hear of it now (notify=False when it comes back from being hidden: they heard then).
    """
    thread = post.thread
    post.state = PostState.PUBLISHED
    post.state_reason = None
    if post.id == thread.first_post_id:
        thread.state = ThreadState.PUBLISHED
    else:
        thread.reply_count += 1
    if post.id >= (thread.last_post_id or 0):
        thread.last_activity_at = max(thread.last_activity_at, post.created_at)
        thread.last_post_id = post.id
    recipients = []
    if notify:
        mentioned = content.render(post.body)[1] if mentioned is None else mentioned
        recipients = notifications.notify_new_post(post, mentioned)
        hooks.post_published(post)
    return [record(room_of(thread), "post.created", {"post_id": post.id})], recipients


def withdraw(post, state, reason=None):
    """Take a post out of sight (hidden, rejected) in the current transaction; returns the room events."""
    thread = post.thread
    was_published = post.state == PostState.PUBLISHED
    post.state, post.state_reason = state, reason
    if post.id == thread.first_post_id and state == PostState.REJECTED:
        thread.state = ThreadState.REJECTED
    if was_published and post.id != thread.first_post_id:
        thread.reply_count -= 1
    name = "post.hidden" if was_published else "post.updated"
    return [record(room_of(thread), name, {"post_id": post.id})]


def _review(post, verdict):
    """The queue events for a screened post: held, or published with reasons for a second look."""
    reasons = verdict.hold_reasons if post.state == PostState.PENDING else verdict.review_reasons
    return [gate.review(post, reasons)] if reasons else []


def _check_slow_mode(author, thread):
    """Slow mode: a participant waits the thread's interval between two posts; staff never wait."""
    if not thread.slow_mode_seconds or allowed(author, "moderate"):
        return
    last = db.session.scalar(
        select(func.max(Post.created_at)).where(Post.thread_id == thread.id, Post.author_id == author.id)
    )
    if last is None:
        return
    wait = thread.slow_mode_seconds - int((utcnow() - last).total_seconds())
    if wait > 0:
        raise RuleViolation(
            _("This thread is in slow mode: you can post again in %(s)s seconds.", s=wait), field="body"
        )


def delete_post(user, post):
    """Soft-delete a post, leaving a placeholder; deleting a lone first post deletes its thread."""
    if not allowed(user, "post.edit", post):
        raise RuleViolation(_("You may not delete this post."), code="forbidden")
    thread = post.thread
    if post.id == thread.first_post_id:
        if thread.reply_count and not allowed(user, "moderate"):
            raise RuleViolation(
                _("A thread with replies cannot be deleted. Edit the first post, or ask a moderator."),
                code="has_replies",
            )
        thread.state = ThreadState.DELETED
    was_published = post.state == PostState.PUBLISHED
    if user.id != post.author_id:
        audit.log(user, "post.delete", "post", post.id, thread.title, before={"state": post.state})
    post.state = PostState.DELETED
    if was_published and post.id != thread.first_post_id:
        thread.reply_count -= 1
    events = [record(room_of(thread), "post.deleted", {"post_id": post.id})] if was_published else []
    db.session.commit()
    publish_events(events)
    return post


def set_endorsement(user, post, endorse):
    """Endorse a post (endorse=True) or withdraw the endorsement; idempotent. Returns the new count."""
    if not allowed(user, "post.endorse", post):
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
    if not allowed(user, "thread.edit", thread):
        raise RuleViolation(_("You may not change this thread."), code="forbidden")
    attribution = content.choice(attribution, ATTRIBUTION_MODES, "attribution")
    if thread.attribution == "chatham" and attribution == "record":
        others = db.session.scalar(
            select(Post.id).where(Post.thread_id == thread.id, Post.author_id != thread.author_id).limit(1)
        )
        if others is not None:
            raise RuleViolation(
                _("Others have posted under the Chatham House Rule; the thread must keep it."),
                field="attribution",
            )
    before = {"title": thread.title, "kind": thread.kind, "attribution": thread.attribution}
    title = content.clean_title(title)
    gate.screen(user, title, "", editing=True, field="title")
    thread.title = title
    thread.kind = content.choice(kind, THREAD_KINDS, "kind")
    thread.attribution = attribution
    thread.tags = content.tags_for(tags)
    if user.id != thread.author_id:
        after = {"title": thread.title, "kind": thread.kind, "attribution": thread.attribution}
        audit.log(user, "thread.edit", "thread", thread.id, thread.title, before=before, after=after)
    event = record(room_of(thread), "thread.updated", {"thread_id": thread.id})
    db.session.commit()
    publish_events([event])
    return thread
