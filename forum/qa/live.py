"""How Q&A events look to each audience: participants never get pending questions, nor anonymous askers."""

from flask import render_template
from markupsafe import Markup

from forum.extensions import db
from forum.qa.models import AgendaSession, Question
from forum.realtime.publish import renders


def question_html(question, staff, token="", voted=False, can_vote=False, moderator=False):
    """A question's list item, as the page renders it; live copies carry no form token."""
    html = render_template(
        "qa/_question.html",
        question=question,
        show_identity=staff or not question.anonymous,
        token=token,
        voted=voted,
        can_vote=can_vote,
        moderator=moderator,
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
    if question.state == "pending" and not staff:
        return None
    session = db.session.get(AgendaSession, question.session_id)
    data = {
        "question_id": question.id,
        "state": question.state,
        "answered": question.answered_at is not None,
        "votes": question.vote_count,
        "highlighted_id": session.highlighted_question_id,
    }
    if question.state in ("dismissed", "merged"):
        return {**data, "removed": True}
    return {**data, "removed": False, "html": question_html(question, staff, moderator=staff)}
