"""Flags: once per participant, a reason, hidden at the threshold, and the flaggers hear the outcome."""

from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.moderation import flags, queue
from forum.moderation.models import Flag, ReviewItem
from forum.notifications.models import Notification
from forum.threads.models import Post, Thread


def test_a_flag_needs_a_reason_and_other_needs_a_note(db, signed_in, participant, make_thread):
    thread = make_thread()
    client = signed_in(participant)
    url = f"/posts/{thread.first_post_id}/flag"
    assert "What is wrong with this post?" in client.get(url).text
    missing = client.post(url, data={})
    assert missing.status_code == 422 and "Not a valid choice" in missing.text
    other = client.post(url, data={"reason": "other", "note": " "})
    assert other.status_code == 422 and "Tell the moderators what is wrong." in other.text
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 0
    done = client.post(url, data={"reason": "other", "note": "Personal data of a delegate"})
    assert done.status_code == 303
    flag = db.session.scalar(select(Flag))
    assert (flag.user_id, flag.reason, flag.note) == (participant.id, "other", "Personal data of a delegate")


def test_one_flag_per_participant_per_post(db, signed_in, participant, make_thread):
    thread = make_thread()
    client = signed_in(participant)
    url = f"/posts/{thread.first_post_id}/flag"
    client.post(url, data={"reason": "spam"})
    again = client.post(url, data={"reason": "spam"})
    assert again.status_code == 422 and "You have already flagged this post." in again.text
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 1


def test_who_may_not_flag(db, signed_in, participant, pending_user, make_thread):
    own = make_thread(author=participant)
    assert signed_in(participant).get(f"/posts/{own.first_post_id}/flag").status_code == 403
    other = make_thread()
    assert (
        signed_in(pending_user)
        .post(f"/posts/{other.first_post_id}/flag", data={"reason": "spam"})
        .status_code
        == 403
    )


def test_the_threshold_hides_the_post_until_review(db, make_user, make_thread, make_post, client):
    thread = make_thread()
    post = make_post(thread, body="Contested reply")
    flaggers = [make_user() for _ in range(3)]
    flags.flag_post(flaggers[0], post, "spam")
    flags.flag_post(flaggers[1], post, "off_topic")
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "published"
    [item] = db.session.scalars(select(ReviewItem)).all()
    assert item.reason_codes == ["flagged"]
    flags.flag_post(flaggers[2], post, "harassment")
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "hidden"
    assert db.session.get(Thread, thread.id).reply_count == 0
    assert "Contested reply" not in client.get(f"/threads/{thread.id}").text
    # Still one item for the post, whatever the number of flags.
    assert db.session.scalar(select(func.count()).select_from(ReviewItem)) == 1


def test_flags_of_unverified_users_do_not_count(db, make_user, make_thread, make_post):
    thread = make_thread()
    post = make_post(thread)
    for _ in range(2):
        flags.flag_post(make_user(), post, "spam")
    verified = make_user()
    flags.flag_post(verified, post, "spam")
    verified.status = "pending"
    db.session.commit()
    assert flags.flag_count(post) == 2


def test_flaggers_hear_the_outcome(db, moderator, make_user, make_thread, make_post):
    thread = make_thread()
    kept, removed = make_post(thread, body="Fine"), make_post(thread, body="Abusive")
    first, second = make_user(), make_user()
    flags.flag_post(first, kept, "spam")
    flags.flag_post(second, removed, "harassment")
    items = {i.post_id: i for i in db.session.scalars(select(ReviewItem))}
    queue.approve(moderator, items[kept.id].id)
    queue.reject(moderator, items[removed.id].id, "Personal attack")
    kinds = dict(
        db.session.execute(
            select(Notification.user_id, Notification.kind).where(Notification.kind.like("flag_%"))
        ).all()
    )
    assert kinds == {first.id: "flag_declined", second.id: "flag_upheld"}
    assert db.session.get(Post, removed.id).state == "hidden"
    assert db.session.get(Post, removed.id).state_reason == "Personal attack"
    author_note = db.session.scalar(select(Notification).where(Notification.kind == "post_hidden"))
    assert author_note.user_id == removed.author_id and author_note.message == "Personal attack"


def test_approving_a_post_hidden_by_flags_brings_it_back(
    db, moderator, make_user, make_thread, make_post, admin
):
    from forum.moderation import settings

    settings.change(
        admin, {"flag_threshold": 1, "hold_first_posts": 0, "new_user_posts": 3, "new_user_max_links": 2}
    )
    thread = make_thread()
    post = make_post(thread)
    flags.flag_post(make_user(), post, "spam")
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "hidden"
    queue.approve(moderator, db.session.scalar(select(ReviewItem.id)))
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "published"
    assert db.session.get(Thread, thread.id).reply_count == 1


def test_a_post_hidden_by_flags_is_labelled_and_audited_as_what_happened(
    db, signed_in, moderator, admin, make_user, make_thread, make_post
):
    from forum.moderation import settings

    settings.change(
        admin, {"flag_threshold": 1, "hold_first_posts": 0, "new_user_posts": 3, "new_user_max_links": 2}
    )
    thread = make_thread()
    post = make_post(thread, body="Contested reply")
    flags.flag_post(make_user(), post, "spam")
    client = signed_in(moderator)
    page = client.get(f"/threads/{thread.id}").text
    assert "Hidden after flags, awaiting a moderator" in page and "Hidden by a moderator" not in page
    queue_page = client.get("/moderation/").text
    assert "Hidden after flags, awaiting a moderator" in queue_page
    assert "Keep the post hidden" in queue_page and "Hide the post" not in queue_page
    item_id = db.session.scalar(select(ReviewItem.id))
    client.post(f"/moderation/items/{item_id}/reject", data={"reason": "Advertising"})
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.target_id == post.id))
    assert entry.action == "flags.uphold" and entry.reason == "Advertising"
    assert entry.before == {"state": "hidden", "hidden_by": "flags"}
    assert entry.after == {"state": "hidden", "hidden_by": "moderator"}
    assert "Upheld the flags on a post and kept it hidden" in client.get("/moderation/audit").text
    page = client.get(f"/threads/{thread.id}").text
    assert "Hidden by a moderator" in page and "Reason given: Advertising" in page


def test_hiding_a_flagged_post_from_the_queue_is_audited_as_hiding(
    db, moderator, make_user, make_thread, make_post
):
    thread = make_thread()
    post = make_post(thread, body="Flagged once")
    flags.flag_post(make_user(), post, "off_topic")
    queue.reject(moderator, db.session.scalar(select(ReviewItem.id)), "Off-topic")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.target_id == post.id))
    assert entry.action == "post.hide"
    assert (entry.before, entry.after) == (
        {"state": "published"},
        {"state": "hidden", "hidden_by": "moderator"},
    )
