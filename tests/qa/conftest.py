"""Q&A fixtures: sessions in the programme, and a SQLite file the vote broadcaster's thread can share."""

from datetime import timedelta

import pytest

from forum.database import utcnow
from forum.extensions import db as _db
from forum.qa.models import AgendaSession
from tests.conftest import Auth


@pytest.fixture
def config_overrides(tmp_path):
    """A SQLite file instead of memory: the count broadcaster reads it from its own thread and connection."""
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'qa.db'}"}


@pytest.fixture
def make_session(app):
    """Create a session: make_session(qa_state="open", moderation_mode="pre", chairs=[...], ends_in=hours)."""
    counter = iter(range(1, 10_000))

    def factory(qa_state="open", moderation_mode="post", chairs=(), ends_in=2, **fields):
        n = next(counter)
        start = utcnow() - timedelta(hours=1)
        session = AgendaSession(
            slug=f"session-{n}",
            title=f"Session {n} on AI governance",
            room="Palexpo, Hall A",
            starts_at=start,
            ends_at=utcnow() + timedelta(hours=ends_in),
            qa_state=qa_state,
            moderation_mode=moderation_mode,
            chairs=list(chairs),
            **fields,
        )
        _db.session.add(session)
        _db.session.commit()
        return session

    return factory


def follow(app, socket_client, user, session):
    """A socket signed in as `user` (anonymous when None), following the session's room."""
    client = app.test_client()
    if user is not None:
        Auth(client).login(user)
    socket = socket_client(client)
    reply = socket.emit("subscribe", {"room": f"session:{session.id}"}, callback=True)
    assert reply["ok"], reply
    socket.get_received()
    return socket, client


def received(socket, name):
    """The payloads of the `name` events a test socket has received since the last call."""
    return [event["args"][0] for event in socket.get_received() if event["name"] == name]


def stored_votes(question_id, expected, seconds=3.0):
    """The question's stored count once it equals `expected` (counts are stored a moment after votes)."""
    import time

    from sqlalchemy import select

    from forum.qa.models import Question

    deadline = time.monotonic() + seconds
    while True:
        count = _db.session.scalar(select(Question.vote_count).where(Question.id == question_id))
        _db.session.rollback()
        if count == expected or time.monotonic() > deadline:
            return count
        time.sleep(0.05)
