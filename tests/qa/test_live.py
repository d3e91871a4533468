"""Live Q&A: what each audience receives, socket refusals, coalesced counts, concurrent votes."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.qa import questions, votes
from forum.qa.models import Question, QuestionVote
from forum.qa.votes import INTERVAL
from forum.realtime import presence
from forum.rules import RuleViolation
from tests.conftest import Auth
from tests.qa.conftest import follow, received, stored_votes


@pytest.fixture
def config_overrides(config_overrides):
    """Enough database connections for fifty browsers voting at the same moment."""
    return {**config_overrides, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 60, "max_overflow": 0}}


def test_pending_questions_never_reach_participants(app, socket_client, make_session, make_user, moderator):
    session = make_session(moderation_mode="pre")
    asker = make_user(name="Quinn Asker")
    reader, reader_client = follow(app, socket_client, make_user(), session)
    staff, _ = follow(app, socket_client, moderator, session)
    question = questions.ask(asker, session, "Secret until approved?")
    # Participants learn only the event's number, so that the next one is not taken for a loss.
    assert [(e["name"], e["args"][0]) for e in reader.get_received() if e["name"] != "presence"] == [
        ("skip", {"room": f"session:{session.id}", "id": 1})
    ]
    assert [p["question_id"] for p in received(staff, "question.created")] == [question.id]
    assert "Secret until approved?" not in reader_client.get(f"/programme/{session.slug}").text
    questions.moderate(moderator, question, "dismiss")
    assert received(reader, "question.updated") == [
        {
            "question_id": question.id,
            "state": "dismissed",
            "answered": False,
            "votes": 0,
            "highlighted_id": None,
            "removed": True,
            "room": f"session:{session.id}",
            "id": 2,
        }
    ]
    second = questions.ask(asker, session, "Approved this time?")
    questions.moderate(moderator, second, "approve")
    created = received(reader, "question.created")
    assert [p["question_id"] for p in created] == [second.id]
    assert "Approved this time?" in created[0]["html"]


def test_participants_catch_up_past_pending_questions(app, socket_client, make_session, make_user, moderator):
    session = make_session(moderation_mode="pre")
    room = f"session:{session.id}"
    pending = questions.ask(make_user(), session, "Still waiting?")
    questions.moderate(moderator, questions.ask(make_user(), session, "Approved?"), "approve")
    client = app.test_client()
    Auth(client).login(make_user())
    socket = socket_client(client)
    assert socket.emit("subscribe", {"room": room, "since": 0}, callback=True)["last"] == 3
    replayed = [(e["name"], e["args"][0]) for e in socket.get_received() if e["name"] != "presence"]
    # Every number arrives, in order: the pending question's as a bare skip.
    assert [data["id"] for _name, data in replayed] == [1, 2, 3]
    assert replayed[0] == ("skip", {"room": room, "id": 1})
    assert all(name != "skip" for name, _data in replayed[1:])
    assert "Still waiting?" not in str(replayed) and pending.state == "pending"


def test_anonymous_askers_stay_anonymous_to_participants(
    app, socket_client, make_session, make_user, moderator, client
):
    session = make_session()
    asker = make_user(name="Hidden Person", organisation="Secret Ministry", stakeholder_group="civil_society")
    reader, reader_client = follow(app, socket_client, make_user(), session)
    anonymous_reader, anonymous_client = follow(app, socket_client, None, session)
    staff, staff_client = follow(app, socket_client, moderator, session)
    question = questions.ask(asker, session, "Who asks this?", anonymous=True)
    for socket in (reader, anonymous_reader):
        (payload,) = received(socket, "question.created")
        assert "Civil society" in payload["html"] and "Asked anonymously" in payload["html"]
        assert "Hidden Person" not in str(payload) and "Secret Ministry" not in str(payload)
        assert f"/users/{asker.id}" not in payload["html"]
    (payload,) = received(staff, "question.created")
    assert "Hidden Person" in payload["html"]
    for page_client in (reader_client, anonymous_client):
        page = page_client.get(f"/programme/{session.slug}").text
        assert "Who asks this?" in page and "Hidden Person" not in page and "Secret Ministry" not in page
    assert "Hidden Person" in staff_client.get(f"/programme/{session.slug}").text
    questions.moderate(moderator, question, "highlight")
    (highlighted,) = received(reader, "question.highlighted")
    assert "Hidden Person" not in str(highlighted)
    assert "Hidden Person" not in reader_client.get(f"/programme/{session.slug}/screen").text
    session.ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    for path in ("questions.csv", "summary.md"):
        exported = reader_client.get(f"/programme/{session.slug}/{path}").text
        assert (
            "Who asks this?" in exported and "Hidden Person" not in exported and "Civil society" in exported
        )
        assert "Hidden Person" in staff_client.get(f"/programme/{session.slug}/{path}").text


def test_malformed_and_forbidden_socket_payloads_get_structured_errors(
    app, socket_client, make_session, make_user, participant
):
    session = make_session()
    question = questions.ask(make_user(), session, "Is this allowed?")
    client = app.test_client()
    Auth(client).login(participant)
    socket = socket_client(client)
    for event, payload, code in [
        ("question.vote", None, "bad_request"),
        ("question.vote", {"question_id": "1"}, "bad_request"),
        ("question.vote", {"question_id": question.id, "vote": "yes"}, "bad_request"),
        ("question.vote", {"question_id": 999}, "not_found"),
        ("question.ask", {"session_id": session.id, "body": 42}, "bad_request"),
        ("question.ask", {"session_id": 999, "body": "Where?"}, "not_found"),
        ("question.ask", {"session_id": session.id, "body": ""}, "empty"),
        ("question.moderate", {"question_id": question.id, "action": "highlight"}, "forbidden"),
        ("question.moderate", {"question_id": question.id, "action": "explode"}, "bad_request"),
    ]:
        reply = socket.emit(event, payload, callback=True)
        assert reply["ok"] is False and reply["error"] == code, (event, payload, reply)
        assert reply["message"]
    anonymous = socket_client(app.test_client())
    reply = anonymous.emit("question.vote", {"question_id": question.id, "vote": True}, callback=True)
    assert reply["error"] == "forbidden"
    reply = socket.emit("question.vote", {"question_id": question.id, "vote": True}, callback=True)
    assert reply == {"ok": True, "question_id": question.id, "voted": True, "count": 1}
    reply = socket.emit("question.vote", {"question_id": question.id, "vote": True}, callback=True)
    assert reply["error"] == "already_voted"
    assert stored_votes(question.id, 1) == 1


def test_a_vote_burst_is_coalesced_into_a_few_exact_broadcasts(app, socket_client, make_session, make_user):
    session = make_session()
    question = questions.ask(make_user(), session, "How many votes?")
    # Written directly: 500 accounts through the registration service would take most of the test's time.
    voters = [
        User(
            email=f"voter{n}@example.org",
            name=f"Voter {n}",
            handle=f"voter{n}",
            password_hash="!",
            status="verified",
            stakeholder_group="academia",
            organisation="University of Geneva",
        )
        for n in range(500)
    ]
    db.session.add_all(voters)
    db.session.commit()
    reader, _ = follow(app, socket_client, make_user(), session)
    started = time.monotonic()
    for voter in voters:
        questions.set_vote(voter, question.id, True)
    elapsed = time.monotonic() - started
    time.sleep(INTERVAL * 4)
    broadcasts = received(reader, "question.voted")
    assert 1 <= len(broadcasts) <= 4 * elapsed + 2, (len(broadcasts), elapsed)
    assert broadcasts[-1]["counts"] == [{"question_id": question.id, "count": 500}]
    assert broadcasts[-1]["session_id"] == session.id
    # Readers keep the counts of the highest stamp: stamps grow with every broadcast.
    stamps = [b["stamp"] for b in broadcasts]
    assert stamps == sorted(set(stamps))


def test_a_large_audience_hears_counts_less_often(app, socket_client, make_session, make_user, monkeypatch):
    assert votes.spacing(None) == votes.spacing(3) == votes.spacing(600) == votes.LOCK_MS
    assert votes.spacing(1000) == 500 and votes.spacing(2000) == 1000
    session = make_session()
    room = f"session:{session.id}"
    question = questions.ask(make_user(), session, "Heard by thousands?")
    reader, _ = follow(app, socket_client, make_user(), session)
    anonymous, _ = follow(app, socket_client, None, session)
    # The session's readers are counted, signed in or not, and not told how many they are.
    with app.test_request_context():
        assert presence.count(room) == 2
    assert received(reader, "presence") == received(anonymous, "presence") == []
    # Two readers at a budget of one message a second: two seconds between broadcasts.
    monkeypatch.setattr(votes, "MESSAGES_PER_S", 1)
    voters = [make_user() for _ in range(3)]
    for voter in voters:
        questions.set_vote(voter, question.id, True)
        time.sleep(INTERVAL * 2)
    broadcasts = received(reader, "question.voted")
    # The first vote's count went out at once; the next two waited for the spacing to pass.
    assert [b["counts"][0]["count"] for b in broadcasts] == [1]
    time.sleep(1.5)  # until past two seconds after the first broadcast
    broadcasts += received(reader, "question.voted")
    assert [b["counts"][0]["count"] for b in broadcasts] == [1, 3]
    anonymous.disconnect()
    with app.test_request_context():
        assert presence.count(room) == 1


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=False)
def test_votes_do_not_wait_for_a_recount_in_progress(app, make_session, make_user):
    """The recount's row lock keeps recounts apart, not votes (their foreign key check shares the row)."""
    session = make_session()
    question_id = questions.ask(make_user(), session, "Counted while voted on?").id
    voter_id = make_user().id
    db.session.commit()
    with app.app_context():
        votes.recount([question_id])  # its lock is held until this context's transaction ends
        outcome = []

        def vote():
            """A vote from another connection, which gives up after a second of waiting for a lock."""
            with app.app_context():
                db.session.execute(text("SET LOCAL lock_timeout = '1s'"))
                try:
                    outcome.append(questions.set_vote(db.session.get(User, voter_id), question_id, True))
                except Exception as error:  # a lock timeout, when the vote waits for the recount
                    outcome.append(error)

        voting = threading.Thread(target=vote)
        voting.start()
        voting.join()
        db.session.rollback()
    assert outcome == [1]


