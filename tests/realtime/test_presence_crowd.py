"""Reader counts in a crowded room: gathered into one announcement instead of one per arrival."""

import time

from forum.realtime import events as socket_events


def counts(sock):
    """The reader counts a socket heard since the last call."""
    return [e["args"][0]["count"] for e in sock.get_received() if e["name"] == "presence"]


def test_a_crowded_room_hears_its_count_once_for_many_arrivals(app, socket_client, make_thread, monkeypatch):
    monkeypatch.setattr(socket_events, "PRESENCE_EXACT_UP_TO", 1)
    # Long enough that three subscriptions on a slow, busy machine end before it (0.2 s once did not).
    monkeypatch.setattr(socket_events, "PRESENCE_SECONDS", 1.0)
    room = f"thread:{new_thread_id(make_thread)}"
    first = socket_client(app.test_client())
    first.emit("subscribe", {"room": room}, callback=True)
    assert counts(first) == [1]
    others = [socket_client(app.test_client()) for _ in range(3)]
    for sock in others:
        assert sock.emit("subscribe", {"room": room}, callback=True)["ok"]
    # Three arrivals in a room above the limit: nobody is told yet, then everyone once, the latest count.
    assert counts(first) == []
    deadline = time.monotonic() + 5
    while not (heard := counts(first)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert heard == [4]
    assert [counts(sock) for sock in others] == [[4], [4], [4]]


def test_a_small_room_hears_each_change_at_once(app, socket_client, make_thread):
    room = f"thread:{new_thread_id(make_thread)}"
    first, second = socket_client(app.test_client()), socket_client(app.test_client())
    first.emit("subscribe", {"room": room}, callback=True)
    second.emit("subscribe", {"room": room}, callback=True)
    second.emit("unsubscribe", {"room": room}, callback=True)
    assert counts(first) == [1, 2, 1]


def new_thread_id(make_thread):
    """The id of a new public thread."""
    return make_thread().id
