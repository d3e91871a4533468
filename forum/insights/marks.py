"""Marking the tally's days whose activity changed, in the transaction that changes it.

A change to a counted row older than a day (forum.insights.tally reads newer days live) writes a
TallyMark for its day, before and after the change: posts, threads, questions, votes, statements and Hub
entries, through the ORM (the session's flush) or a bulk UPDATE or DELETE (the session's execute). What
moves rows between a tally's groups or themes marks the days of the rows it moves: a thread's theme (its
posts), a session's themes or its deletion (its questions, votes and statements), an account's group or
country (its votes, statements and Hub entries). A vote withdrawn by SQL is marked by forum.qa.ballot.
"""

from datetime import UTC, date, timedelta

from sqlalchemy import delete, event, func, inspect, select, true
from sqlalchemy.orm import Session

from forum.accounts.models import User
from forum.database import utcnow
from forum.hub.models import Contribution
from forum.insights.models import Tally, TallyMark
from forum.qa import signals as qa_signals
from forum.qa.models import AgendaSession, Question, QuestionVote, SpeakerSlot
from forum.threads.models import Post, Theme, Thread

# model -> (its kinds, each with the time it counts by; the attributes whose change changes a count)
COUNTED = {
    Post: ((("posts", "created_at"),),
           {"state", "created_at", "written_group", "written_country", "language", "thread_id"}),
    Thread: ((("threads", "created_at"),), {"state", "created_at", "language", "theme_id", "first_post_id"}),
    Question: ((("questions", "created_at"), ("answered", "answered_at")),
               {"state", "created_at", "answered_at", "written_group", "written_country", "language",
                "session_id"}),
    QuestionVote: ((("votes", "created_at"),), {"created_at", "question_id", "user_id"}),
    SpeakerSlot: ((("statements", "created_at"), ("minutes", "created_at")),
                  {"state", "created_at", "language", "minutes", "user_id", "session_id"}),
    Contribution: ((("hub", "published_at"),), {"published_at", "submitter_id", "themes"}),
}  # fmt: skip
# An account's identity: votes, statements and Hub entries count the account's present one.
IDENTITY = {"stakeholder_group", "country"}
# model -> the attributes whose change moves other counted rows between groups or themes (see _moved).
MOVING = {Thread: {"theme_id"}, Question: {"session_id"}, AgendaSession: {"themes"}, User: IDENTITY}


def _threshold():
    """Rows at or after this time (naive UTC) are counted live: they need no mark."""
    return (utcnow() - timedelta(days=1)).replace(tzinfo=None)


def _naive(moment):
    """A time as naive UTC (stored times are naive UTC; the models hand back aware ones)."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def mark(session, kind, moment):
    """Mark the day of `moment` (a time, or None) of `kind` when the tally may hold it."""
    if moment is not None and _naive(moment) < _threshold():
        session.add(TallyMark(kind=kind, day=_naive(moment).date()))


def _mark_matching(session, model, where):
    """Mark the days of every kind of `model`'s rows that match `where`."""
    for kind, name in COUNTED[model][0]:
        column = getattr(model, name)
        found = select(func.date(column)).where(where, column < _threshold()).distinct()
        for day in session.execute(found).scalars():
            session.add(TallyMark(kind=kind, day=day if isinstance(day, date) else date.fromisoformat(day)))


def _moved(session, model, ids):
    """Mark what moves with rows of `model` whose ids are selected by `ids`: a thread's posts, a question's
    votes, a session's questions, votes and statements, an account's votes, statements and Hub entries."""
    if model is Thread:
        _mark_matching(session, Post, Post.thread_id.in_(ids))
    elif model is Question:
        _mark_matching(session, QuestionVote, QuestionVote.question_id.in_(ids))
    elif model is AgendaSession:
        _mark_matching(session, Question, Question.session_id.in_(ids))
        asked = select(Question.id).where(Question.session_id.in_(ids))
        _mark_matching(session, QuestionVote, QuestionVote.question_id.in_(asked))
        _mark_matching(session, SpeakerSlot, SpeakerSlot.session_id.in_(ids))
    elif model is User:
        _mark_matching(session, QuestionVote, QuestionVote.user_id.in_(ids))
        _mark_matching(session, SpeakerSlot, SpeakerSlot.user_id.in_(ids))
        _mark_matching(session, Contribution, Contribution.submitter_id.in_(ids))


def _changed(obj, names):
    """The attributes among `names` that changed on `obj` since it was loaded."""
    attrs = inspect(obj).attrs
    return {name for name in names if attrs[name].history.has_changes()}


def _mark_object(session, obj, old=True):
    """Mark the days a counted row counts on, as it is and (`old`) as it was loaded."""
    for kind, name in COUNTED[type(obj)][0]:
        mark(session, kind, getattr(obj, name))
        if old:
            for before in inspect(obj).attrs[name].history.deleted:
                mark(session, kind, before)


@event.listens_for(Session, "before_flush")
def _flushing(session, _context, _instances):
    """Mark the days of the counted rows this flush adds, changes or deletes, and of what they move."""
    with session.no_autoflush:
        for obj in session.new:
            if type(obj) in COUNTED:
                _mark_object(session, obj, old=False)
        for obj in session.deleted:
            if type(obj) in COUNTED:
                _mark_object(session, obj)
            if type(obj) in (Thread, Question, AgendaSession):
                _moved(session, type(obj), [obj.id])
            if type(obj) is Theme:
                session.execute(delete(Tally).where(Tally.theme_id == obj.id))
        for obj in list(session.dirty):
            model = type(obj)
            if model in COUNTED and _changed(obj, COUNTED[model][1]):
                _mark_object(session, obj)
            if model in MOVING and _changed(obj, MOVING[model]):
                _moved(session, model, [obj.id])


def _updated(statement):
    """The names of the columns a bulk UPDATE sets."""
    return {getattr(key, "key", key) for key in (statement._values or {})}


@event.listens_for(Session, "do_orm_execute")
def _executing(state):
    """Before a bulk UPDATE or DELETE of counted rows (or of accounts' identities), mark what it changes."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    model, statement = state.bind_mapper.class_, state.statement
    where = statement.whereclause if statement.whereclause is not None else true()
    names = _updated(statement) if state.is_update else None
    if model in COUNTED and (names is None or names & COUNTED[model][1]):
        _mark_matching(state.session, model, where)
    if model in MOVING and (names is None or names & MOVING[model]):
        _moved(state.session, model, select(model.id).where(where))


@qa_signals.vote_withdrawn.connect
def _vote_withdrawn(session, cast_at):
    """A withdrawn vote leaves the count of the day it was cast."""
    mark(session, "votes", cast_at)
