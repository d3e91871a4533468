"""Bad input at the boundary (forum.params): ids beyond the database's range, non-ASCII digits, NUL and
lone surrogates get a 404, a 400 that says why, or a structured socket error; never a 500 or silence."""

import pytest
from sqlalchemy import func, select, text
from werkzeug.datastructures import MultiDict

from forum.params import DB_INT_MAX, first_unstorable, id_list, int_arg, to_id, to_int
from forum.realtime import rooms
from forum.threads.models import Post
from tests.conftest import Auth

BEYOND = [str(DB_INT_MAX + 1), "99999999999999999999", "9" * 5000]


@pytest.mark.parametrize(
    "value", [*BEYOND, "²", "١٢", "１", "-1", "1.5", " 1", "", "00000000001", None, True, 1.5]
)
def test_to_int_refuses_what_is_not_an_ascii_number_within_range(value):
    with pytest.raises(ValueError):
        to_int(value)


def test_to_int_and_to_id_read_ascii_digits_and_ints_within_their_bounds():
    assert to_int("0") == 0 and to_int(str(DB_INT_MAX)) == DB_INT_MAX and to_int(7) == 7
    assert to_int("5", minimum=1, maximum=5) == 5
    with pytest.raises(ValueError):
        to_id("0")


def test_int_arg_and_id_list_fall_back_or_leave_out_what_they_cannot_read(app):
    with app.test_request_context("/?page=2147483648&before=12&to=%C2%B2"):
        assert int_arg("page", 1, minimum=1) == 1
        assert int_arg("before") == 12
        assert int_arg("to") is None
        assert int_arg("id", values=MultiDict({"id": "3"})) == 3
        assert id_list("items", MultiDict([("items", "4"), ("items", "²"), ("items", BEYOND[0])])) == [4]


def test_first_unstorable_finds_nul_and_lone_surrogates_anywhere_in_a_payload():
    assert first_unstorable({"room": "thread:1", "list": [1, {"deep": ["fine", "bad\x00"]}]}) == "bad\x00"
    assert first_unstorable({"key\ud800": 1}) == "key\ud800"
    assert first_unstorable({"body": "مرحبا \u200f 🙂", "n": 2**70}) is None


@pytest.mark.parametrize(
    "path",
    ["/threads/2147483648", "/posts/2147483648", "/posts/99999999999999999999/edit",
     "/hub/9223372036854775808", "/users/4294967296", "/threads/١", "/threads/" + "9" * 5000],
)  # fmt: skip
def test_ids_beyond_the_database_range_or_in_other_digits_are_not_found(client, participant, path):
    Auth(client).login(participant)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/u/%00", "/programme/%00", "/hub/?q=%00", "/threads?language=en%00"])
def test_nul_in_the_address_is_refused_with_a_reason(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "not allowed (NUL)" in response.text


def test_nul_in_a_reply_is_refused_naming_the_field_and_nothing_is_written(
    db, client, participant, make_thread, caplog
):
    thread = make_thread()
    Auth(client).login(participant)
    with caplog.at_level("INFO", logger="forum.security"):
        response = client.post(f"/threads/{thread.id}/reply", data={"body": "Hello\x00 world"})
    assert response.status_code == 400
    assert "“body”" in response.text and "not allowed (NUL)" in response.text
    assert db.session.scalar(select(func.count(Post.id))) == 1
    [line] = [record.getMessage() for record in caplog.records if record.name == "forum.security"]
    assert '"event": "input.refused"' in line and '"field": "body"' in line


@pytest.mark.parametrize(
    "path",
    ["/notifications?before=2147483648", "/search?q=governance&page=99999999999999999999",
     "/hub/?page=2147483648", "/threads?after=99999999999999999999.1", "/threads?after=1.2147483648"],
)  # fmt: skip
def test_integer_arguments_beyond_range_fall_back_to_their_default(client, participant, path):
    Auth(client).login(participant)
    assert client.get(path).status_code == 200


def test_bulk_moderation_leaves_out_items_that_are_not_ids(client, moderator):
    Auth(client).login(moderator)
    data = {"items": ["²", BEYOND[0]], "action": "approve"}
    response = client.post("/moderation/items/bulk", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "Select at least one item." in response.text


def test_a_theme_position_beyond_range_is_refused_beside_the_field(client, admin, make_theme):
    theme = make_theme()
    Auth(client).login(admin)
    data = {"name-en": str(theme.name), "slug": theme.slug, "position": BEYOND[1]}
    response = client.post(f"/admin/themes/{theme.id}", data=data)
    assert response.status_code == 422
    assert 'id="position-error">Give a position from 0 to 9,999.' in response.text


def test_a_room_beyond_the_id_range_does_not_exist():
    assert rooms.check("thread:2147483648") == "not_found"
    assert rooms.check("session:²") == "not_found"
    assert not rooms.is_presence_room("thread:99999999999")


@pytest.mark.parametrize(
    ("event", "payload", "error"),
    [
        ("subscribe", {"room": "thread:2147483648"}, "not_found"),
        ("subscribe", {"room": "moderation", "note": ["x\x00"]}, "bad_request"),
        ("question.vote", {"question_id": 2**31}, "bad_request"),
        ("question.ask", {"session_id": 1, "body": "why\ud800", "anonymous": False}, "bad_request"),
        ("question.moderate", {"question_id": 2**63, "action": "approve"}, "bad_request"),
        ("moderation.act", {"item_id": 2**31, "action": "approve"}, "bad_request"),
    ],
)
def test_socket_events_answer_bad_ids_and_unstorable_text_with_a_structured_error(
    socket_client, client, moderator, event, payload, error
):
    Auth(client).login(moderator)
    reply = socket_client(client).emit(event, payload, callback=True)
    assert reply["ok"] is False and reply["error"] == error
    assert reply["message"]


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_failed_statement_in_a_socket_handler_is_rolled_back_and_answered(
    db, socket_client, client, participant, make_thread, monkeypatch
):
    make_thread()
    Auth(client).login(participant)
    sock = socket_client(client)
    checked = rooms.check
    monkeypatch.setattr(rooms, "check", lambda room: db.session.execute(text("SELECT 1 / 0")))
    reply = sock.emit("subscribe", {"room": "thread:1"}, callback=True)
    assert reply == {"ok": False, "error": "server_error", "message": "Something went wrong on our side."}
    monkeypatch.setattr(rooms, "check", checked)
    assert sock.emit("subscribe", {"room": "thread:1"}, callback=True)["ok"] is True
