"""Thread rooms: live events, catch-up with `since`, resync, permissions, audiences, limits."""

import pytest

from forum.extensions import db
from forum.realtime import events as socket_events
from forum.rules import RuleViolation
from forum.threads import services
from tests.conftest import Auth


def received(sock, name=None):
    """The events a socket received since the last call, optionally of one name."""
    return [e for e in sock.get_received() if name is None or e["name"] == name]


@pytest.fixture
def reader(socket_client, client, participant):
    """A signed-in participant's socket."""
    Auth(client).login(participant)
    return socket_client(client)


def test_a_reply_reaches_subscribers_rendered(reader, make_thread, make_post):
    thread = make_thread(title="Live thread")
    assert reader.emit("subscribe", {"room": f"thread:{thread.id}"}, callback=True)["ok"]
    post = make_post(thread, body="Fresh **news**")
    [event] = received(reader, "post.created")
    payload = event["args"][0]
    assert payload["room"] == f"thread:{thread.id}"
    assert payload["id"] == 1
    assert payload["post_id"] == post.id
    assert f'id="post-{post.id}-by"' in payload["html"]
    assert "<strong>news</strong>" in payload["html"]


def test_catch_up_sends_exactly_the_missed_events_in_order(reader, make_thread, make_post):
    thread = make_thread()
    room = f"thread:{thread.id}"
    posts = [make_post(thread, body=f"Reply {n}") for n in range(3)]
    services.edit_post(posts[0].author, posts[0], "Reply 0, edited")
    reply = reader.emit("subscribe", {"room": room, "since": 1}, callback=True)
    assert reply == {"ok": True, "room": room, "last": 4}
    replayed = [(e["name"], e["args"][0]["id"]) for e in received(reader) if e["name"] != "presence"]
    assert replayed == [("post.created", 2), ("post.created", 3), ("post.updated", 4)]
    make_post(thread, body="After catch-up")
    live = [(e["name"], e["args"][0]["id"]) for e in received(reader) if e["name"] != "presence"]
    assert live == [("post.created", 5)]


def test_subscribing_up_to_date_replays_nothing(reader, make_thread, make_post):
    thread = make_thread()
    make_post(thread)
    reader.emit("subscribe", {"room": f"thread:{thread.id}", "since": 1}, callback=True)
    assert received(reader, "post.created") == []


def test_a_gap_too_large_answers_resync(reader, make_thread, make_post, monkeypatch):
    monkeypatch.setattr(socket_events, "REPLAY_LIMIT", 2)
    thread = make_thread()
    for _ in range(3):
        make_post(thread)
    reader.emit("subscribe", {"room": f"thread:{thread.id}", "since": 0}, callback=True)
    names = [e["name"] for e in received(reader)]
    assert "resync" in names and "post.created" not in names


def test_since_beyond_the_last_event_answers_resync(reader, make_thread):
    thread = make_thread()
    reader.emit("subscribe", {"room": f"thread:{thread.id}", "since": 99}, callback=True)
    assert received(reader, "resync")[0]["args"][0] == {"room": f"thread:{thread.id}"}


@pytest.mark.parametrize("since", ["3", -1, True, 1.5, [1]])
def test_malformed_since_is_refused(reader, make_thread, since):
    thread = make_thread()
    reply = reader.emit("subscribe", {"room": f"thread:{thread.id}", "since": since}, callback=True)
    assert reply["ok"] is False and reply["error"] == "bad_request"


def test_nothing_is_emitted_when_the_write_fails(reader, participant, make_thread, monkeypatch):
    thread = make_thread()
    reader.emit("subscribe", {"room": f"thread:{thread.id}"}, callback=True)
    received(reader)
    with pytest.raises(RuleViolation):
        services.reply(participant, thread, "")

    def failing_commit():
        """The database refuses the commit."""
        raise RuntimeError("disk full")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    with pytest.raises(RuntimeError):
        services.reply(participant, thread, "Never stored")
    assert received(reader) == []


def test_unsubscribe_stops_events(reader, make_thread, make_post):
    thread = make_thread()
    room = f"thread:{thread.id}"
    reader.emit("subscribe", {"room": room}, callback=True)
    assert reader.emit("unsubscribe", {"room": room}, callback=True) == {"ok": True, "room": room}
    received(reader)
    make_post(thread)
    assert received(reader, "post.created") == []
    assert reader.emit("unsubscribe", {"room": room}, callback=True)["error"] == "not_subscribed"


