"""The thread page: shared post fragments per audience, each reader's own controls and header beside them."""

import re
import threading
from html import escape

import pytest

from forum.caching import SingleFlightCache
from forum.moderation import actions
from forum.realtime.publish import publish_events
from forum.realtime.store import record
from tests.conftest import PASSWORD, Auth

# Every placeholder the page code ever used, the marker of live controls, and look-alikes.
PROBES = (
    "__csrf_token__",
    "__viewer_name__",
    "__csp_nonce__",
    "__viewer_style__",
    "__unread_count__",
    "987654321987",
    "2000000017",
    "{id}",
    "{{ csrf_token() }}",
    "__CSRF_TOKEN__",
    "_csrf_token_",
)


def posts_of(html):
    """The post list of a thread page."""
    start = html.index('id="posts-list"')
    return html[start : html.index("</ol>", start)]


def post_item(html, post_id):
    """One post's list item of a thread page."""
    part = posts_of(html)
    start = part.index(f'id="post-{post_id}"')
    return part[start : part.index("</li>", start)]


def signed_in(app, user):
    """A test client signed in as `user`."""
    client = app.test_client()
    Auth(client).login(user)
    return client


def lock(db, thread):
    """Lock a thread as moderation does: record a room event, commit, publish."""
    thread.locked = True
    event = record(f"thread:{thread.id}", "thread.updated", {"thread_id": thread.id})
    db.session.commit()
    publish_events([event])


def test_a_chatham_house_page_names_no_author_to_participants_and_visitors(
    app, make_user, make_thread, make_post, moderator
):
    """No id, class, data attribute, profile link or name of an author reaches those who may not see it."""
    author = make_user(name="Secret Delegate", organisation="Hidden Ministry")
    thread = make_thread(author=author, attribution="chatham")
    make_post(thread, author=author, body="Off the record")
    for client in (app.test_client(), signed_in(app, make_user())):
        page = client.get(f"/threads/{thread.id}").text
        for trace in (
            "Secret Delegate",
            "Hidden Ministry",
            f"/users/{author.id}",
            f"by-{author.id}",
            "data-author",
        ):
            assert trace not in page
        assert "A participant" in page and "Off the record" in page
    assert "Secret Delegate" in signed_in(app, moderator).get(f"/threads/{thread.id}").text


def test_held_hidden_and_pending_posts_reach_only_their_author_and_staff(
    app, db, make_user, make_thread, make_post, moderator
):
    """Loaded first by their author, then by others: only the author and the moderators see them."""
    thread = make_thread()
    newcomer = make_user(status="pending")
    speaker = make_user()
    newcomer_client, speaker_client = signed_in(app, newcomer), signed_in(app, speaker)
    newcomer_client.post(f"/threads/{thread.id}/reply", data={"body": "Pending words"})
    hidden = make_post(thread, author=speaker, body="Hidden words")
    actions.hide(moderator, hidden, "Reason only the author sees")
    assert "Pending words" in newcomer_client.get(f"/threads/{thread.id}").text
    own = speaker_client.get(f"/threads/{thread.id}").text
    assert "Hidden words" in own and "Reason only the author sees" in own
    for client in (app.test_client(), signed_in(app, make_user()), signed_in(app, make_user())):
        page = client.get(f"/threads/{thread.id}").text
        for secret in ("Pending words", "Hidden words", "Reason only the author sees"):
            assert secret not in page
    staff = signed_in(app, moderator).get(f"/threads/{thread.id}").text
    assert "Pending words" in staff and "Hidden words" in staff


def test_probe_strings_render_literally_for_every_reader(app, make_user, make_thread, make_post, moderator):
    """Placeholders in posts, titles, names, organisations and tags are text, the same for every reader."""
    # In code spans, so that Markdown keeps the underscores as they are.
    probe = " ".join(f"`{text}`" for text in PROBES)
    author = make_user(name=f"Name {PROBES[1]}", organisation=f"Org {PROBES[0]}")
    thread = make_thread(author=author, title=f"Title {PROBES[2]}", tags=PROBES[5])
    post = make_post(thread, author=author, body=probe)
    readers = {
        "visitor": app.test_client(),
        "participant": signed_in(app, make_user(name="Reader Name")),
        "author": signed_in(app, author),
        "moderator": signed_in(app, moderator),
    }
    seen = {}
    for who, client in readers.items():
        page = client.get(f"/threads/{thread.id}").text
        body = re.search(r'<div class="post-body"[^>]*>(.*?)</div>', post_item(page, post.id), re.S).group(1)
        seen[who] = body
        for text in PROBES:
            assert f"<code>{escape(text)}</code>" in body
        assert "Reader Name" not in body and f"Title {PROBES[2]}" in page
    assert len(set(seen.values())) == 1


