"""The staff archive: the Dialogue's content, kind by kind, as JSON rows read in batches (never all at once).

It is a staff export: it names authors as the policy lets its reader see them (rule "thread.authors":
staff see who wrote under the Chatham House Rule; "session.moderate": staff see anonymous askers).
A takeaway's citations are the exception: they are written as every reader sees them (forum.synthesis.
citations), so a cited Chatham House post or anonymous question names nobody, here as on the pages.
"""

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.hub.models import Contribution
from forum.policy import allowed
from forum.qa.models import AgendaSession, Question, SpeakerSlot
from forum.synthesis import citations
from forum.synthesis.models import Takeaway
from forum.threads.models import Post, Theme, Thread

BATCH = 500


def _person(user):
    """A user as the archive names them."""
    if user is None:
        return None
    return {"id": user.id, "name": user.name, "organisation": user.organisation}


def _when(value):
    """A time or date in ISO 8601 (times in UTC), or None."""
    return value.isoformat() if value is not None else None


def _batches(model, options=()):
    """Every row of `model` by id, BATCH at a time, each batch let go of once written."""
    last = 0
    while True:
        query = select(model).options(*options).where(model.id > last).order_by(model.id).limit(BATCH)
        rows = db.session.scalars(query).unique().all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        for row in rows:
            db.session.expunge(row)


def _themes(viewer):
    """The themes."""
    for theme in _batches(Theme):
        yield {"id": theme.id, "slug": theme.slug, "name": dict(theme.name),
               "description": dict(theme.description), "position": theme.position}  # fmt: skip


def _threads(viewer):
    """Every thread, in every state, with its opener when the viewer may see who wrote."""
    for thread in _batches(Thread, (joinedload(Thread.author), selectinload(Thread.tags))):
        yield {
            "id": thread.id, "theme_id": thread.theme_id, "title": thread.title, "kind": thread.kind,
            "attribution": thread.attribution, "state": thread.state, "locked": thread.locked,
            "pinned": thread.pinned, "language": thread.language, "created_at": _when(thread.created_at),
            "tags": [tag.name for tag in thread.tags],
            "author": _person(thread.author) if allowed(viewer, "thread.authors", thread) else None,
        }  # fmt: skip


def _posts(viewer):
    """Every post, in every state, with its author when the viewer may see who wrote."""
    for post in _batches(Post, (joinedload(Post.thread), joinedload(Post.author))):
        yield {
            "id": post.id, "thread_id": post.thread_id, "reply_to_id": post.reply_to_id,
            "state": post.state, "body": post.body, "language": post.language,
            "created_at": _when(post.created_at), "edited_at": _when(post.edited_at),
            "stakeholder_group": post.written_group, "country": post.written_country,
            "author": _person(post.author) if allowed(viewer, "thread.authors", post.thread) else None,
        }  # fmt: skip


def _questions(viewer):
    """Every Q&A question, with its asker (anonymous ones too) when the viewer moderates its session."""
    for question in _batches(Question, (joinedload(Question.session), joinedload(Question.author))):
        staff = allowed(viewer, "session.moderate", question.session)
        yield {
            "id": question.id, "session_id": question.session_id, "body": question.body,
            "state": question.state, "anonymous": question.anonymous, "votes": question.vote_count,
            "language": question.language, "created_at": _when(question.created_at),
            "answered_at": _when(question.answered_at), "merged_into_id": question.merged_into_id,
            "stakeholder_group": question.written_group, "country": question.written_country,
            "author": _person(question.author) if staff or not question.anonymous else None,
        }  # fmt: skip


def _sessions(viewer):
    """The programme's sessions, with their chairs, themes, threads and invited speakers."""
    options = (selectinload(AgendaSession.chairs), selectinload(AgendaSession.themes),
               selectinload(AgendaSession.threads))  # fmt: skip
    for session in _batches(AgendaSession, options):
        yield {
            "id": session.id, "slug": session.slug, "title": dict(session.title),
            "description": dict(session.description), "room": session.room,
            "starts_at": _when(session.starts_at), "ends_at": _when(session.ends_at),
            "qa_state": session.qa_state, "invited_speakers": session.speaker_names,
            "chairs": [_person(chair) for chair in session.chairs],
            "theme_ids": [theme.id for theme in session.themes],
            "thread_ids": [thread.id for thread in session.threads],
        }  # fmt: skip


def _speakers(viewer):
    """The speakers' lists: every request for a slot, with who asked."""
    for slot in _batches(SpeakerSlot, (joinedload(SpeakerSlot.user),)):
        yield {
            "id": slot.id, "session_id": slot.session_id, "on_behalf_of": slot.on_behalf_of,
            "language": slot.language, "minutes": slot.minutes, "state": slot.state,
            "position": slot.position, "requested_by": _person(slot.user),
            "started_at": _when(slot.started_at), "ended_at": _when(slot.ended_at),
        }  # fmt: skip


def _hub_entries(viewer):
    """Every Hub contribution, in every state, with its submitter."""
    options = (joinedload(Contribution.submitter), selectinload(Contribution.themes))
    for entry in _batches(Contribution, options):
        yield {
            "id": entry.id, "kind": entry.kind, "title": entry.title, "summary": entry.summary,
            "description": entry.description, "lead_organisation": entry.lead_organisation,
            "partners": [line for line in entry.partners.splitlines() if line.strip()],
            "links": [line for line in entry.links.splitlines() if line.strip()],
            "contact_email": entry.contact_email, "state": entry.state,
            "start_date": _when(entry.start_date), "end_date": _when(entry.end_date),
            "theme_ids": [theme.id for theme in entry.themes], "thread_id": entry.thread_id,
            "submitted_by": _person(entry.submitter), "published_at": _when(entry.published_at),
        }  # fmt: skip


def _citation(cited):
    """A citation as every reader sees it: no author of a Chatham House post or an anonymous question."""
    if not cited.available:
        return {"kind": cited.kind, "id": cited.target_id, "available": False}
    return {"kind": cited.kind, "id": cited.target_id, "available": True, "title": cited.title,
            "excerpt": cited.excerpt, "by": cited.byline, "url": cited.url}  # fmt: skip


def _takeaways(viewer):
    """Every key takeaway, in every state, with its drafter and its citations as every reader sees them."""
    options = (joinedload(Takeaway.author), selectinload(Takeaway.citations))
    for takeaway in _batches(Takeaway, options):
        cited = citations.resolve((c.kind, c.target_id) for c in takeaway.citations)
        yield {
            "id": takeaway.id, "theme_id": takeaway.theme_id, "session_id": takeaway.session_id,
            "kind": takeaway.kind, "title": takeaway.title, "body": takeaway.body,
            "language": takeaway.language, "state": takeaway.state, "drafted_by": _person(takeaway.author),
            "created_at": _when(takeaway.created_at), "updated_at": _when(takeaway.updated_at),
            "published_at": _when(takeaway.published_at), "citations": [_citation(c) for c in cited],
        }  # fmt: skip


# The archive's parts, in order: name -> rows for a viewer.
KINDS = {
    "themes": _themes,
    "threads": _threads,
    "posts": _posts,
    "questions": _questions,
    "sessions": _sessions,
    "speakers": _speakers,
    "hub_entries": _hub_entries,
    "takeaways": _takeaways,
}
