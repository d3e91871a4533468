"""Opening threads, replying, reading: pages, rules and bad input."""

import pytest
from sqlalchemy import func, select

from forum.threads.models import Post, Thread
from tests.conftest import Auth


def count(db, model):
    """Rows of a model."""
    return db.session.scalar(select(func.count()).select_from(model))


def test_open_a_thread_with_tags(client, auth, db, participant, make_theme):
    theme = make_theme(slug="ethics", name="Ethics")
    auth.login(participant)
    form = client.get("/threads/new?theme=ethics").text
    for label in (
        "Theme",
        "Title",
        "Kind of thread",
        "Attribution",
        "Tags (optional, separated by commas)",
        "Your post",
    ):
        assert f">{label}</label>" in form
    response = client.post(
        "/threads/new",
        data={
            "theme": "ethics", "title": "Sandboxes for AI regulation", "kind": "best_practice",
            "attribution": "record", "tags": "Sandbox, regulation, sandbox", "body": "Our **sandbox** works.",
        },
    )  # fmt: skip
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert (thread.theme_id, thread.kind, thread.state) == (theme.id, "best_practice", "published")
    assert [t.name for t in thread.tags] == ["regulation", "sandbox"]
    page = client.get(response.headers["Location"]).text
    assert "Sandboxes for AI regulation" in page
    assert "<strong>sandbox</strong>" in page
    assert "Best practice" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Give the thread a title."),
        ({"title": "x" * 201}, "title", "Titles are limited to 200 characters."),
        ({"body": "   "}, "body", "Write something before posting."),
        ({"body": "x" * 20_001}, "body", "Posts are limited to 20,000 characters."),
        ({"theme": "no-such-theme"}, "theme", "Not a valid choice"),
        ({"theme": ""}, "theme", "Choose a theme."),
        ({"kind": "rant"}, "kind", "Not a valid choice"),
        ({"tags": "a,b,c,d,e,f"}, "tags", "Use at most 5 tags."),
    ],
)
def test_bad_thread_input_is_shown_beside_the_field(
    client, auth, db, participant, make_theme, changes, field, message
):
    make_theme(slug="ethics")
    auth.login(participant)
    data = {"theme": "ethics", "title": "Kept title", "kind": "discussion", "attribution": "record",
            "tags": "", "body": "Kept body text", **changes}  # fmt: skip
    response = client.post("/threads/new", data=data)
    assert response.status_code == 422
    start = response.text.index(f'id="{field}-error"')
    assert message in response.text[start : start + 400]
    if "title" not in changes:
        assert 'value="Kept title"' in response.text
    if "body" not in changes:
        assert "Kept body text" in response.text
    assert count(db, Thread) == 0
    assert count(db, Post) == 0


