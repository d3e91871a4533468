"""Which questions a reader sees, in which order: popular, recent or balanced between stakeholder groups."""

from itertools import zip_longest

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.policy import allowed
from forum.qa.models import OPEN_QUESTION_STATES, Question, QuestionState

SORTS = {"popular": _l("Popular"), "recent": _l("Recent"), "balanced": _l("Balanced")}
DEFAULT_SORT = "popular"


def _popular_key(question):
    """Most votes first, then the earlier question."""
    return (-question.vote_count, question.created_at, question.id)


def balanced(questions):
    """Interleave stakeholder groups: each round takes every group's next most popular question.

    Groups take turns in the order of their own most popular question, so the top of the list shows one
    question from each group that asked, before any group gets a second place.
    """
    groups = {}
    for question in sorted(questions, key=_popular_key):
        groups.setdefault(question.written_group, []).append(question)
    rounds = zip_longest(*groups.values())
    return [question for round_ in rounds for question in round_ if question is not None]


def ordered(questions, sort):
    """Open questions in the chosen order, answered ones after them (most recently answered first)."""
    open_ = [q for q in questions if q.answered_at is None]
    answered = sorted(
        (q for q in questions if q.answered_at is not None), key=lambda q: q.answered_at, reverse=True
    )
    if sort == "recent":
        open_.sort(key=lambda q: (q.created_at, q.id), reverse=True)
    elif sort == "balanced":
        open_ = balanced(open_)
    else:
        open_.sort(key=_popular_key)
    return open_ + answered


def visible(viewer, session, sort=DEFAULT_SORT, language=None):
    """The questions `viewer` may see: published for all, pending ones for moderators and their askers.

    `language` keeps the questions written in it.
    """
    query = select(Question).options(joinedload(Question.author)).where(Question.session_id == session.id)
    if language is not None:
        query = query.where(Question.language == language)
    if allowed(viewer, "session.moderate", session):
        query = query.where(Question.state.in_(OPEN_QUESTION_STATES))
    elif viewer.is_authenticated:
        query = query.where(
            or_(
                Question.state == QuestionState.PUBLISHED,
                (Question.state == QuestionState.PENDING) & (Question.author_id == viewer.id),
            )
        )
    else:
        query = query.where(Question.state == QuestionState.PUBLISHED)
    return ordered(db.session.scalars(query).all(), sort if sort in SORTS else DEFAULT_SORT)


def highlighted(session):
    """The question on the big screen, or None."""
    if session.highlighted_question_id is None:
        return None
    question = db.session.get(Question, session.highlighted_question_id)
    return question if question is not None and question.state == QuestionState.PUBLISHED else None


def top(session, limit=5):
    """The most popular open published questions, for the presenter screen."""
    query = (
        select(Question)
        .options(joinedload(Question.author))
        .where(
            Question.session_id == session.id,
            Question.state == QuestionState.PUBLISHED,
            Question.answered_at.is_(None),
        )
        .order_by(Question.vote_count.desc(), Question.created_at, Question.id)
        .limit(limit + 1)
    )
    return [q for q in db.session.scalars(query) if q.id != session.highlighted_question_id][:limit]