def test_fifty_simultaneous_voters_and_a_double_vote_count_exactly(app, make_session, make_user):
    """On PostgreSQL (row locks, the production database) and on the SQLite file (one writer at a time)."""
    session = make_session()
    question_id = questions.ask(make_user(), session, "Do concurrent votes count once?").id
    voter_ids = [make_user().id for _ in range(50)]
    double = voter_ids[0]
    attempts = [*voter_ids, double]
    barrier = threading.Barrier(len(attempts))
    outcomes = []

    def vote(user_id):
        """One browser's vote, in its own app context and database connection."""
        with app.app_context():
            user = db.session.get(User, user_id)
            question = db.session.get(Question, question_id)
            db.session.rollback()
            try:
                barrier.wait(timeout=30)
                questions.set_vote(user, question.id, True)
                outcomes.append("ok")
            except RuleViolation as error:
                outcomes.append(error.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=vote, args=(user_id,)) for user_id in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_voted"] + ["ok"] * 50
    assert stored_votes(question_id, 50) == 50
    stored = select(func.count()).select_from(QuestionVote).where(QuestionVote.question_id == question_id)
    assert db.session.scalar(stored) == 50


def test_a_reader_joining_after_a_count_was_broadcast_is_sent_the_counts(
    app, socket_client, make_session, make_user
):
    """A count broadcast between a page's render and its socket's join is not lost: the join sends it."""
    session = make_session()
    room = f"session:{session.id}"
    question = questions.ask(make_user(), session, "Counted before they joined?")
    early, _ = follow(app, socket_client, make_user(), session)
    client = app.test_client()
    late = socket_client(client)  # an anonymous reader whose page was rendered before the vote
    questions.set_vote(make_user(), question.id, True)
    deadline = time.monotonic() + 10
    broadcasts = []
    while not broadcasts and time.monotonic() < deadline:
        broadcasts = received(early, "question.voted")
        time.sleep(0.05)
    assert broadcasts, "the vote's count was never broadcast"
    assert late.emit("subscribe", {"room": room, "since": 0}, callback=True)["ok"]
    assert received(late, "question.voted") == [
        {
            "session_id": session.id,
            "counts": [{"question_id": question.id, "count": 1}],
            "stamp": broadcasts[-1]["stamp"],
            "room": room,
        }
    ]


