"""Editing with history, soft deletion, endorsements, attribution modes, mentions and notifications."""

from sqlalchemy import select

from forum.notifications import services as notifications
from forum.notifications.models import Notification
from forum.threads.models import Post, PostRevision
from tests.conftest import Auth


def test_author_edits_and_the_history_is_visible(client, auth, db, participant, make_thread):
    thread = make_thread(author=participant, body="Original wording")
    auth.login(participant)
    response = client.post(f"/posts/{thread.first_post_id}/edit", data={"body": "Better wording"})
    assert response.status_code == 302
    page = client.get(f"/threads/{thread.id}").text
    assert "Better wording" in page and "Original wording" not in page
    assert f'href="/posts/{thread.first_post_id}/revisions">edited<' in page
    history = client.get(f"/posts/{thread.first_post_id}/revisions").text
    assert "Original wording" in history and "Better wording" in history
    revision = db.session.scalar(select(PostRevision))
    assert revision.editor_id == participant.id


def test_nobody_else_edits_or_deletes(client, auth, participant, make_thread):
    thread = make_thread()
    auth.login(participant)
    assert client.get(f"/posts/{thread.first_post_id}/edit").status_code == 403
    assert client.post(f"/posts/{thread.first_post_id}/edit", data={"body": "hijack"}).status_code == 403
    assert client.post(f"/posts/{thread.first_post_id}/delete").status_code == 403


def test_moderator_edit_records_the_moderator(client, db, moderator, make_thread):
    thread = make_thread(body="Needs a fix")
    Auth(client).login(moderator)
    client.post(f"/posts/{thread.first_post_id}/edit", data={"body": "Fixed by moderation"})
    assert db.session.scalar(select(PostRevision)).editor_id == moderator.id


def test_soft_delete_leaves_a_placeholder(client, auth, db, participant, make_thread, make_post):
    thread = make_thread()
    post = make_post(thread, author=participant, body="Regrettable words")
    auth.login(participant)
    assert "Regrettable words" in client.get(f"/posts/{post.id}/delete").text
    client.post(f"/posts/{post.id}/delete")
    page = client.get(f"/threads/{thread.id}").text
    assert "Regrettable words" not in page
    assert "This post was deleted." in page
    db.session.refresh(thread)
    assert thread.reply_count == 0
    assert client.get(f"/posts/{post.id}/revisions").status_code == 404


def test_first_post_with_replies_cannot_be_deleted(client, auth, participant, make_thread, make_post):
    thread = make_thread(author=participant)
    make_post(thread)
    auth.login(participant)
    response = client.post(f"/posts/{thread.first_post_id}/delete")
    assert response.status_code == 403
    assert "A thread with replies cannot be deleted" in response.text


def test_lone_first_post_deletes_the_thread(client, auth, participant, make_thread):
    thread = make_thread(author=participant, title="Short lived")
    auth.login(participant)
    client.post(f"/posts/{thread.first_post_id}/delete")
    assert client.get(f"/threads/{thread.id}").status_code == 404
    assert "Short lived" not in client.get("/threads").text


def post_list(page):
    """The post list of a thread page, without the templates of live controls after it."""
    start = page.index('id="posts-list"')
    return page[start : page.index("</ol>", start)]


def test_endorse_once_per_user_and_withdraw(client, auth, db, participant, make_thread):
    thread = make_thread()
    auth.login(participant)
    url = f"/posts/{thread.first_post_id}/endorse"
    client.post(url, data={"endorse": "1"})
    client.post(url, data={"endorse": "1"})
    posts = post_list(client.get(f"/threads/{thread.id}").text)
    assert "1 endorsement" in posts
    assert "Withdraw my endorsement" in posts and ">Endorse<" not in posts
    client.post(url, data={"endorse": "0"})
    client.post(url, data={"endorse": "0"})
    posts = post_list(client.get(f"/threads/{thread.id}").text)
    assert "0 endorsements" in posts
    assert ">Endorse<" in posts and "Withdraw my endorsement" not in posts
    assert db.session.get(Post, thread.first_post_id).endorsement_count == 0


def test_own_posts_and_pending_users_cannot_endorse(client, db, participant, pending_user, make_thread):
    thread = make_thread(author=participant)
    Auth(client).login(participant)
    assert client.post(f"/posts/{thread.first_post_id}/endorse").status_code == 403
    posts = post_list(client.get(f"/threads/{thread.id}").text)
    assert f"/posts/{thread.first_post_id}/endorse" not in posts and ">Edit<" in posts
    Auth(client).logout()
    Auth(client).login(pending_user)
    assert client.post(f"/posts/{thread.first_post_id}/endorse").status_code == 403
    assert f"/posts/{thread.first_post_id}/endorse" not in post_list(client.get(f"/threads/{thread.id}").text)
    assert db.session.get(Post, thread.first_post_id).endorsement_count == 0


