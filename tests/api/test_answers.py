"""What the API answers besides its data: cursor pages, ETags and 304, problem details for every error,
rate limits; and who is named on a question (an anonymous asker to staff and chairs only)."""

import re

import pytest

from forum.qa import questions

PROBLEM = "application/problem+json"


def test_lists_come_in_cursor_pages(client, make_theme):
    for _ in range(3):
        make_theme()
    first = client.get("/api/v1/themes?limit=2").json
    assert len(first["items"]) == 2 and first["next_cursor"] is not None
    rest = client.get(f"/api/v1/themes?limit=2&cursor={first['next_cursor']}").json
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert {t["id"] for t in first["items"] + rest["items"]} == {1, 2, 3}


def test_the_document_and_its_page(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0" and "/api/v1/threads/{thread_id}/posts" in document["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "POST /api/v1/threads/{thread_id}/posts" in page.text
    # Works offline: nothing is loaded from elsewhere.
    assert re.search(r'(?:src|href)="(?:https?:)?//', page.text) is None


def test_an_unchanged_answer_is_not_sent_again(client, make_thread):
    thread = make_thread()
    first = client.get(f"/api/v1/threads/{thread.id}")
    assert first.headers["ETag"]
    again = client.get(f"/api/v1/threads/{thread.id}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get(f"/api/v1/threads/{thread.id}", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/no-such-thing", 404),
        ("GET", "/api/v1/threads/987654", 404),
        ("PUT", "/api/v1/themes", 405),
        ("GET", "/api/v1/me", 401),
        ("GET", "/api/v1/themes?limit=1000", 422),
    ],
)
def test_errors_are_problem_details(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.headers["Content-Type"] == PROBLEM
    assert response.json["status"] == status and response.json["title"]
    if status == 405:
        assert "GET" in response.headers["Allow"]
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_refusal_is_a_403_problem_with_the_pages_reason(client, bearer, participant, make_thread, db):
    thread = make_thread()
    thread.locked = True
    db.session.commit()
    refused = client.post(
        f"/api/v1/threads/{thread.id}/posts", json={"body": "Hi"}, headers=bearer(participant)
    )
    assert refused.status_code == 403 and refused.headers["Content-Type"] == PROBLEM
    assert refused.json["detail"] == "This thread is locked."


def test_invalid_input_names_its_field(client, bearer, participant, make_thread):
    thread = make_thread()
    sent = client.post(
        f"/api/v1/threads/{thread.id}/posts", json={"body": "Hi", "x": 1}, headers=bearer(participant)
    )
    assert sent.status_code == 422 and set(sent.json["errors"]) == {"x"}


@pytest.fixture
def config_overrides(tmp_path):
    """Three reads a minute, and the Q&A's SQLite file."""
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'api.db'}", "API_READ_LIMIT": "3 per minute"}


def test_too_many_requests_are_a_429_with_retry_after(client, bearer, participant):
    for _ in range(3):
        assert client.get("/api/v1/themes").status_code == 200
    throttled = client.get("/api/v1/themes")
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    assert throttled.headers["Content-Type"] == PROBLEM
    # Counted per token: a token of its own is not held back by the address's count.
    assert client.get("/api/v1/themes", headers=bearer(participant)).status_code == 200


def test_an_anonymous_asker_is_named_to_staff_and_chairs_only(
    app, client, bearer, make_user, make_session, moderator
):
    chair, asker, reader = make_user(role="chair"), make_user(name="Quinn Asker"), make_user()
    session = make_session(chairs=[chair])
    questions.ask(asker, session, "Who audits the auditors?", anonymous=True)
    questions.ask(asker, session, "And who pays for it?")
    path = f"/api/v1/sessions/{session.slug}/questions"
    for viewer in (None, reader):
        hidden, named = client.get(path, headers=bearer(viewer)).json["items"]
        assert (
            hidden["asker"] is None
            and hidden["country"] is None
            and hidden["stakeholder_group"] == "academia"
        )
        assert named["asker"]["name"] == "Quinn Asker"
    for staff in (chair, moderator):
        hidden, _named = client.get(path, headers=bearer(staff)).json["items"]
        assert hidden["asker"]["name"] == "Quinn Asker"


def test_questions_and_votes_through_the_api(db, client, bearer, make_user, make_session):
    session = make_session(moderation_mode="pre")
    asker, voter = bearer(make_user()), bearer(make_user())
    asked = client.post(
        f"/api/v1/sessions/{session.slug}/questions", json={"body": "Who decides?"}, headers=asker
    )
    assert asked.status_code == 201 and asked.json["state"] == "pending"
    visible = client.get(f"/api/v1/sessions/{session.slug}/questions", headers=voter).json["items"]
    assert visible == []
    session.moderation_mode = "post"
    db.session.commit()
    question_id = client.post(
        f"/api/v1/sessions/{session.slug}/questions", json={"body": "Who pays?"}, headers=asker
    ).json["id"]
    voted = client.post(f"/api/v1/questions/{question_id}/vote", headers=voter)
    assert voted.status_code == 200 and voted.json == {"question_id": question_id, "votes": 1, "voted": True}
    again = client.post(f"/api/v1/questions/{question_id}/vote", headers=voter)
    assert again.status_code == 409 and again.json["code"] == "already_voted"
    withdrawn = client.delete(f"/api/v1/questions/{question_id}/vote", headers=voter)
    assert withdrawn.json["votes"] == 0