def test_a_reader_joining_before_any_count_was_broadcast_is_sent_none(
    app, socket_client, make_session, make_user
):
    session = make_session()
    questions.ask(make_user(), session, "Nobody voted yet?")
    late = socket_client(app.test_client())
    assert late.emit("subscribe", {"room": f"session:{session.id}", "since": 0}, callback=True)["ok"]
    assert received(late, "question.voted") == []


def test_the_counts_a_joining_reader_is_sent_leave_out_pending_questions(
    app, socket_client, make_session, make_user, moderator
):
    """The join's counts name only questions every reader of the room may see."""
    session = make_session(moderation_mode="pre")
    published = questions.ask(make_user(), session, "Approved and voted on?")
    questions.moderate(moderator, published, "approve")
    questions.ask(make_user(), session, "Still waiting for a moderator?")
    early, _ = follow(app, socket_client, make_user(), session)
    questions.set_vote(make_user(), published.id, True)
    deadline = time.monotonic() + 10
    while not received(early, "question.voted") and time.monotonic() < deadline:
        time.sleep(0.05)
    client = app.test_client()
    Auth(client).login(make_user())
    late = socket_client(client)
    assert late.emit("subscribe", {"room": f"session:{session.id}", "since": 0}, callback=True)["ok"]
    [joined] = received(late, "question.voted")
    assert joined["counts"] == [{"question_id": published.id, "count": 1}]