def test_each_reader_gets_controls_for_what_they_may_do(app, db, make_user, make_thread, make_post):
    """Edit and delete on one's own posts, endorse and flag on others', in the HTML; nothing hidden by CSS."""
    alice, bruno = make_user(), make_user()
    thread = make_thread(author=alice)
    reply = make_post(thread, author=bruno)
    page = signed_in(app, alice).get(f"/threads/{thread.id}").text
    mine, theirs = post_item(page, thread.first_post_id), post_item(page, reply.id)
    assert f"/posts/{thread.first_post_id}/edit" in mine and f"/posts/{thread.first_post_id}/delete" in mine
    assert "/endorse" not in mine and "/flag" not in mine
    assert f"/posts/{reply.id}/endorse" in theirs and f"/posts/{reply.id}/flag" in theirs
    assert "/edit" not in theirs and "/delete" not in theirs
    assert "<style" not in page and "display:" not in page
    visitor = app.test_client().get(f"/threads/{thread.id}").text
    assert "/edit" not in posts_of(visitor) and "/endorse" not in posts_of(visitor)
    lock(db, thread)
    locked = signed_in(app, alice).get(f"/threads/{thread.id}").text
    assert f"/posts/{thread.first_post_id}/edit" not in locked and "?to=" not in posts_of(locked)


def test_the_actions_refuse_what_the_controls_do_not_offer(app, make_user, make_thread, make_post):
    """Editing another's post, endorsing or flagging one's own: refused whatever the page shows."""
    alice, bruno = make_user(), make_user()
    thread = make_thread(author=alice)
    reply = make_post(thread, author=bruno)
    client = signed_in(app, alice)
    assert client.post(f"/posts/{reply.id}/edit", data={"body": "Rewritten"}).status_code == 403
    assert client.post(f"/posts/{reply.id}/delete").status_code == 403
    assert client.post(f"/posts/{thread.first_post_id}/endorse", data={"endorse": "1"}).status_code == 403
    assert client.get(f"/posts/{thread.first_post_id}/flag").status_code == 403


def test_the_header_and_forms_are_the_readers_own(app, make_user, make_thread, make_post):
    """Name, unread count, follow button and edit link belong to the reader; no placeholder is left."""
    alice = make_user(name="Alice <Delegate>")
    bruno = make_user(name="Bruno Member")
    thread = make_thread(author=alice)
    elsewhere = make_thread(author=bruno)
    make_post(elsewhere, body="Unread elsewhere")
    mine = signed_in(app, alice).get(f"/threads/{thread.id}").text
    theirs = signed_in(app, bruno).get(f"/threads/{thread.id}").text
    header = mine.split("<main")[0]
    assert '<span class="account-name">Alice &lt;Delegate&gt;</span>' in header
    assert f'href="/users/{alice.id}"' in header
    assert "Bruno Member" in theirs.split("<main")[0] and "Alice" not in theirs.split("<main")[0]
    assert 'id="unread-notifications">0<' in mine and 'id="unread-notifications">1<' in theirs
    assert "Stop following" in mine and "Follow this thread" in theirs
    assert "Edit title, kind and tags" in mine and "Edit title, kind and tags" not in theirs
    for page in (mine, theirs):
        assert "987654321987" not in page and "__viewer" not in page and "__unread" not in page


