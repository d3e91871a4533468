"""The thread page's shared markup: rendered once for all readers, with their own controls and tokens."""

import re

import pytest

from forum.permissions import Permission
from forum.realtime.publish import publish_events
from forum.realtime.store import record
from tests.conftest import PASSWORD, Auth


def posts_markup(html):
    """The post list of a thread page, form tokens masked (each reader has their own)."""
    part = html[html.index('id="posts-list"') : html.index('id="new-replies"')]
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value="…"', part)


def lock(db, thread):
    """Lock a thread as moderation does: record a room event, commit, publish; shared pages refresh."""
    thread.locked = True
    event = record(f"thread:{thread.id}", "thread.updated", {"thread_id": thread.id})
    db.session.commit()
    publish_events([event])


def test_readers_share_the_list_and_a_new_post_shows_at_once(app, make_user, make_thread, make_post):
    thread = make_thread()
    first, second = app.test_client(), app.test_client()
    Auth(first).login(make_user())
    Auth(second).login(make_user())
    page = posts_markup(first.get(f"/threads/{thread.id}").text)
    assert page == posts_markup(second.get(f"/threads/{thread.id}").text)
    make_post(thread, body="Just in")
    assert "Just in" in first.get(f"/threads/{thread.id}").text


def test_a_held_post_shows_to_its_author_even_when_the_list_is_shared(app, make_user, make_thread):
    thread = make_thread()
    reader, newcomer = app.test_client(), app.test_client()
    Auth(reader).login(make_user())
    reader.get(f"/threads/{thread.id}")
    Auth(newcomer).login(make_user(status="pending"))
    newcomer.post(f"/threads/{thread.id}/reply", data={"body": "Held for review"})
    assert "Held for review" in newcomer.get(f"/threads/{thread.id}").text
    assert "Held for review" not in reader.get(f"/threads/{thread.id}").text


def test_controls_follow_the_reader(app, db, make_user, make_thread):
    author = make_user()
    thread = make_thread(author=author)
    client = app.test_client()
    Auth(client).login(author)
    own = client.get(f"/threads/{thread.id}").text
    assert f".by-{author.id} .owner-only{{display:inline}}" in own
    lock(db, thread)
    assert ".owner-only{display:inline}" not in client.get(f"/threads/{thread.id}").text
    staff = app.test_client()
    Auth(staff).login(make_user(role="moderator"))
    assert ".owner-only{display:inline}" in staff.get(f"/threads/{thread.id}").text
    anonymous = app.test_client().get(f"/threads/{thread.id}").text
    assert "<style" not in anonymous


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_shared_forms_carry_each_readers_own_token(app, make_user, make_thread, make_post):
    thread = make_thread()
    make_post(thread)
    client = app.test_client()
    sign_in_with_csrf(client, make_user())
    page = client.get(f"/threads/{thread.id}").text
    assert "__csrf_token__" not in page
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    listing = page[page.index('id="posts-list"') : page.index('id="new-replies"')]
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', listing))
    assert tokens == {meta}
    endorse = client.post(f"/posts/{thread.first_post_id}/endorse", data={"endorse": "1", "csrf_token": meta})
    assert endorse.status_code == 302


def sign_in_with_csrf(client, user):
    """Sign in through the form when CSRF protection is on."""
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})


def test_anonymous_pages_are_shared_without_sentinels(app, make_thread, make_post):
    """Anonymous readers get the shared page with no sentinel left in it, and a new post at once."""
    thread = make_thread()
    first, second = app.test_client(), app.test_client()
    for response in (first.get(f"/threads/{thread.id}"), second.get(f"/threads/{thread.id}")):
        assert "__csp_nonce__" not in response.text and "__csrf_token__" not in response.text
    make_post(thread, body="Fresh for everyone")
    assert "Fresh for everyone" in first.get(f"/threads/{thread.id}").text


def test_a_flashed_message_is_never_shared(app, participant, make_thread):
    thread = make_thread()
    client = app.test_client()
    Auth(client).login(participant)
    client.post("/logout")
    page = client.get(f"/threads/{thread.id}").text
    assert "You are signed out." in page
    assert "You are signed out." not in app.test_client().get(f"/threads/{thread.id}").text


def test_a_deleted_thread_is_not_served_from_the_shared_page(app, participant, make_thread):
    thread = make_thread(author=participant)
    anonymous = app.test_client()
    assert anonymous.get(f"/threads/{thread.id}").status_code == 200
    author = app.test_client()
    Auth(author).login(participant)
    author.post(f"/posts/{thread.first_post_id}/delete")
    assert anonymous.get(f"/threads/{thread.id}").status_code == 404


def test_signed_in_readers_share_a_page_but_each_sees_only_their_own_things(
    app, make_user, make_thread, make_post
):
    alice = make_user(name="Alice <Delegate>")
    bruno = make_user(name="Bruno Member")
    thread = make_thread(author=alice)
    make_post(thread, author=bruno, body="Bruno replies")
    pages = {}
    for user in (alice, bruno):
        client = app.test_client()
        Auth(client).login(user)
        pages[user.id] = client.get(f"/threads/{thread.id}").text
    mine, theirs = pages[alice.id], pages[bruno.id]
    assert (
        f'data-user-id="{alice.id}"' in mine
        and f'href="/users/{alice.id}">Alice &lt;Delegate&gt;</a>' in mine
    )
    assert "Bruno Member</a>" not in mine.split("<main")[0]
    assert (
        f'data-user-id="{bruno.id}"' in theirs
        and "Alice &lt;Delegate&gt;</a>" not in theirs.split("<main")[0]
    )
    assert 'id="unread-notifications">1<' not in mine  # Alice read Bruno's reply by opening the page
    assert (
        ".thread-author-only{display:inline}" in mine
        and ".thread-author-only" not in theirs.split("</style>")[0]
    )
    assert ".follow-remove{display:inline}" in mine  # authors follow their threads
    assert ".follow-remove{display:inline}" in theirs  # so do those who reply
    stranger = app.test_client()
    Auth(stranger).login(make_user())
    assert ".follow-add{display:inline}" in stranger.get(f"/threads/{thread.id}").text
    for page in (mine, theirs):
        assert "987654321987" not in page and "__viewer" not in page and "__unread" not in page


def test_unread_count_in_a_shared_page_is_the_readers(app, make_user, make_thread, make_post):
    reader, other = make_user(), make_user()
    thread, elsewhere = make_thread(), make_thread(author=reader)
    make_post(elsewhere, body="Unread elsewhere")
    client = app.test_client()
    Auth(client).login(reader)
    assert 'id="unread-notifications">1<' in client.get(f"/threads/{thread.id}").text
    other_client = app.test_client()
    Auth(other_client).login(other)
    assert 'id="unread-notifications">0<' in other_client.get(f"/threads/{thread.id}").text


def test_unverified_readers_get_their_own_page(app, make_user, make_thread):
    thread = make_thread()
    member = app.test_client()
    Auth(member).login(make_user())
    member.get(f"/threads/{thread.id}")
    newcomer = app.test_client()
    Auth(newcomer).login(make_user(status="pending", name="New Comer"))
    page = newcomer.get(f"/threads/{thread.id}").text
    assert "awaiting verification" in page and "New Comer</a>" in page


def test_the_shared_stand_in_answers_nothing_personal(participant):
    from forum.threads.page import SharedViewer

    stand_in = SharedViewer(participant)
    assert stand_in.can(Permission.POST) and not stand_in.can(Permission.MODERATE)
    with pytest.raises(AttributeError):
        _ = stand_in.email
