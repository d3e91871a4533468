"""Personal API tokens: shown once, kept hashed, scoped, revocable by their owner and the secretariat;
the API takes bearer tokens only, never the site's cookie."""

import hashlib
import re

import pytest
from sqlalchemy import select, text

from forum.api import tokens
from forum.api.models import ApiToken
from forum.audit.models import AuditEntry
from forum.privacy import erasure
from forum.rules import RuleViolation
from forum.threads.models import Post
from tests.conftest import PASSWORD, Auth

TOKEN = re.compile(r'id="new-token" type="text" value="(dfa_[A-Za-z0-9_-]+)"')


def _create(client, name="Analysis script", scope="read"):
    """Create a token through the account page; (the page, the token it shows)."""
    page = client.post("/account/api-tokens", data={"name": name, "scope": scope})
    found = TOKEN.search(page.text)
    return page, found.group(1) if found else None


def test_a_token_is_shown_once_and_kept_only_as_a_digest(app, db, client, participant):
    Auth(client).login(participant)
    page, secret = _create(client)
    assert page.status_code == 200 and secret is not None
    assert page.headers["Cache-Control"] == "no-store"
    assert secret not in client.get("/account/api-tokens").text
    stored = db.session.execute(text("SELECT * FROM api_token")).one()
    assert secret not in repr(tuple(stored))
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json == {**me.json, "id": participant.id, "scope": "read"}


def test_the_form_refuses_a_nameless_token(client, participant):
    Auth(client).login(participant)
    page, secret = _create(client, name="   ")
    assert page.status_code == 422 and secret is None
    assert "Name the token." in page.text


def test_a_read_token_reads_and_may_not_write(app, client, participant, make_thread):
    thread = make_thread()
    Auth(client).login(participant)
    _page, secret = _create(client, scope="read")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/api/v1/threads/{thread.id}", headers=headers).status_code == 200
    refused = client.post(f"/api/v1/threads/{thread.id}/posts", json={"body": "Hello"}, headers=headers)
    assert refused.status_code == 403 and refused.json["code"] == "insufficient_scope"
    _page, writer = _create(client, scope="write")
    written = client.post(
        f"/api/v1/threads/{thread.id}/posts",
        json={"body": "Hello"},
        headers={"Authorization": f"Bearer {writer}"},
    )
    assert written.status_code == 201 and written.json["state"] == "published"


def test_a_revoked_token_is_refused(app, db, client, participant):
    Auth(client).login(participant)
    _page, secret = _create(client)
    headers = {"Authorization": f"Bearer {secret}"}
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/account/api-tokens/{token.id}/revoke").status_code == 303
    refused = client.get("/api/v1/themes", headers=headers)
    assert refused.status_code == 401 and refused.json["code"] == "invalid_token"
    assert refused.headers["Content-Type"] == "application/problem+json"


def test_nobody_revokes_anothers_token_but_the_secretariat(app, db, participant, make_user, admin):
    owner, other = app.test_client(), app.test_client()
    Auth(owner).login(participant)
    _page, secret = _create(owner)
    token = db.session.scalar(select(ApiToken))
    Auth(other).login(make_user())
    assert other.post(f"/account/api-tokens/{token.id}/revoke").status_code == 404
    staff = app.test_client()
    Auth(staff).login(admin)
    listing = staff.get("/admin/api-tokens")
    assert participant.name in listing.text and token.prefix in listing.text and secret not in listing.text
    assert staff.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 303
    assert owner.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert db.session.scalar(select(AuditEntry.action)) == "api_token.revoke"


def test_the_cookie_session_does_not_reach_the_api(app, db, client, participant, make_thread):
    thread = make_thread()
    Auth(client).login(participant)
    # CSRF on, as in production: the API is exempt from it because it reads no cookie at all.
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.get("/api/v1/me").status_code == 401
    refused = client.post(f"/api/v1/threads/{thread.id}/posts", json={"body": "Through the cookie?"})
    assert refused.status_code == 401
    assert db.session.scalar(select(Post.id).where(Post.body == "Through the cookie?")) is None
    assert "Set-Cookie" not in client.get("/api/v1/themes").headers


def test_staff_without_their_second_factor_create_no_token(moderator):
    moderator.second_factor_missing = True
    with pytest.raises(RuleViolation) as refused:
        tokens.create(moderator, "Staff script", "write")
    assert refused.value.code == "forbidden"


def test_deleting_the_account_deletes_its_tokens(app, db, participant, bearer):
    headers = bearer(participant)
    erasure.erase(participant, PASSWORD)
    assert db.session.scalar(select(ApiToken)) is None
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
