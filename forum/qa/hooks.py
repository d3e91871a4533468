"""The Q&A's webhook events: a question published, a question answered; an anonymous asker stays unnamed."""

from flask_babel import lazy_gettext as _l

from forum.extensions import db
from forum.qa.models import Question, QuestionState
from forum.urls import public_url
from forum.webhooks.outbox import emit, register_event, timestamp


def _still_public(question_id):
    """The question is still published (not dismissed or merged since)."""
    question = db.session.get(Question, question_id)
    return question is not None and question.state == QuestionState.PUBLISHED


register_event("question.created", _l("New question"), _still_public)
register_event("question.answered", _l("Question answered"), _still_public)


def question_data(question):
    """The question as participants see it: an anonymous question names only the stakeholder group."""
    session = question.session
    asker = {"stakeholder_group": question.written_group}
    if not question.anonymous:
        asker |= {"name": question.author.name, "handle": question.author.handle}
        asker["country"] = question.written_country
    return {
        "question": {
            "id": question.id,
            "body": question.body,
            "language": question.language,
            "created_at": timestamp(question.created_at),
            "answered_at": timestamp(question.answered_at),
            "anonymous": question.anonymous,
            "asker": asker,
        },
        "session": {
            "id": session.id,
            "slug": session.slug,
            "title": dict(session.title),
            "url": public_url("qa.session_page", slug=session.slug),
            "starts_at": timestamp(session.starts_at),
            "ends_at": timestamp(session.ends_at),
        },
    }


def question_changed(question, name):
    """Add the deliveries of a stored Q&A event that a receiver hears of (current transaction)."""
    if name in ("question.created", "question.answered") and _still_public(question.id):
        emit(name, question.id, question_data(question))