def test_chatham_house_hides_names_from_participants_not_moderators(
    app, db, make_user, make_thread, make_post
):
    speaker = make_user(
        name="Secret Speaker", organisation="Hidden Ministry", stakeholder_group="member_state", country="FR"
    )
    thread = make_thread(attribution="chatham", author=speaker, body="Candid remark")
    make_post(thread, author=speaker, body="Another candid remark")
    reader = app.test_client()
    Auth(reader).login(make_user())
    page = reader.get(f"/threads/{thread.id}").text
    assert "Candid remark" in page
    assert "Secret Speaker" not in page and "Hidden Ministry" not in page
    assert "Member State" in page and "France" in page
    assert "Secret Speaker" not in app.test_client().get(f"/threads/{thread.id}").text
    staff = app.test_client()
    Auth(staff).login(make_user(role="moderator"))
    assert "Secret Speaker" in staff.get(f"/threads/{thread.id}").text


def test_chatham_quote_names_nobody(client, auth, participant, make_user, make_thread):
    thread = make_thread(attribution="chatham", author=make_user(name="Unnamed Source"), body="Quote me")
    auth.login(participant)
    page = client.get(f"/threads/{thread.id}/reply?to={thread.first_post_id}&quote=1").text
    assert "A participant wrote:" in page
    assert "unnamed.source" not in page


def test_chatham_cannot_be_lifted_once_others_posted(client, auth, db, participant, make_thread, make_post):
    thread = make_thread(author=participant, attribution="chatham")
    make_post(thread)
    auth.login(participant)
    data = {"title": thread.title, "kind": "discussion", "attribution": "record", "tags": ""}
    response = client.post(f"/threads/{thread.id}/edit", data=data)
    assert response.status_code == 422
    assert "must keep it" in response.text
    db.session.refresh(thread)
    assert thread.attribution == "chatham"


def test_mentions_link_and_notify(client, auth, db, participant, make_user, make_thread):
    named = make_user(name="Amara Okafor")
    thread = make_thread()
    auth.login(participant)
    client.post(
        f"/threads/{thread.id}/reply", data={"body": "What do you think, @amara.okafor? And @nobody.here"}
    )
    page = client.get(f"/threads/{thread.id}").text
    assert 'href="/u/amara.okafor" class="mention"' in page
    assert "@nobody.here" in page
    note = db.session.scalar(select(Notification).where(Notification.user_id == named.id))
    assert note.kind == "mention"
    assert client.get("/u/amara.okafor").headers["Location"] == f"/users/{named.id}"


def test_followers_and_answered_authors_are_notified_once(app, db, make_user, make_thread, make_post):
    author = make_user()
    follower = make_user()
    thread = make_thread(author=author)
    from forum.notifications.services import set_following

    set_following(follower, thread=thread)
    first_reply = make_post(thread, author=follower, body="First reply")
    make_post(thread, body="Answer to the follower", reply_to=first_reply)
    kinds = {
        (n.user_id, n.kind)
        for n in db.session.scalars(select(Notification).where(Notification.post_id == first_reply.id + 1))
    }
    assert kinds == {(follower.id, "reply"), (author.id, "followed_thread")}


def test_notifications_page_and_mark_read(client, auth, db, participant, make_user, make_thread, make_post):
    thread = make_thread(author=participant, attribution="chatham")
    make_post(thread, author=make_user(name="Hidden Replier"), body="Reply to you")
    auth.login(participant)
    home = client.get("/").text
    assert 'id="unread-notifications">1<' in home
    page = client.get("/notifications").text
    assert "posted in a thread you follow" in page
    assert "Hidden Replier" not in page and "A participant" in page
    client.post("/notifications/read")
    assert 'id="unread-notifications">0<' in client.get("/").text


def test_chatham_notifications_reach_pages_without_the_author(
    participant, moderator, make_user, make_thread, make_post
):
    """A notification names who acted only to a recipient who may see who wrote."""
    thread = make_thread(author=participant, attribution="chatham")
    notifications.set_following(moderator, thread=thread)
    make_post(thread, author=make_user(name="Hidden Replier"))
    assert [note.actor for note in notifications.recent(participant)] == [None]
    assert [note.actor for note in notifications.recent(moderator)] == ["Hidden Replier"]


def test_reading_the_thread_marks_its_notifications_read(client, auth, participant, make_thread, make_post):
    thread = make_thread(author=participant)
    make_post(thread, body="Reply to read")
    auth.login(participant)
    assert 'id="unread-notifications">1<' in client.get("/").text
    client.get(f"/threads/{thread.id}")
    assert 'id="unread-notifications">0<' in client.get("/").text


def test_follow_and_unfollow_a_theme(client, auth, db, participant, make_theme, make_thread):
    theme = make_theme()
    auth.login(participant)
    client.post(f"/themes/{theme.slug}/follow", data={"follow": "1"})
    assert "Stop following this theme" in client.get(f"/themes/{theme.slug}").text
    make_thread(theme=theme, title="New in theme")
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == participant.id)) == (
        "followed_theme"
    )
    client.post(f"/themes/{theme.slug}/follow", data={"follow": "0"})
    assert "Follow this theme" in client.get(f"/themes/{theme.slug}").text


def test_xss_in_a_post_is_shown_as_text(client, auth, participant, make_thread):
    thread = make_thread()
    auth.login(participant)
    client.post(
        f"/threads/{thread.id}/reply", data={"body": "<img src=x onerror=alert(1)> [x](javascript:alert(2))"}
    )
    page = client.get(f"/threads/{thread.id}").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page
    assert 'href="javascript' not in page
