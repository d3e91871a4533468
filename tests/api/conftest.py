"""API fixtures: bearer tokens, and programme sessions (on a SQLite file the vote counter can share)."""

from datetime import timedelta

import pytest

from forum.api import tokens
from forum.database import utcnow
from forum.extensions import db as _db
from forum.qa.models import AgendaSession


def bearer_for(user, scope="write"):
    """The Authorization header of a new token of `user` (no header for a visitor, None)."""
    if user is None:
        return {}
    _token, secret = tokens.create(user, f"{scope} token", scope)
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def bearer(app):
    """bearer(user, scope="write"): the Authorization header of a new token of the user."""
    return bearer_for


@pytest.fixture
def config_overrides(tmp_path):
    """A SQLite file instead of memory: the vote counter reads it from its own thread and connection."""
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'api.db'}"}


@pytest.fixture
def make_session(app):
    """A programme session running now: make_session(qa_state="open", chairs=[...], ...)."""
    counter = iter(range(1, 10_000))

    def factory(qa_state="open", moderation_mode="post", chairs=(), **fields):
        n = next(counter)
        session = AgendaSession(
            slug=f"session-{n}", title=f"Session {n}", room="Room A", starts_at=utcnow() - timedelta(hours=1),
            ends_at=utcnow() + timedelta(hours=2), qa_state=qa_state, moderation_mode=moderation_mode,
            chairs=list(chairs), **fields,
        )  # fmt: skip
        _db.session.add(session)
        _db.session.commit()
        return session

    return factory
