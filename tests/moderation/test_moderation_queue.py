"""The review queue: what gets held, and the moderators' decisions with their consequences."""

from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.moderation import queue, screening
from forum.moderation import settings as moderation_settings
from forum.moderation.models import ReviewItem
from forum.notifications.models import Notification
from forum.rules import RuleViolation
from forum.threads import services
from forum.threads.models import Post, PostRevision, Thread


def count(db, model, *conditions):
    """How many rows of `model` match."""
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_an_unverified_users_post_is_held_and_listed(held, signed_in, moderator):
    thread, post, item = held
    assert post.state == "pending" and item.state == "open" and item.reason_codes == ["unverified"]
    assert thread.reply_count == 0
    page = signed_in(moderator).get("/moderation/").text
    assert "Held reply about tidal data." in page
    assert "Author not verified yet" in page
    assert 'id="queue-count">1<' in page
    assert "Penny Pending" in page and "Harbour data governance" in page


def test_approving_publishes_the_post_notifies_and_audits(db, held, signed_in, moderator, participant):
    thread, post, item = held
    services.reply(participant, thread, "Earlier reply")
    response = signed_in(moderator).post(f"/moderation/items/{item.id}/approve")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "published"
    assert db.session.get(Thread, thread.id).reply_count == 2
    assert db.session.get(ReviewItem, item.id).handled_by_id == moderator.id
    assert (
        count(db, Notification, Notification.user_id == post.author_id, Notification.kind == "post_approved")
        == 1
    )
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "post.approve")).all()
    assert entry.actor_id == moderator.id and entry.target_id == post.id
    assert entry.before["state"] == "pending" and entry.after["state"] == "published"


def test_edit_then_approve_keeps_the_history_under_the_moderator(db, held, signed_in, moderator):
    _thread, post, item = held
    client = signed_in(moderator)
    assert "Held reply about tidal data." in client.get(f"/moderation/items/{item.id}/edit").text
    response = client.post(f"/moderation/items/{item.id}/edit", data={"body": "Corrected reply."})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, post.id).body == "Corrected reply."
    revision = db.session.scalar(select(PostRevision).where(PostRevision.post_id == post.id))
    assert revision.editor_id == moderator.id and revision.body == "Held reply about tidal data."


def test_edit_then_approve_with_an_empty_text_keeps_the_item(db, held, signed_in, moderator):
    _thread, post, item = held
    response = signed_in(moderator).post(f"/moderation/items/{item.id}/edit", data={"body": "  "})
    assert response.status_code == 422
    assert "Write something before posting." in response.text
    db.session.expire_all()
    assert db.session.get(ReviewItem, item.id).state == "open"
    assert db.session.get(Post, post.id).state == "pending"


def test_rejecting_needs_a_reason_and_tells_the_author(db, held, signed_in, moderator, pending_user):
    _thread, post, item = held
    client = signed_in(moderator)
    refused = client.post(f"/moderation/items/{item.id}/reject", data={"reason": " "}, follow_redirects=True)
    assert "Give a reason: the author is told." in refused.text
    db.session.expire_all()
    assert db.session.get(ReviewItem, item.id).state == "open"
    client.post(f"/moderation/items/{item.id}/reject", data={"reason": "Off-topic for this thread."})
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "rejected"
    note = db.session.scalar(select(Notification).where(Notification.kind == "post_rejected"))
    assert note.user_id == pending_user.id and note.message == "Off-topic for this thread."
    author_page = signed_in(pending_user).get(f"/threads/{post.thread_id}").text
    assert "Reason given: Off-topic for this thread." in author_page


def test_a_rejected_first_post_takes_its_thread_out_of_sight(
    db, pending_user, moderator, make_thread, client
):
    thread = make_thread(author=pending_user, title="Held opening")
    item = db.session.scalar(select(ReviewItem))
    queue.reject(moderator, item.id, "Duplicate of an existing thread.")
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).state == "rejected"
    assert client.get(f"/threads/{thread.id}").status_code == 404


def test_the_second_decision_is_told_who_handled_it(db, held, signed_in, moderator, make_user):
    _thread, post, item = held
    other = make_user(role="moderator", name="Otto Other")
    queue.approve(moderator, item.id)
    response = signed_in(other).post(
        f"/moderation/items/{item.id}/reject", data={"reason": "Too late"}, follow_redirects=True
    )
    assert "Already handled: Approved by Mo Moderator." in response.text
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "published"
    assert count(db, AuditEntry, AuditEntry.action.in_(("post.approve", "post.reject"))) == 1


def test_a_claim_keeps_other_moderators_off_until_released(db, held, moderator, make_user, admin):
    _thread, _post, item = held
    other = make_user(role="moderator", name="Otto Other")
    queue.claim(moderator, item.id)
    try:
        queue.approve(other, item.id)
    except RuleViolation as refusal:
        assert refusal.code == "claimed" and "Mo Moderator has claimed this item." in refusal.message
    else:
        raise AssertionError("a claimed item was approved by someone else")
    try:
        queue.claim(other, item.id)
    except RuleViolation as refusal:
        assert refusal.code == "claimed"
    else:
        raise AssertionError("a claimed item was claimed twice")
    queue.release(moderator, item.id)
    queue.approve(other, item.id)
    assert db.session.get(ReviewItem, item.id).handled_by_id == other.id
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["item.claim", "item.release", "post.approve"]