def test_held_thread_room_is_for_its_author_and_staff(app, socket_client, make_user, make_thread):
    author = make_user(status="pending")
    thread = make_thread(author=author)
    for user, allowed in (
        (author, True),
        (make_user(), False),
        (make_user(role="moderator"), True),
        (None, False),
    ):
        client = app.test_client()
        if user:
            Auth(client).login(user)
        reply = socket_client(client).emit("subscribe", {"room": f"thread:{thread.id}"}, callback=True)
        assert reply["ok"] is allowed, user
        if not allowed:
            assert reply["error"] == "forbidden"


def test_chatham_names_reach_staff_only(app, socket_client, make_user, make_thread, make_post):
    thread = make_thread(attribution="chatham")
    sockets = {}
    for role in ("participant", "moderator"):
        client = app.test_client()
        Auth(client).login(make_user(role=role))
        sockets[role] = socket_client(client)
        sockets[role].emit("subscribe", {"room": f"thread:{thread.id}"}, callback=True)
    make_post(thread, author=make_user(name="Confidential Delegate"), body="Off the record")
    public = received(sockets["participant"], "post.created")[0]["args"][0]["html"]
    staff = received(sockets["moderator"], "post.created")[0]["args"][0]["html"]
    assert "Off the record" in public and "Confidential Delegate" not in public
    assert "Confidential Delegate" in staff


def test_each_reader_gets_their_language(app, socket_client, make_user, make_thread, make_post):
    thread = make_thread()
    french = app.test_client()
    french.post("/language", data={"language": "fr"})
    sock = socket_client(french)
    sock.emit("subscribe", {"room": f"thread:{thread.id}"}, callback=True)
    make_post(thread)
    html = received(sock, "post.created")[0]["args"][0]["html"]
    assert "heure de Genève" in html
    assert "0 appui" in html


def test_presence_counts_readers(app, socket_client, make_thread):
    thread = make_thread()
    first, second = socket_client(app.test_client()), socket_client(app.test_client())
    first.emit("subscribe", {"room": f"thread:{thread.id}"}, callback=True)
    second.emit("subscribe", {"room": f"thread:{thread.id}"}, callback=True)
    assert received(first, "presence")[-1]["args"][0]["count"] == 2
    second.disconnect()
    assert received(first, "presence")[-1]["args"][0]["count"] == 1


@pytest.mark.parametrize("config_overrides", [{"SOCKET_EVENT_LIMIT": "3 per minute"}])
def test_socket_events_are_rate_limited_per_user(reader, make_thread):
    thread = make_thread()
    replies = [reader.emit("subscribe", {"room": f"thread:{thread.id}"}, callback=True) for _ in range(4)]
    assert [r["ok"] for r in replies] == [True, True, True, False]
    assert replies[-1]["error"] == "throttled"


def test_socket_event_buckets_refill_over_the_period_and_forget_full_ones(monkeypatch):
    from limits import parse

    from forum import throttle

    now = [1000.0]
    buckets, limit = throttle.Buckets(clock=lambda: now[0]), parse("3 per minute")
    assert [buckets.take(limit, "user:1") for _ in range(4)] == [0, 0, 0, 20]
    assert buckets.take(limit, "user:2") == 0  # each key has its own bucket
    now[0] += 19
    assert buckets.take(limit, "user:1") == 1  # a token every 20 s: almost there
    now[0] += 1
    assert buckets.take(limit, "user:1") == 0
    assert buckets.take(limit, "user:1") == 20
    monkeypatch.setattr(throttle.Buckets, "KEPT", 2)
    now[0] += 60  # both buckets full again: the next new key drops them
    assert buckets.take(limit, "user:3") == 0
    assert set(buckets.levels) == {"user:3"}


def test_room_numbers_are_trusted_briefly_and_updated_by_own_events(app, db, make_thread, make_post):
    from forum.realtime import store

    now = [0.0]
    # The process caches' clock, set before the room numbers' cache is first used (forum.caching).
    app.extensions["forum_caches"].clock = lambda: now[0]
    thread = make_thread()
    room = f"thread:{thread.id}"
    make_post(thread)
    assert store.last_seq(room) == 1  # this process published it: known at once
    store.record(room, "thread.updated", {"thread_id": thread.id})  # as another process would, unpublished
    db.session.commit()
    assert store.last_seq(room) == 1  # trusted for a moment…
    now[0] += store.SEQ_SECONDS
    assert store.last_seq(room) == 2  # …then read again