def test_each_readers_controls_carry_their_own_token(app, make_user, make_thread, make_post):
    """One kind of controls is one pattern: each reader's copy holds their own token and the post's number."""
    alice, bruno, carla = make_user(), make_user(), make_user()
    thread = make_thread(author=carla)
    reply = make_post(thread, author=carla)
    tokens = []
    for reader in (alice, bruno):
        page = signed_in(app, reader).get(f"/threads/{thread.id}").text
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        for post_id in (thread.first_post_id, reply.id):
            item = post_item(page, post_id)
            assert f'action="/posts/{post_id}/endorse"' in item and f"/posts/{post_id}/flag" in item
            assert re.findall(r'name="csrf_token" value="([^"]+)"', item) == [token]
        assert "\x1e" not in page and "2000000017" not in posts_of(page)
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_the_frame_is_kept_per_language_and_role(app, participant, moderator, make_thread):
    """Staff links reach staff only, and each language gets its own words, whoever asked first."""
    thread = make_thread()
    path = f"/threads/{thread.id}"
    staff = signed_in(app, moderator).get(path).text.split("<main")[0]
    assert 'href="/moderation' in staff
    for page in (signed_in(app, participant).get(path).text, app.test_client().get(path).text):
        assert "/moderation" not in page.split("<main")[0]
    english = app.test_client().get(path, headers={"Accept-Language": "en"}).text.split("<main")[0]
    french = app.test_client().get(path, headers={"Accept-Language": "fr"}).text.split("<main")[0]
    assert "Skip to main content" in english and "Skip to main content" not in french
    assert 'value="fr" lang="fr" aria-current="true"' in french
    assert 'value="en" lang="en" aria-current="true"' in english


def test_an_edit_shows_at_once_and_a_rename_within_the_kept_pages_lifetime(
    app, db, make_user, make_thread, make_post
):
    """An edit makes new keys at once (a room event); a rename, which has none, shows once kept pages age."""
    from forum.threads import page

    now = [0.0]
    app.extensions["forum_caches"].clock = lambda: now[0]
    author = make_user(name="Old Name")
    thread = make_thread(author=author)
    reader, visitor = signed_in(app, make_user()), app.test_client()
    assert "Old Name" in reader.get(f"/threads/{thread.id}").text
    author.name = "New Name"
    db.session.commit()
    now[0] += page.PAGE_SECONDS
    assert "New Name" in reader.get(f"/threads/{thread.id}").text
    assert "New Name" in visitor.get(f"/threads/{thread.id}").text
    signed_in(app, author).post(f"/posts/{thread.first_post_id}/edit", data={"body": "Second thoughts"})
    assert "Second thoughts" in reader.get(f"/threads/{thread.id}").text
    assert "Second thoughts" in visitor.get(f"/threads/{thread.id}").text


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_forms_carry_the_readers_own_token(app, make_user, make_thread, make_post):
    """Every form of the post list carries the token of the reader's session, which the action accepts."""
    thread = make_thread()
    make_post(thread)
    client = app.test_client()
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    client.post(
        "/login",
        data={"email": make_user(email="t@example.org").email, "password": PASSWORD, "csrf_token": token},
    )
    page = client.get(f"/threads/{thread.id}").text
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    assert set(re.findall(r'name="csrf_token" value="([^"]+)"', posts_of(page))) == {meta}
    endorse = client.post(f"/posts/{thread.first_post_id}/endorse", data={"endorse": "1", "csrf_token": meta})
    assert endorse.status_code == 302


def test_anonymous_pages_are_the_same_bytes_and_set_no_cookie(app, make_thread, make_post):
    """Visitors get identical pages without a cookie, and a new post shows at once."""
    thread = make_thread()
    one, two = app.test_client().get(f"/threads/{thread.id}"), app.test_client().get(f"/threads/{thread.id}")
    assert one.data == two.data and "Set-Cookie" not in one.headers and "Set-Cookie" not in two.headers
    assert "nonce" not in one.headers["Content-Security-Policy"] and "csrf" not in one.text
    make_post(thread, body="Fresh for everyone")
    assert "Fresh for everyone" in app.test_client().get(f"/threads/{thread.id}").text


