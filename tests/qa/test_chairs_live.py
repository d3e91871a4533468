"""A session's chairs get the staff copy of its live events; the speakers' list is live for everyone."""

from datetime import timedelta

from forum.database import utcnow
from forum.extensions import db
from forum.qa import questions, speakers
from tests.conftest import Auth
from tests.qa.conftest import follow, received


def test_a_chair_who_is_not_a_moderator_gets_pending_questions_and_who_asked(
    app, socket_client, make_session, make_user
):
    chair, other_chair = make_user(role="chair"), make_user(role="chair")
    session = make_session(moderation_mode="pre", chairs=[chair])
    make_session(chairs=[other_chair])
    asker = make_user(name="Quinn Anonymous", organisation="Quiet Ministry")
    chair_socket, chair_client = follow(app, socket_client, chair, session)
    other_socket, _ = follow(app, socket_client, other_chair, session)
    reader, _ = follow(app, socket_client, make_user(), session)
    question = questions.ask(asker, session, "Who funds the follow-up?", anonymous=True)

    (staff_copy,) = received(chair_socket, "question.created")
    assert staff_copy["question_id"] == question.id and staff_copy["state"] == "pending"
    assert "Quinn Anonymous" in staff_copy["html"] and 'value="approve"' in staff_copy["html"]
    assert received(other_socket, "question.created") == []
    assert received(reader, "question.created") == []
    page = chair_client.get(f"/programme/{session.slug}").text
    assert "Who funds the follow-up?" in page and "Quinn Anonymous" in page

    questions.moderate(chair, question, "approve")
    for socket in (other_socket, reader):
        (public_copy,) = received(socket, "question.created")
        assert "Who funds the follow-up?" in public_copy["html"]
        assert "Quinn Anonymous" not in str(public_copy) and "Quiet Ministry" not in str(public_copy)
    assert "Quinn Anonymous" in received(chair_socket, "question.created")[0]["html"]


def test_a_chair_catching_up_gets_the_staff_copy(app, socket_client, make_session, make_user):
    chair = make_user(role="chair")
    session = make_session(moderation_mode="pre", chairs=[chair])
    questions.ask(make_user(name="Late Asker"), session, "Asked before the chair connected?", anonymous=True)
    client = app.test_client()
    Auth(client).login(chair)
    socket = socket_client(client)
    assert socket.emit("subscribe", {"room": f"session:{session.id}", "since": 0}, callback=True)["ok"]
    (replayed,) = received(socket, "question.created")
    assert "Late Asker" in replayed["html"]


def request(make_user, session, org):
    """A verified participant's slot request in the session."""
    return speakers.request_slot(make_user(), session, org, "en", 3)


def test_the_speakers_list_updates_live_for_the_public_and_the_chair(
    app, socket_client, make_session, make_user
):
    chair = make_user(role="chair")
    session = make_session(chairs=[chair])
    first, second = (
        request(make_user, session, "Republic of Kenya"),
        request(make_user, session, "Civil Society Coalition"),
    )
    chair_socket, _ = follow(app, socket_client, chair, session)
    reader, _ = follow(app, socket_client, make_user(), session)
    anonymous, _ = follow(app, socket_client, None, session)

    speakers.decide(chair, first, True)
    speakers.decide(chair, second, True)
    public = received(reader, "speakers.updated")
    assert [p["announce"] for p in public] == [
        "Republic of Kenya joined the speakers’ list.",
        "Civil Society Coalition joined the speakers’ list.",
    ]
    assert public[-1]["list_html"].index("Republic of Kenya") < public[-1]["list_html"].index("Civil Society")
    assert "requests_html" not in public[-1] and "Give the floor" not in public[-1]["list_html"]
    assert received(anonymous, "speakers.updated")[-1]["list_html"] == public[-1]["list_html"]
    staff = received(chair_socket, "speakers.updated")[-1]
    assert "Give the floor" in staff["list_html"] and "No requests are waiting." in staff["requests_html"]

    speakers.move(chair, second, "up")
    (moved,) = received(reader, "speakers.updated")
    assert moved["list_html"].index("Civil Society") < moved["list_html"].index("Republic of Kenya")
    speakers.start(chair, second)
    (started,) = received(reader, "speakers.updated")
    assert started["announce"] == "Civil Society Coalition has the floor."
    assert "Now speaking:" in started["list_html"]
    speakers.stop(chair, second)
    (stopped,) = received(reader, "speakers.updated")
    assert "Delivered" in stopped["list_html"] and "Now speaking:" not in stopped["list_html"]


def test_requests_and_rejections_reach_only_the_chair(app, socket_client, make_session, make_user):
    chair = make_user(role="chair")
    session = make_session(chairs=[chair])
    chair_socket, _ = follow(app, socket_client, chair, session)
    reader, _ = follow(app, socket_client, make_user(), session)
    slot = request(make_user, session, "Private Sector Alliance")
    (staff,) = received(chair_socket, "speakers.updated")
    assert staff["announce"] == "Private Sector Alliance requested to speak."
    assert "Private Sector Alliance" in staff["requests_html"]
    # The reader gets the event too (its number keeps the room's sequence whole) but nothing of the request.
    (public,) = received(reader, "speakers.updated")
    assert public["announce"] is None and "Private Sector Alliance" not in str(public)
    speakers.decide(chair, slot, False, "The list is full.")
    assert "The list is full." in received(chair_socket, "speakers.updated")[0]["requests_html"]
    assert "The list is full." not in str(received(reader, "speakers.updated"))


def test_the_speakers_page_works_without_javascript(client, make_session, make_user):
    chair = make_user(role="chair")
    session = make_session(chairs=[chair], speaker_deadline=utcnow() + timedelta(hours=1))
    slot = request(make_user, session, "Republic of Chile")
    Auth(client).login(chair)
    response = client.post(f"/speakers/{slot.id}/decide", data={"decision": "approve"})
    assert response.status_code == 303
    page = client.get(f"/programme/{session.slug}/speakers").text
    assert 'data-room="session:' in page and 'data-runs="true"' in page
    assert "Republic of Chile" in page and "Give the floor" in page
    client.post(f"/speakers/{slot.id}/start")
    db.session.refresh(session)
    assert session.current_slot_id == slot.id
    assert "Now speaking:" in client.get(f"/programme/{session.slug}/speakers").text
