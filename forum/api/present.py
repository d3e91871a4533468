"""Things as one reader of the API may see them: the same audience rules as the pages.

Under the Chatham House Rule only staff learn who wrote (the policy's "thread.authors"); an anonymous
question names its asker, and its country, only to staff and the session's chairs; a deleted post keeps
its place and nothing else for readers who are not staff.
"""

from forum.policy import allowed
from forum.states import PostState


def person(user):
    """A user as the API names them."""
    return {"id": user.id, "name": user.name, "handle": user.handle}


def theme(found):
    """A theme."""
    return {"id": found.id, "slug": found.slug, "name": found.name, "description": found.description}


def thread(viewer, found):
    """A thread; its author only where the reader may know who wrote."""
    return {
        "id": found.id, "theme": found.theme.slug, "title": found.title, "kind": found.kind,
        "attribution": found.attribution, "state": found.state, "locked": found.locked,
        "pinned": found.pinned, "language": found.language, "tags": [tag.name for tag in found.tags],
        "reply_count": found.reply_count, "created_at": found.created_at,
        "last_activity_at": found.last_activity_at,
        "author": person(found.author) if allowed(viewer, "thread.authors", found) else None,
    }  # fmt: skip


def post(viewer, found):
    """A post; a deleted one is a bare placeholder to readers who are not staff."""
    gone = found.state == PostState.DELETED and not allowed(viewer, "moderate")
    answered = found.reply_to is not None and found.reply_to.state == PostState.PUBLISHED
    known = not gone and allowed(viewer, "thread.authors", found.thread)
    return {
        "id": found.id, "thread_id": found.thread_id, "state": found.state,
        "reply_to_id": found.reply_to_id if answered else None,
        "body_html": None if gone else found.body_html, "language": found.language,
        "created_at": found.created_at, "edited_at": None if gone else found.edited_at,
        "endorsement_count": found.endorsement_count,
        "stakeholder_group": None if gone else found.written_group,
        "country": None if gone else found.written_country,
        "author": person(found.author) if known else None,
    }  # fmt: skip


def session(found):
    """A programme session."""
    return {
        "id": found.id, "slug": found.slug, "title": found.title, "description": found.description,
        "room": found.room, "starts_at": found.starts_at, "ends_at": found.ends_at,
        "speakers": found.speaker_names, "chairs": [chair.name for chair in found.chairs],
        "qa_state": found.qa_state, "moderation_mode": found.moderation_mode,
        "highlighted_question_id": found.highlighted_question_id,
    }  # fmt: skip


def question(found, identified):
    """A question; `identified` when the reader may know who asked an anonymous one (as the page says)."""
    shown = identified or not found.anonymous
    return {
        "id": found.id, "session_id": found.session_id, "body": found.body, "language": found.language,
        "state": found.state, "anonymous": found.anonymous, "votes": found.vote_count,
        "answered": found.answered_at is not None, "edited": found.edited_at is not None,
        "created_at": found.created_at, "stakeholder_group": found.written_group,
        "country": found.written_country if shown else None,
        "asker": person(found.author) if shown else None,
    }  # fmt: skip


def speaker(slot, floor_id):
    """A statement on the public speakers' list; who requested it is not part of the list."""
    return {
        "position": slot.position, "on_behalf_of": slot.on_behalf_of, "language": slot.language,
        "minutes": slot.minutes, "state": slot.state, "has_floor": slot.id == floor_id,
    }  # fmt: skip


def contribution(found):
    """A Hub contribution, without its contact address."""
    return {
        "id": found.id, "kind": found.kind, "title": found.title, "summary": found.summary,
        "description_html": found.description_html, "lead_organisation": found.lead_organisation,
        "partners": found.partner_list, "stakeholder_groups": found.codes("group"),
        "areas": found.codes("area"), "themes": [t.slug for t in found.themes], "links": found.link_list,
        "start_date": found.start_date, "end_date": found.end_date,
        "progress_status": found.progress_status, "state": found.state,
        "published_at": found.published_at, "thread_id": found.thread_id,
    }  # fmt: skip
