"""Live moderation: the queue count and items reach every moderator; decisions over the socket."""

import threading

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.moderation import queue
from forum.moderation.models import ReviewItem
from forum.rules import RuleViolation
from forum.threads import services
from forum.threads.models import Post
from tests.conftest import Auth


@pytest.fixture
def staff_socket(app, socket_client, moderator):
    """A moderator's socket in the moderation room."""
    client = app.test_client()
    Auth(client).login(moderator)
    sock = socket_client(client)
    assert sock.emit("subscribe", {"room": "moderation"}, callback=True)["ok"]
    return sock


def queue_events(sock):
    """The queue.changed payloads a socket received since the last call."""
    return [e["args"][0] for e in sock.get_received() if e["name"] == "queue.changed"]


def test_a_held_post_reaches_the_moderators_live(db, staff_socket, pending_user, make_thread):
    thread = make_thread()
    staff_socket.get_received()
    services.reply(pending_user, thread, "Please approve me")
    [event] = queue_events(staff_socket)
    assert event["open"] == 1 and event["action"] == "raised"
    assert "Please approve me" in event["html"] and "Penny Pending" in event["html"]


def test_decisions_over_the_socket(db, staff_socket, held, moderator):
    _thread, post, item = held
    staff_socket.get_received()
    bad = staff_socket.emit("moderation.act", {"item_id": "one", "action": "approve"}, callback=True)
    assert bad["ok"] is False and bad["error"] == "bad_request"
    no_reason = staff_socket.emit("moderation.act", {"item_id": item.id, "action": "reject"}, callback=True)
    assert no_reason == {
        "ok": False,
        "error": "invalid",
        "message": "Give a reason: the author is told.",
        "field": "reason",
    }
    done = staff_socket.emit("moderation.act", {"item_id": item.id, "action": "approve"}, callback=True)
    assert done == {"ok": True, "item_id": item.id, "state": "approved"}
    [event] = queue_events(staff_socket)
    assert event == {
        "item_id": item.id,
        "action": "approved",
        "open": 0,
        "html": "",
        "room": "moderation",
        "id": event["id"],
    }
    again = staff_socket.emit("moderation.act", {"item_id": item.id, "action": "approve"}, callback=True)
    assert again["error"] == "handled" and "Mo Moderator" in again["message"]


def test_an_approved_post_appears_live_for_readers(db, app, socket_client, held, moderator, participant):
    thread, post, item = held
    client = app.test_client()
    Auth(client).login(participant)
    reader = socket_client(client)
    reader.emit("subscribe", {"room": f"thread:{thread.id}"}, callback=True)
    reader.get_received()
    queue.approve(moderator, item.id)
    [created] = [e["args"][0] for e in reader.get_received() if e["name"] == "post.created"]
    assert created["post_id"] == post.id and "Held reply about tidal data." in created["html"]


def race(app, item_id, deciders):
    """Run (user id, decision) pairs on one item at once; {decision: 'applied' or the refusal code}."""
    from forum.accounts.models import User

    barrier = threading.Barrier(len(deciders))
    outcomes = {}

    def decide(user_id, decision):
        with app.app_context():
            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                if decision == "approve":
                    queue.approve(user, item_id)
                else:
                    queue.reject(user, item_id, "Not suitable")
                outcomes[decision] = "applied"
            except RuleViolation as refusal:
                outcomes[decision] = refusal.code
            finally:
                db.session.remove()

    workers = [threading.Thread(target=decide, args=pair) for pair in deciders]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcomes


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_moderators_deciding_at_once_apply_exactly_one_decision(app, db, held, moderator, make_user):
    _thread, post, item = held
    other = make_user(role="moderator", name="Otto Other")
    for round_number in range(5):
        if round_number:
            post = services.reply(make_user(status="pending"), post.thread, f"Held {round_number}")
            item = db.session.scalar(select(ReviewItem).where(ReviewItem.post_id == post.id))
        outcomes = race(app, item.id, [(moderator.id, "approve"), (other.id, "reject")])
        assert sorted(outcomes.values()) == ["applied", "handled"], outcomes
        db.session.expire_all()
        winner = next(decision for decision, result in outcomes.items() if result == "applied")
        assert db.session.get(Post, post.id).state == ("published" if winner == "approve" else "rejected")
        logged = db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.target_id == post.id, AuditEntry.action.in_(("post.approve", "post.reject")))
        )
        assert logged == 1
