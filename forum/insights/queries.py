"""Aggregate SQL of the participation figures: every query groups and counts in the database.

Each kind of activity is a select of the same labelled columns (`ts`, `grp`, `country`, `lang`) under
the dashboard's filters; forum.insights.tally counts it GROUP BY day and those columns, never by
person. Posts and questions carry the group and country their author had when writing
(WrittenIdentity); votes, statements and Hub entries the account's current ones.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import false, func, literal, select

from forum.accounts.models import User
from forum.extensions import db
from forum.hub.models import Contribution, contribution_theme
from forum.qa.models import (
    Question,
    QuestionState,
    QuestionVote,
    SlotState,
    SpeakerSlot,
    session_theme,
    session_thread,
)
from forum.states import AccountStatus, PostState, ThreadState
from forum.threads.models import Post, Thread

# Questions the audience saw: published ones, and those merged into another question.
ASKED_STATES = (QuestionState.PUBLISHED, QuestionState.MERGED)
# Registrations the dashboard counts; rejected ones are not participants.
REGISTERED_STATES = (AccountStatus.VERIFIED, AccountStatus.PENDING)
KINDS = ("posts", "threads", "questions", "votes", "statements", "hub")
# The kinds that record a language (votes and Hub entries do not).
LANGUAGE_KINDS = ("posts", "threads", "questions", "statements")


@dataclass(frozen=True)
class Filters:
    """What the figures are restricted to: UTC dates (both inclusive), a theme id, a session id."""

    date_from: date | None = None
    date_to: date | None = None
    theme_id: int | None = None
    session_id: int | None = None


def _moment(day):
    """Midnight UTC at the start of `day`, as the database stores times (naive UTC)."""
    return datetime.combine(day, time(0), tzinfo=UTC).replace(tzinfo=None)


def _dated(query, column, filters):
    """`query` restricted to the filters' dates on `column`."""
    if filters.date_from:
        query = query.where(column >= _moment(filters.date_from))
    if filters.date_to:
        query = query.where(column < _moment(filters.date_to + timedelta(days=1)))
    return query


def _session_ids_of_theme(theme_id):
    """Sessions filed under a theme (a subquery)."""
    return select(session_theme.c.session_id).where(session_theme.c.theme_id == theme_id)


def posts(filters):
    """Published posts."""
    query = select(
        Post.created_at.label("ts"),
        Post.written_group.label("grp"),
        Post.written_country.label("country"),
        Post.language.label("lang"),
    ).where(Post.state == PostState.PUBLISHED)
    if filters.theme_id:
        query = query.join(Thread, Thread.id == Post.thread_id).where(Thread.theme_id == filters.theme_id)
    if filters.session_id:
        linked = select(session_thread.c.thread_id).where(session_thread.c.session_id == filters.session_id)
        query = query.where(Post.thread_id.in_(linked))
    return _dated(query, Post.created_at, filters)


def threads(filters):
    """Published threads, with the identity their opening post records.

    The identity is read per thread by primary key (scalar subqueries): a join let PostgreSQL scan every
    post to hash a few thousand threads.
    """
    opening = Post.id == Thread.first_post_id
    query = select(
        Thread.created_at.label("ts"),
        select(Post.written_group).where(opening).scalar_subquery().label("grp"),
        select(Post.written_country).where(opening).scalar_subquery().label("country"),
        Thread.language.label("lang"),
    ).where(Thread.state == ThreadState.PUBLISHED)
    if filters.theme_id:
        query = query.where(Thread.theme_id == filters.theme_id)
    if filters.session_id:
        linked = select(session_thread.c.thread_id).where(session_thread.c.session_id == filters.session_id)
        query = query.where(Thread.id.in_(linked))
    return _dated(query, Thread.created_at, filters)


def _question_scope(query, filters):
    """Questions (or what joins them) restricted to the filters' session or theme."""
    if filters.session_id:
        query = query.where(Question.session_id == filters.session_id)
    if filters.theme_id:
        query = query.where(Question.session_id.in_(_session_ids_of_theme(filters.theme_id)))
    return query


def questions(filters, answered=False):
    """Questions asked in the Q&A (anonymous ones too: counted, never named); or those answered."""
    stamp = Question.answered_at if answered else Question.created_at
    query = select(
        stamp.label("ts"),
        Question.written_group.label("grp"),
        Question.written_country.label("country"),
        Question.language.label("lang"),
    ).where(Question.state.in_(ASKED_STATES))
    if answered:
        query = query.where(Question.answered_at.is_not(None))
    return _dated(_question_scope(query, filters), stamp, filters)


def votes(filters):
    """Upvotes of questions, by the voter's group and country."""
    query = select(
        QuestionVote.created_at.label("ts"),
        User.stakeholder_group.label("grp"),
        User.country.label("country"),
        literal(None).label("lang"),
    ).join(User, User.id == QuestionVote.user_id)
    if filters.session_id or filters.theme_id:
        query = _question_scope(query.join(Question, Question.id == QuestionVote.question_id), filters)
    return _dated(query, QuestionVote.created_at, filters)


def statements(filters):
    """Delivered statements of the speakers' lists, with their allotted minutes, by the speaker's identity."""
    query = (
        select(
            SpeakerSlot.created_at.label("ts"),
            User.stakeholder_group.label("grp"),
            User.country.label("country"),
            SpeakerSlot.language.label("lang"),
            SpeakerSlot.minutes.label("minutes"),
        )
        .join(User, User.id == SpeakerSlot.user_id)
        .where(SpeakerSlot.state == SlotState.DONE)
    )
    if filters.session_id:
        query = query.where(SpeakerSlot.session_id == filters.session_id)
    if filters.theme_id:
        query = query.where(SpeakerSlot.session_id.in_(_session_ids_of_theme(filters.theme_id)))
    return _dated(query, SpeakerSlot.created_at, filters)


def hub(filters):
    """Published Hub contributions (withdrawn ones that were published too), by the submitter's identity.

    Contributions belong to no session: a session filter leaves none.
    """
    query = (
        select(
            Contribution.published_at.label("ts"),
            User.stakeholder_group.label("grp"),
            User.country.label("country"),
            literal(None).label("lang"),
        )
        .join(User, User.id == Contribution.submitter_id)
        .where(Contribution.published_at.is_not(None))
    )
    if filters.theme_id:
        filed = select(contribution_theme.c.contribution_id).where(
            contribution_theme.c.theme_id == filters.theme_id
        )
        query = query.where(Contribution.id.in_(filed))
    if filters.session_id:
        query = query.where(false())
    return _dated(query, Contribution.published_at, filters)


SOURCES = {
    "posts": posts,
    "threads": threads,
    "questions": questions,
    "votes": votes,
    "statements": statements,
    "hub": hub,
}


def registrations(filters):
    """[(group, country, status, count)] of registered accounts (the dates filter their registration)."""
    query = select(User.stakeholder_group, User.country, User.status, func.count()).where(
        User.status.in_(REGISTERED_STATES), User.erased_at.is_(None)
    )
    query = _dated(query, User.created_at, filters).group_by(
        User.stakeholder_group, User.country, User.status
    )
    return [tuple(row) for row in db.session.execute(query)]