def test_markup_kept_for_many_readers_cannot_hold_a_token(app, monkeypatch):
    """Asking for a form token while rendering a page or a part kept for many readers fails."""
    from jinja2 import ChoiceLoader, DictLoader

    from forum import shared

    probe = "{{ csrf_token() }}"
    loader = ChoiceLoader([DictLoader({"probe.html": probe}), app.jinja_env.loader])
    monkeypatch.setattr(app.jinja_env, "loader", loader)
    with app.test_request_context(), pytest.raises(RuntimeError, match="form token"):
        shared.page(("probe",), lambda: app.jinja_env.from_string(probe).render(), 10)
    with app.test_request_context(), pytest.raises(RuntimeError, match="form token"):
        shared.markup("probe.html", ("probe",), dict)


def test_a_page_kept_for_every_visitor_cannot_write_to_a_session(app):
    """A render for every visitor that wrote to the visitor's session fails instead of being kept."""
    from flask import session

    from forum import shared

    def render():
        """A render that slips something of this visitor's into their session."""
        session["mine"] = 1
        return "page"

    with app.test_request_context(), pytest.raises(RuntimeError, match="session"):
        shared.page(("probe",), render, 10)


def test_a_flashed_message_is_never_shared(app, participant, make_thread):
    """A page carrying one visitor's message is made for them alone."""
    thread = make_thread()
    client = signed_in(app, participant)
    client.post("/logout")
    assert "You are signed out." in client.get(f"/threads/{thread.id}").text
    assert "You are signed out." not in app.test_client().get(f"/threads/{thread.id}").text


def test_a_deleted_thread_is_not_served_from_the_kept_page(app, participant, make_thread):
    """A thread taken out of sight is gone for visitors at once, kept page or not."""
    thread = make_thread(author=participant)
    anonymous = app.test_client()
    assert anonymous.get(f"/threads/{thread.id}").status_code == 200
    signed_in(app, participant).post(f"/posts/{thread.first_post_id}/delete")
    assert anonymous.get(f"/threads/{thread.id}").status_code == 404


def test_concurrent_misses_wait_for_one_render():
    """Single-flight: the second request for a key being made waits for it instead of making it again."""
    cache = SingleFlightCache(8)
    started, release, made = threading.Event(), threading.Event(), []

    def slow():
        """A render that waits until the test lets it finish."""
        made.append(1)
        started.set()
        release.wait(5)
        return "page"

    results = []
    leader = threading.Thread(target=lambda: results.append(cache.get("k", slow)))
    leader.start()
    assert started.wait(5)
    follower = threading.Thread(target=lambda: results.append(cache.get("k", slow)))
    follower.start()
    release.set()
    leader.join(5)
    follower.join(5)
    assert results == ["page", "page"] and made == [1]


def test_kept_values_age_and_are_bounded():
    """A value older than the age limit is made again; the least recently used goes first."""
    now = [0.0]
    cache = SingleFlightCache(2, seconds=10, clock=lambda: now[0])
    assert cache.get("a", lambda: 1) == 1
    assert cache.get("a", lambda: 2) == 1
    now[0] = 10.0
    assert cache.get("a", lambda: 3) == 3
    cache.get("b", lambda: 4)
    cache.get("c", lambda: 5)
    assert list(cache.entries) == ["b", "c"]


def test_a_thread_page_reads_and_marks_read_in_autocommit_and_other_pages_in_a_transaction(
    app, db, make_thread, make_post, participant
):
    """The thread page is marked `autocommit_request`: every statement, the user's and the read mark's
    included, runs without BEGIN and ROLLBACK; an unmarked page still runs in one transaction."""
    from sqlalchemy import event

    from forum.threads.models import ReadMark

    thread = make_thread()
    make_post(thread)
    client = signed_in(app, participant)
    levels = []

    def note(conn, _cursor, _statement, _parameters, _context, _many):
        """The isolation level each statement ran at."""
        levels.append(conn.get_execution_options().get("isolation_level"))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert client.get(f"/threads/{thread.id}").status_code == 200
        on_thread_page = list(levels)
        levels.clear()
        assert client.get("/threads").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert len(on_thread_page) >= 4  # the user, the thread, the reader's state, the read mark
    assert set(on_thread_page) == {"AUTOCOMMIT"}
    assert levels and "AUTOCOMMIT" not in levels
    marks = db.session.query(ReadMark).filter_by(user_id=participant.id, thread_id=thread.id).all()
    assert [mark.last_read_post_id for mark in marks] == [max(post.id for post in thread.posts)]