def test_anonymous_may_read_but_not_write(client, make_thread):
    thread = make_thread(title="Public thread")
    assert "Public thread" in client.get(f"/threads/{thread.id}").text
    assert "Sign in to reply" in client.get(f"/threads/{thread.id}").text
    response = client.post(f"/threads/{thread.id}/reply", data={"body": "hello"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_reply_and_reply_with_quote(client, auth, db, participant, make_thread, make_user):
    author = make_user(name="Quoted Author", handle="quoted")
    thread = make_thread(author=author, body="Line one\nLine two")
    auth.login(participant)
    quoted = client.get(f"/threads/{thread.id}/reply?to={thread.first_post_id}&quote=1").text
    assert "&gt; Line one\n&gt; Line two" in quoted
    assert "wrote:" in quoted
    response = client.post(
        f"/threads/{thread.id}/reply", data={"body": "I agree.", "reply_to": str(thread.first_post_id)}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#post-2")
    post = db.session.get(Post, 2)
    assert post.reply_to_id == thread.first_post_id
    db.session.refresh(thread)
    assert (thread.reply_count, thread.last_post_id) == (1, 2)


def test_reply_bad_input_keeps_the_text(client, auth, db, participant, make_thread):
    thread = make_thread()
    auth.login(participant)
    response = client.post(f"/threads/{thread.id}/reply", data={"body": "y" * 20_001})
    assert response.status_code == 422
    assert "Posts are limited to 20,000 characters." in response.text
    assert "y" * 100 in response.text
    assert count(db, Post) == 1


def test_locked_thread_refuses_replies(client, auth, db, participant, make_thread):
    thread = make_thread()
    thread.locked = True
    db.session.commit()
    auth.login(participant)
    assert "This thread is locked" in client.get(f"/threads/{thread.id}").text
    response = client.post(f"/threads/{thread.id}/reply", data={"body": "Let me in"})
    assert response.status_code == 422
    assert "This thread is locked." in response.text
    assert count(db, Post) == 1


def test_pending_users_posts_are_held(client, db, app, pending_user, participant, make_thread):
    thread = make_thread()
    Auth(client).login(pending_user)
    client.post(f"/threads/{thread.id}/reply", data={"body": "Held reply text"})
    post = db.session.scalar(select(Post).where(Post.author_id == pending_user.id))
    assert post.state == "pending"
    own_view = client.get(f"/threads/{thread.id}").text
    assert "Held reply text" in own_view and "Awaiting review" in own_view
    other = app.test_client()
    Auth(other).login(participant)
    assert "Held reply text" not in other.get(f"/threads/{thread.id}").text
    assert "Held reply text" not in app.test_client().get(f"/threads/{thread.id}").text
    db.session.refresh(thread)
    assert thread.reply_count == 0


def test_pending_users_thread_is_hidden_from_others(app, client, db, pending_user, make_theme):
    make_theme(slug="t1")
    Auth(client).login(pending_user)
    client.post("/threads/new", data={"theme": "t1", "title": "Held thread", "kind": "discussion",
                                      "attribution": "record", "body": "Body"})  # fmt: skip
    thread = db.session.scalar(select(Thread))
    assert thread.state == "pending"
    assert client.get(f"/threads/{thread.id}").status_code == 200
    assert app.test_client().get(f"/threads/{thread.id}").status_code == 404
    assert "Held thread" not in app.test_client().get("/threads").text


def test_rejected_user_cannot_post(client, db, make_user, make_thread):
    rejected = make_user(status="rejected")
    thread = make_thread()
    Auth(client).login(rejected)
    response = client.post(f"/threads/{thread.id}/reply", data={"body": "hello"})
    assert response.status_code == 422
    assert count(db, Post) == 1


def test_thread_list_keyset_pagination_and_unread(
    client, auth, db, participant, make_thread, make_theme, make_post
):
    theme = make_theme()
    threads = [make_thread(theme=theme, title=f"Thread number {n:02d}") for n in range(35)]
    first = client.get("/threads").text
    assert "Thread number 34" in first and "Thread number 05" in first
    assert "Thread number 04" not in first
    older = first.split('href="/threads?after=')[1].split('"')[0]
    second = client.get(f"/threads?after={older}").text
    assert "Thread number 04" in second and "Thread number 00" in second
    assert "Thread number 05" not in second
    auth.login(participant)
    make_post(threads[0], body="Something new")
    listing = client.get(f"/themes/{theme.slug}").text
    assert "2 new" in listing
    client.get(f"/threads/{threads[0].id}")
    assert "2 new" not in client.get(f"/themes/{theme.slug}").text


def test_posts_are_paged_twenty_at_a_time(client, make_thread, make_post):
    thread = make_thread(body="Post 0")
    for n in range(1, 45):
        make_post(thread, body=f"Post {n}")
    page1 = client.get(f"/threads/{thread.id}").text
    assert "<p>Post 19</p>" in page1 and "<p>Post 20</p>" not in page1
    page3 = client.get(f"/threads/{thread.id}?page=3").text
    assert "<p>Post 44</p>" in page3 and "<p>Post 39</p>" not in page3
    permalink = client.get("/posts/30")
    assert permalink.headers["Location"] == f"/threads/{thread.id}?page=2#post-30"


def test_a_read_mark_made_by_another_visit_meanwhile_is_moved_not_doubled(
    db, monkeypatch, participant, make_thread, make_post
):
    """Two first visits at once: the later one's mark is written by the other after it looked; no error."""
    from forum.threads import queries
    from forum.threads.models import ReadMark

    thread = make_thread()
    later = make_post(thread)
    db.session.add(
        ReadMark(user_id=participant.id, thread_id=thread.id, last_read_post_id=thread.first_post_id)
    )
    db.session.commit()
    # What a visit that looked for the mark before the other tab's commit would see: none.
    looked_before = db.session.get
    monkeypatch.setattr(
        db.session,
        "get",
        lambda model, key, **kw: None if model is ReadMark else looked_before(model, key, **kw),
    )
    assert queries.mark_read(participant, thread.id, later.id) is True
    assert queries.mark_read(participant, thread.id, thread.first_post_id) is False
    monkeypatch.undo()
    assert (
        db.session.get(ReadMark, (participant.id, thread.id), populate_existing=True).last_read_post_id
        == later.id
    )
