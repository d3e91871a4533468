"""How Q&A and speakers' list events look to each audience: participants never get pending questions,
anonymous askers, nor the requests waiting for the chair."""

import logging

import redis
from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from forum.extensions import db
from forum.qa import speakers, votes
from forum.qa.models import STATEMENT_LANGUAGES, AgendaSession, Question, QuestionState, SpeakerSlot
from forum.realtime.publish import renders
from forum.realtime.rooms import register_kind

log = logging.getLogger(__name__)


def current_counts(session_id):
    """The session's vote counts as last stored, for a socket that joins: [("question.voted", data)].

    The stamp is read before the counts: a recount commits before it takes its stamp, so counts read
    after a stamp are at least as new as that stamp's broadcast, and readers keep the highest stamp.
    """
    try:
        stamp = votes.coalescer().current_stamp(session_id)
    except redis.RedisError:
        log.warning(
            "vote stamp of session %s not read; the joining socket waits for the next count", session_id
        )
        return []
    if not stamp:
        return []  # nothing broadcast yet: the page's counts are the latest
    query = select(Question.id, Question.vote_count).where(
        Question.session_id == session_id, Question.state == QuestionState.PUBLISHED
    )
    counts = [
        {"question_id": qid, "count": count} for qid, count in db.session.execute(query.order_by(Question.id))
    ]
    return [("question.voted", {"session_id": session_id, "counts": counts, "stamp": stamp})]


# `session:<id>`: a session's Q&A is for every reader of the site; its chairs get the staff copy.
register_kind(
    "session",
    lambda session_id: db.session.get(AgendaSession, session_id),
    "read",
    staff_rule="session.chair",
    current=current_counts,
)


def question_html(question, staff, token="", voted=False, can_vote=False, moderator=False, mine=False):
    """A question's list item, as the page renders it; live copies carry no form token nor asker's link."""
    html = render_template(
        "qa/_question.html",
        question=question,
        highlighted=question.session.highlighted_question_id == question.id,
        show_identity=staff or not question.anonymous,
        token=token,
        voted=voted,
        can_vote=can_vote,
        moderator=moderator,
        mine=mine,
    )
    return Markup(html)  # noqa: S704 - our own rendered template


@renders("question.created")
@renders("question.updated")
@renders("question.answered")
@renders("question.highlighted")
def question_event(event, audience):
    """The question as the audience sees it now; None when a participant may not see it at all."""
    question = db.session.get(Question, event.data["question_id"])
    if question is None:
        return None
    staff = audience == "staff"
    if question.state == QuestionState.PENDING and not staff:
        return None
    session = db.session.get(AgendaSession, question.session_id)
    data = {
        "question_id": question.id,
        "state": question.state,
        "answered": question.answered_at is not None,
        "votes": question.vote_count,
        "highlighted_id": session.highlighted_question_id,
    }
    if question.state in (QuestionState.DISMISSED, QuestionState.MERGED):
        return {**data, "removed": True}
    return {**data, "removed": False, "html": question_html(question, staff, moderator=staff)}


def speakers_html(session, runs, token=""):
    """The speakers' list as the page renders it; `runs` adds the chair's controls."""
    html = render_template(
        "qa/_speakers_live.html",
        session=session,
        listed=speakers.approved(session),
        runs=runs,
        token=token,
        statement_languages=STATEMENT_LANGUAGES,
        **speakers.floor(session),
    )
    return Markup(html)  # noqa: S704 - our own rendered template


def requests_html(session, token=""):
    """The requests waiting for the chair, as the page renders them."""
    html = render_template(
        "qa/_speaker_requests.html",
        requests=speakers.requests(session),
        token=token,
        statement_languages=STATEMENT_LANGUAGES,
    )
    return Markup(html)  # noqa: S704 - our own rendered template


def _announcement(action, slot, staff):
    """What a screen reader hears of a change to the list; None when the audience saw no change."""
    org = slot.on_behalf_of if slot is not None else ""
    public = {
        "approve": _("%(org)s joined the speakers’ list.", org=org),
        "move": _("The speakers’ list was reordered."),
        "start": _("%(org)s has the floor.", org=org),
        "stop": _("%(org)s has finished speaking.", org=org),
    }
    private = {
        "request": _("%(org)s requested to speak.", org=org),
        "reject": _("The request of %(org)s was rejected.", org=org),
    }
    return public.get(action) or (private.get(action) if staff else None)


@renders("speakers.updated")
def speakers_event(event, audience):
    """The speakers' list (and, for staff, the requests) as the audience sees it now."""
    session = db.session.get(AgendaSession, event.data["session_id"])
    if session is None:
        return None
    staff = audience == "staff"
    slot_id = event.data.get("slot_id")
    slot = db.session.get(SpeakerSlot, slot_id) if slot_id else None
    # Every audience gets every event, unchanged list or not: a skipped number would look like a lost event.
    data = {
        "session_id": session.id,
        "list_html": speakers_html(session, staff),
        "announce": _announcement(event.data.get("action"), slot, staff),
    }
    if staff:
        data["requests_html"] = requests_html(session)
    return data
