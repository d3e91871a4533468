"""Password reset: one answer for every address, a single-use expiring link, throttling."""

import time

from forum.accounts import services as accounts
from forum.extensions import socketio
from forum.mail import tokens
from tests.conftest import PASSWORD, Auth
from tests.mail.conftest import links, old_token

NEW_PASSWORD = "a brand new passphrase"


def reset_link(message):
    """The reset path a mail carries."""
    return next(path for path in links(message) if path.startswith("/reset-password/"))


def test_forgot_password_mails_a_link_that_sets_a_new_password(app, client, deliver, auth, participant):
    other = app.test_client()
    Auth(other).login(participant)
    assert 'href="/forgot-password"' in client.get("/login").get_data(as_text=True)
    answer = client.post("/forgot-password", data={"email": "Participant@Example.org "})
    assert answer.status_code == 200
    [message] = deliver()
    assert message["To"] == "participant@example.org"
    assert message.get_content_type() == "multipart/alternative"
    link = reset_link(message)
    assert client.get(link).status_code == 200
    done = client.post(link, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert auth.login(participant, PASSWORD).status_code == 422
    assert auth.login(participant, NEW_PASSWORD).status_code == 302
    # Every other session ended.
    assert other.get("/account").status_code == 302
    # The link worked once.
    reused = client.get(link)
    assert reused.status_code == 410
    page = reused.get_data(as_text=True)
    assert "already been used" in page and 'action="/forgot-password"' in page


def test_the_answer_is_the_same_for_an_unknown_address(client, deliver, participant):
    known = client.post("/forgot-password", data={"email": participant.email}).get_data(as_text=True)
    unknown = client.post("/forgot-password", data={"email": "nobody@example.org"}).get_data(as_text=True)
    assert known.replace(participant.email, "X") == unknown.replace("nobody@example.org", "X")
    assert [m["To"] for m in deliver()] == [participant.email]


def test_the_answer_comes_after_the_same_time_for_an_unknown_address(app, client, monkeypatch, participant):
    """Writing the mail takes time an unknown address would save: both answers wait out the floor."""
    app.config["RESET_ANSWER_SECONDS"] = 5
    waits = []
    monkeypatch.setattr(socketio, "sleep", waits.append)
    started = time.monotonic()
    for email in (participant.email, "nobody@example.org"):
        assert client.post("/forgot-password", data={"email": email}).status_code == 200
    spent = time.monotonic() - started
    assert len(waits) == 2
    # Each request waited out what its own work left of the 5 s: together, 10 s less the work of both.
    assert all(0 < wait <= 5 for wait in waits)
    assert 10 - spent <= sum(waits) <= 10


def test_an_expired_link_asks_for_a_new_one(app, client, participant):
    payload = {"u": participant.id, "p": tokens.password_fingerprint(participant)}
    token = old_token(app, "password-reset", payload, 2 * 3600)
    page = client.get(f"/reset-password/{token}")
    assert page.status_code == 410
    assert "This link has expired" in page.get_data(as_text=True)


def test_a_password_change_voids_the_link(client, deliver, participant):
    client.post("/forgot-password", data={"email": participant.email})
    link = reset_link(deliver()[0])
    accounts.change_password(participant, PASSWORD, "another long passphrase")
    assert client.get(link).status_code == 410
    assert client.post(link, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 410


def test_a_tampered_link_is_refused(client, participant):
    token = tokens.reset_token(participant)
    assert client.get(f"/reset-password/{token}x").status_code == 400


def test_a_weak_new_password_is_refused_beside_the_field(client, deliver, participant):
    client.post("/forgot-password", data={"email": participant.email})
    link = reset_link(deliver()[0])
    page = client.post(link, data={"new_password": "password", "confirm": "password"})
    assert page.status_code == 422
    assert "too common" in page.get_data(as_text=True)
    assert client.get(link).status_code == 200


def test_requests_are_throttled_per_address_and_per_ip(client, deliver, participant):
    for _attempt in range(3):
        assert client.post("/forgot-password", data={"email": participant.email}).status_code == 200
    refused = client.post("/forgot-password", data={"email": participant.email})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    for n in range(7):
        assert client.post("/forgot-password", data={"email": f"x{n}@example.org"}).status_code == 200
    assert client.post("/forgot-password", data={"email": "y@example.org"}).status_code == 429
    assert len(deliver()) == 3


def test_mail_links_work_on_a_members_only_site(app, client, deliver, participant):
    app.config["PUBLIC_READ"] = False
    assert client.get("/").status_code == 302
    assert client.get("/forgot-password").status_code == 200
    client.post("/forgot-password", data={"email": participant.email})
    [message] = deliver()
    link = reset_link(message)
    assert client.get(link).status_code == 200
    assert client.get("/confirm-email/not-a-token").status_code == 400
    assert client.get("/unsubscribe/not-a-token").status_code == 400
