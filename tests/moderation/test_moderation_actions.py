"""Hide and restore posts; lock, pin, move and slow down threads; readers see the changes live."""

import pytest
from sqlalchemy import select

from forum.audit.models import AuditEntry
from forum.moderation import actions
from forum.notifications.models import Notification
from forum.rules import RuleViolation
from forum.threads import services
from forum.threads.models import Post, Thread
from tests.conftest import Auth


def received(sock, name):
    """The events of one name a socket received since the last call."""
    return [e["args"][0] for e in sock.get_received() if e["name"] == name]


def test_hide_and_restore_with_reasons(db, signed_in, moderator, participant, make_thread, make_post, client):
    thread = make_thread()
    post = make_post(thread, author=participant, body="Borderline remark")
    staff = signed_in(moderator)
    assert staff.post(f"/moderation/posts/{post.id}", data={"reason": ""}).status_code == 422
    assert staff.post(f"/moderation/posts/{post.id}", data={"reason": "Personal attack"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "hidden"
    assert "Borderline remark" not in client.get(f"/threads/{thread.id}").text
    own = signed_in(participant).get(f"/threads/{thread.id}").text
    assert "Borderline remark" in own and "Reason given: Personal attack" in own
    staff.post(f"/moderation/posts/{post.id}", data={"reason": "On reflection, fair comment"})
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "published"
    assert "Borderline remark" in client.get(f"/threads/{thread.id}").text
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == participant.id)).all()
    assert sorted(kinds) == ["post_hidden", "post_restored"]
    actions_logged = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions_logged == ["post.hide", "post.restore"]


def test_readers_lose_a_hidden_post_live_and_staff_keep_it(
    db, app, socket_client, moderator, participant, make_thread, make_post
):
    thread = make_thread()
    post = make_post(thread)
    readers = {}
    for user in (participant, moderator):
        client = app.test_client()
        Auth(client).login(user)
        readers[user.role] = socket_client(client)
        readers[user.role].emit("subscribe", {"room": f"thread:{thread.id}"}, callback=True)
        readers[user.role].get_received()
    actions.hide(moderator, post, "Spam")
    [public] = received(readers["participant"], "post.hidden")
    assert public["post_id"] == post.id and public["html"] == "" and public["state"] == "hidden"
    [staff] = received(readers["moderator"], "post.hidden")
    assert staff["post_id"] == post.id and "Reason given: Spam" in staff["html"]
    actions.restore(moderator, post, "Fine after all")
    [back] = received(readers["participant"], "post.created")
    assert back["post_id"] == post.id and back["state"] == "published" and post.body_html in back["html"]


def test_hiding_twice_is_refused(db, moderator, make_thread, make_post):
    post = make_post(make_thread())
    actions.hide(moderator, post, "Spam")
    with pytest.raises(RuleViolation, match="Only a published post can be hidden."):
        actions.hide(moderator, post, "Spam again")
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "post.hide"))


def test_lock_pin_and_move(db, signed_in, moderator, participant, make_theme, make_thread):
    thread = make_thread(theme=make_theme(slug="ethics"))
    target = make_theme(slug="standards", name="Standards")
    staff = signed_in(moderator)
    staff.post(f"/moderation/threads/{thread.id}", data={"change": "lock", "reason": "Heated"})
    staff.post(f"/moderation/threads/{thread.id}", data={"change": "pin"})
    staff.post(f"/moderation/threads/{thread.id}", data={"change": "move", "theme": "standards"})
    db.session.expire_all()
    found = db.session.get(Thread, thread.id)
    assert found.locked and found.pinned and found.theme_id == target.id
    refused = signed_in(participant).post(f"/threads/{thread.id}/reply", data={"body": "Still?"})
    assert refused.status_code == 422 and "This thread is locked." in refused.text
    same = staff.post(f"/moderation/threads/{thread.id}", data={"change": "move", "theme": "standards"})
    assert same.status_code == 422 and "The thread is already in this theme." in same.text
    logged = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.reason) for e in logged] == [
        ("thread.lock", "Heated"),
        ("thread.pin", None),
        ("thread.move", None),
    ]
    assert logged[2].before == {"theme": "ethics"} and logged[2].after == {"theme": "standards"}
    staff.post(f"/moderation/threads/{thread.id}", data={"change": "unlock"})
    db.session.expire_all()
    assert not db.session.get(Thread, thread.id).locked


def test_slow_mode_spaces_a_participants_posts(db, signed_in, moderator, participant, make_thread):
    thread = make_thread()
    staff = signed_in(moderator)
    bad = staff.post(f"/moderation/threads/{thread.id}", data={"change": "slow", "seconds": "7"})
    assert bad.status_code == 422
    staff.post(f"/moderation/threads/{thread.id}", data={"change": "slow", "seconds": "60"})
    client = signed_in(participant)
    assert "each participant may post once every 60 seconds" in client.get(f"/threads/{thread.id}").text
    assert client.post(f"/threads/{thread.id}/reply", data={"body": "First"}).status_code == 302
    second = client.post(f"/threads/{thread.id}/reply", data={"body": "Second"})
    assert second.status_code == 422 and "This thread is in slow mode" in second.text
    # Staff are not slowed down.
    services.reply(moderator, thread, "Staff one")
    services.reply(moderator, thread, "Staff two")
    assert thread.posts.count() == 4


def test_a_post_hidden_twice_tells_its_author_twice(db, moderator, participant, make_thread, make_post):
    post = make_post(make_thread(), author=participant)
    actions.hide(moderator, post, "First reason")
    actions.restore(moderator, post, "Restored")
    actions.hide(moderator, post, "Second reason")
    notes = db.session.scalars(
        select(Notification).where(Notification.user_id == participant.id, Notification.kind == "post_hidden")
    ).all()
    assert [(n.message, n.read_at) for n in notes] == [("Second reason", None)]
