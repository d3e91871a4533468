"""The publisher: a reply answers before its event is rendered; only sub-rooms with readers are rendered."""

import threading
import time

import pytest
from flask_babel import get_locale

from forum.realtime import publish
from tests.conftest import Auth


def wait_for(condition, seconds=10.0):
    """Poll `condition` until it holds or `seconds` pass; whether it held."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def created(sock):
    """The post.created events a socket has received so far (kept across calls)."""
    sock.seen = getattr(sock, "seen", []) + [e for e in sock.get_received() if e["name"] == "post.created"]
    return sock.seen


def reader_of(app, socket_client, thread, user, language="en"):
    """A signed-in socket reading `thread` in `language`."""
    client = app.test_client()
    Auth(client).login(user)
    sock = socket_client(client, headers={"Accept-Language": language})
    assert sock.emit("subscribe", {"room": f"thread:{thread.id}"}, callback=True)["ok"]
    return sock


@pytest.mark.parametrize("config_overrides", [{"REALTIME_PUBLISH_INLINE": False}])
def test_the_reply_answers_before_its_event_is_rendered_then_readers_get_it(
    app, client, socket_client, participant, make_user, make_thread, monkeypatch
):
    thread = make_thread()
    reader = reader_of(app, socket_client, thread, make_user())
    answered = threading.Event()
    rendered_after_answer = []
    render = publish.RENDERERS["post.created"]

    def render_once_answered(event, audience):
        """Render only once the reply has answered; a publisher inside the request would wait in vain."""
        rendered_after_answer.append(answered.wait(10))
        return render(event, audience)

    monkeypatch.setitem(publish.RENDERERS, "post.created", render_once_answered)
    Auth(client).login(participant)
    response = client.post(f"/threads/{thread.id}/reply", data={"body": "Answered first"})
    answered.set()
    assert response.status_code == 302
    assert wait_for(lambda: created(reader))
    assert rendered_after_answer == [True]
    [event] = created(reader)
    assert "Answered first" in event["args"][0]["html"]


@pytest.mark.parametrize("config_overrides", [{"REALTIME_PUBLISH_INLINE": False}])
def test_a_failed_render_leaves_the_publisher_working_and_the_event_stored(
    app, socket_client, make_user, make_thread, make_post, monkeypatch
):
    thread = make_thread()
    reader = reader_of(app, socket_client, thread, make_user())
    render = publish.RENDERERS["post.created"]
    failures = iter([RuntimeError("renderer down")])

    def fail_once(event, audience):
        """Fail the first render, then render as usual."""
        for failure in failures:
            raise failure
        return render(event, audience)

    monkeypatch.setitem(publish.RENDERERS, "post.created", fail_once)
    make_post(thread, body="Lost live, kept stored")
    make_post(thread, body="Delivered")
    assert wait_for(lambda: created(reader))
    [event] = created(reader)
    assert event["args"][0]["id"] == 2
    # The reader sees the gap (no 1) and catches up from the stored event.
    reply = reader.emit("subscribe", {"room": f"thread:{thread.id}", "since": 0}, callback=True)
    assert reply["last"] == 2
    assert "Lost live, kept stored" in created(reader)[1]["args"][0]["html"]


def test_only_languages_and_audiences_with_readers_are_rendered(
    app, socket_client, make_user, moderator, make_thread, make_post, monkeypatch
):
    thread = make_thread()
    reader_of(app, socket_client, thread, make_user(), language="fr")
    reader_of(app, socket_client, thread, make_user(), language="fr")
    reader_of(app, socket_client, thread, moderator, language="ar")
    renders = []
    render = publish.RENDERERS["post.created"]

    def counted(event, audience):
        """Note which audience and language this render is for."""
        renders.append((audience, str(get_locale())))
        return render(event, audience)

    monkeypatch.setitem(publish.RENDERERS, "post.created", counted)
    make_post(thread, body="Read in two languages")
    assert sorted(renders) == [("public", "fr"), ("staff", "ar")]