def test_the_secretariat_may_act_on_a_claimed_item(db, held, moderator, admin):
    _thread, _post, item = held
    queue.claim(moderator, item.id)
    queue.reject(admin, item.id, "Spam")
    assert db.session.get(ReviewItem, item.id).state == "rejected"


def test_acting_on_a_missing_item_is_a_clear_message(signed_in, moderator):
    response = signed_in(moderator).post("/moderation/items/999/approve", follow_redirects=True)
    assert "This item no longer exists." in response.text


def test_bulk_approve_reports_each_item(db, signed_in, moderator, make_user, make_thread):
    thread = make_thread()
    posts = [services.reply(make_user(status="pending"), thread, f"Held {n}") for n in range(3)]
    ids = [item.id for item in db.session.scalars(select(ReviewItem).order_by(ReviewItem.id))]
    queue.reject(moderator, ids[0], "Spam")
    response = signed_in(moderator).post(
        "/moderation/items/bulk",
        data={"items": [str(i) for i in ids], "action": "approve"},
        follow_redirects=True,
    )
    assert "2 of 3 items handled." in response.text
    assert f"Item {ids[0]}: Already handled: Rejected by Mo Moderator." in response.text
    db.session.expire_all()
    assert [db.session.get(Post, p.id).state for p in posts] == ["rejected", "published", "published"]


def test_bulk_reject_needs_a_reason_first(db, held, signed_in, moderator):
    _thread, _post, item = held
    response = signed_in(moderator).post(
        "/moderation/items/bulk", data={"items": [str(item.id)], "action": "reject"}, follow_redirects=True
    )
    assert "Give a reason: the author is told." in response.text
    assert db.session.get(ReviewItem, item.id).state == "open"


def test_first_posts_of_new_accounts_are_held_when_the_setting_asks(db, admin, participant, make_thread):
    thread = make_thread()
    assert services.reply(participant, thread, "Before the setting").state == "published"
    moderation_settings.change(
        admin, {"flag_threshold": 3, "hold_first_posts": 2, "new_user_posts": 3, "new_user_max_links": 2}
    )
    # One published post so far: the second one is still among the first two.
    assert services.reply(participant, thread, "Second post").state == "pending"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "setting.change"))
    assert entry.before == {"hold_first_posts": 0} and entry.after == {"hold_first_posts": 2}


def test_new_accounts_posting_many_links_are_held(db, make_user, make_thread):
    thread = make_thread()
    newcomer = make_user()
    links = " ".join(f"https://example.org/{n}" for n in range(3))
    post = services.reply(newcomer, thread, f"Sources: {links}")
    assert post.state == "pending"
    assert db.session.scalar(select(ReviewItem.reasons).where(ReviewItem.post_id == post.id)) == "links"
    # Up to the limit, a new account's links pass.
    assert (
        services.reply(newcomer, thread, "Two: https://example.org/a https://example.org/b").state
        == "published"
    )


def test_settings_out_of_range_are_refused_beside_the_field(db, signed_in, admin):
    data = {"flag_threshold": "0", "hold_first_posts": "0", "new_user_posts": "3", "new_user_max_links": "2"}
    response = signed_in(admin).post("/admin/settings", data=data)
    assert response.status_code == 422
    assert "Enter a whole number from 1 to 100." in response.text
    assert moderation_settings.get("flag_threshold") == 3


def test_the_queue_filters_by_reason_and_shows_handled_items(db, held, signed_in, moderator):
    _thread, post, item = held
    client = signed_in(moderator)
    assert "Held reply" not in client.get("/moderation/?reason=flagged").text
    assert "Held reply" in client.get("/moderation/?reason=unverified").text
    queue.approve(moderator, item.id)
    assert "Held reply" not in client.get("/moderation/").text
    assert "Held reply" in client.get("/moderation/?state=handled").text
    assert client.get("/moderation/?state=bogus").status_code == 400


def test_watched_words_can_hold_flag_or_block(db, admin, participant, make_thread):
    screening.add_word(admin, "Lottery", "require_approval")
    screening.add_word(admin, "crypto giveaway", "flag")
    screening.add_word(admin, "scam", "block")
    thread = make_thread()
    held = services.reply(participant, thread, "Win the LOTTERY today")
    assert held.state == "pending"
    flagged = services.reply(participant, thread, "A Crypto giveaway?")
    assert flagged.state == "published"
    assert (
        db.session.scalar(select(ReviewItem.reasons).where(ReviewItem.post_id == flagged.id))
        == "watched_word"
    )
    before = count(db, Post)
    try:
        services.reply(participant, thread, "This is a Scam.")
    except RuleViolation as refusal:
        assert refusal.field == "body" and "scam" in refusal.message
    else:
        raise AssertionError("a blocked word was posted")
    assert count(db, Post) == before
