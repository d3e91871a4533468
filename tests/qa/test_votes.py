"""A vote is one statement that checks its user, by the rules of signing in and the policy's "participate"."""

import itertools
import threading
from datetime import timedelta

import pytest
from flask import session as flask_session
from sqlalchemy import event, insert, select

from forum.accounts import sessions
from forum.accounts.models import User
from forum.accounts.routes import load_user
from forum.accounts.security_models import UserSession
from forum.accounts.sessions import SESSION_ID
from forum.database import utcnow
from forum.extensions import db
from forum.permissions import Role
from forum.policy import allowed
from forum.qa import ballot, questions
from forum.qa.models import QuestionVote
from forum.states import AccountStatus
from tests.conftest import Auth
from tests.qa.conftest import stored_votes

# Every role and status the database accepts: its CHECK constraints refuse any other.
ROLES = tuple(Role)
STATUSES = tuple(AccountStatus)
# Sanctions: none, one that has ended, one still running.
SANCTIONS = (None, -1, 1)


def test_the_vote_statement_takes_exactly_the_signed_in_participants(app, make_session, make_user):
    """For every role, status, sanction and token: written iff the user signs in as a participant."""
    question = questions.ask(make_user(), make_session(), "Who may vote?")
    now = utcnow()
    cases = list(itertools.product(ROLES, STATUSES, SANCTIONS, SANCTIONS, (True, False)))
    rows = [
        {
            "email": f"case{n}@example.org",
            "name": f"Case {n}",
            "handle": f"case{n}",
            "password_hash": "!",
            "role": role,
            "status": status,
            "stakeholder_group": "academia",
            "organisation": "University of Geneva",
            "session_token": f"token{n}",
            "silenced_until": None if silenced is None else now + timedelta(hours=silenced),
            "suspended_until": None if suspended is None else now + timedelta(hours=suspended),
        }
        for n, (role, status, silenced, suspended, _own) in enumerate(cases)
    ]
    db.session.execute(insert(User), rows)
    db.session.commit()
    ids = dict(db.session.execute(select(User.handle, User.id)).all())
    outcomes = set()
    # load_user reads the session's age: a request whose session has just signed in.
    with app.test_request_context():
        sessions.start(flask_session)
        for n, (*_state, own_token) in enumerate(cases):
            user_id, token = ids[f"case{n}"], f"token{n}" if own_token else "stale"
            # Each case signs in with a session row of its own, as the sign-in form opens one.
            login = flask_session[SESSION_ID] = f"login{n}"
            db.session.add(UserSession(id=login, user_id=user_id))
            db.session.commit()
            signed_in = load_user(f"{user_id}:{token}")
            expected = signed_in is not None and allowed(signed_in, "participate")
            taken = ballot.cast(question.id, user_id, token, True, login) is not None
            db.session.commit()
            assert taken == expected, cases[n]
            outcomes.add(taken)
            # Withdrawing is held to the same rules, for a vote cast before the user lost the right.
            if not taken:
                db.session.execute(insert(QuestionVote), {"question_id": question.id, "user_id": user_id})
                db.session.commit()
            withdrawn = ballot.cast(question.id, user_id, token, False, login) is not None
            db.session.commit()
            assert withdrawn == expected, cases[n]
    assert outcomes == {True, False}


def test_a_signed_out_session_votes_no_more(app, make_session, make_user, participant):
    """A session signed out from the sessions page is refused by the vote statement, as by load_user."""
    question = questions.ask(make_user(), make_session(), "Who may vote?")
    db.session.add(UserSession(id="kept", user_id=participant.id))
    db.session.add(UserSession(id="revoked", user_id=participant.id, ended_at=utcnow()))
    db.session.commit()
    with app.test_request_context():
        sessions.start(flask_session)
        flask_session[SESSION_ID] = "revoked"
        assert load_user(participant.get_id()) is None
        assert ballot.cast(question.id, participant.id, participant.session_token, True, "revoked") is None
        flask_session[SESSION_ID] = "kept"
        assert load_user(participant.get_id()) is not None
        assert ballot.cast(question.id, participant.id, participant.session_token, True, "kept") == 1


def test_a_socket_vote_is_one_statement(app, socket_client, make_session, make_user):
    """The user's row is checked inside the vote's statement, not read first."""
    question_id = questions.ask(make_user(), make_session(), "How many round trips?").id
    # The first vote on a question in a process reads which session it belongs to; later ones do not.
    questions.set_vote(make_user(), question_id, True)
    client = app.test_client()
    Auth(client).login(make_user())
    socket = socket_client(client)
    statements, here = [], threading.get_ident()

    def seen(conn, cursor, statement, parameters, context, executemany):
        """Keep the statements of the test's own thread (the count broadcaster runs in another)."""
        if threading.get_ident() == here:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        reply = socket.emit("question.vote", {"question_id": question_id, "vote": True}, callback=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert reply == {"ok": True, "question_id": question_id, "voted": True, "count": 2}
    assert len(statements) == 1, statements
    assert statements[0].startswith("INSERT INTO question_vote"), statements
    assert stored_votes(question_id, 2) == 2


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ({"suspended_until": utcnow() + timedelta(days=1)}, "forbidden", "Sign in"),
        ({"session_token": "signed-out-elsewhere"}, "forbidden", "Sign in"),
        ({"silenced_until": utcnow() + timedelta(days=1)}, "forbidden", "has silenced your account until"),
        ({"status": "rejected"}, "forbidden", "Only verified participants"),
    ],
)
def test_a_socket_vote_refuses_a_session_that_no_longer_holds(
    app, socket_client, make_session, make_user, change, code, message
):
    """Signed in, then suspended, signed out elsewhere, silenced or rejected: refused with the reason."""
    question = questions.ask(make_user(), make_session(), "Still allowed?")
    voter = make_user()
    client = app.test_client()
    Auth(client).login(voter)
    socket = socket_client(client)
    db.session.execute(User.__table__.update().where(User.id == voter.id).values(**change))
    db.session.commit()
    reply = socket.emit("question.vote", {"question_id": question.id, "vote": True}, callback=True)
    assert reply["ok"] is False and reply["error"] == code and message in reply["message"], reply
    assert (
        db.session.scalar(select(QuestionVote.user_id).where(QuestionVote.question_id == question.id)) is None
    )
