"""Deleting an account: nothing of the user's email, name or handle is left in any table or the outbox;
their posts stay under "Former participant" with group and country; the audit log keeps a pseudonym."""

import re

import pytest
from sqlalchemy import String, select, text

from forum.accounts.models import User
from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.privacy.models import DataRequest
from forum.threads.models import Post
from tests.conftest import PASSWORD, Auth


def traces_left(app, traces):
    """(table, column, trace) of every text or JSON cell, and every outbox file, holding one of `traces`."""
    found = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String) and column.type.__class__.__name__ != "JSON":
                    continue
                for (value,) in conn.execute(select(column).where(column.is_not(None))):
                    cell = value if isinstance(value, str) else str(value)
                    found += [(table.name, column.name, t) for t in traces if t.lower() in cell.lower()]
        # The search index: FTS5 keeps the text; PostgreSQL keeps lexemes, so its words are searched.
        postgres = conn.dialect.name == "postgresql"
        column = "document::text" if postgres else "body"
        search = " ".join(conn.execute(text(f"SELECT {column} FROM post_search")).scalars()).lower()  # noqa: S608
    words = {w for t in traces for w in re.split(r"[^\w]+", t.lower()) if len(w) > 4} if postgres else traces
    found += [("post_search", column, w) for w in words if w.lower() in search]
    outbox = app.config["MAIL_OUTBOX_DIR"]
    for path in outbox.glob("*.eml") if outbox.is_dir() else []:
        content = path.read_text(errors="replace").lower()
        found += [(path.name, "file", t) for t in traces if t.lower() in content]
    return found


def delete(client, password=PASSWORD, understood="y"):
    """Submit the deletion form."""
    return client.post("/account/delete", data={"password": password, "understood": understood})


def test_after_deletion_no_table_and_no_mail_holds_the_users_email_name_or_handle(app, client, world):
    amara = world["amara"]
    traces = ["amara.okafor@example.org", "Amara Okafor", amara.handle]
    assert traces_left(app, traces)  # there is something to delete
    response = delete(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert traces_left(app, traces) == []
    # Bo's mail that named her is still there, naming the former participant instead.
    [bo_mail] = [p for p in app.config["MAIL_OUTBOX_DIR"].glob("*.eml") if "bo@example.org" in p.read_text()]
    assert "Former participant replied" in bo_mail.read_text()
    # Everyone else's data is untouched.
    assert traces_left(app, ["Bo Bystander", "bo@example.org", "Mo Moderator"])


def test_posts_stay_under_former_participant_with_group_and_country(app, client, world):
    amara_id, thread_id = world["amara"].id, world["thread"].id
    delete(client)
    page = app.test_client().get(f"/threads/{thread_id}").text
    assert "Former participant" in page and "opening post." in page
    assert "Nigeria" in page and "Member State" in page
    db.session.expire_all()
    user = db.session.get(User, amara_id)
    assert user.name == "Former participant" and user.handle.startswith("former-") and user.organisation == ""
    posts = db.session.scalars(select(Post).where(Post.author_id == amara_id)).all()
    assert [(p.written_group, p.written_country) for p in posts] == [("member_state", "NG")] * 2
    # The mention in Bo's post now names the pseudonym, and its link leads to the pseudonymous profile.
    mention = db.session.scalar(select(Post.body).where(Post.author_id == world["bo"].id))
    assert f"@{user.handle}" in mention


def test_the_audit_log_keeps_a_pseudonymous_reference(client, world):
    amara_id = world["amara"].id
    delete(client)
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == "user", AuditEntry.target_id == amara_id)
    ).all()
    assert entries and all(e.target_label.startswith("erased:") for e in entries)
    assert any(e.action == "user.warn" for e in entries)
    [request] = db.session.scalars(select(DataRequest).where(DataRequest.kind == "erasure")).all()
    assert request.user_id == amara_id and request.detail["audit_entries_redacted"] >= 1


def test_a_deleted_account_is_signed_out_everywhere_and_cannot_sign_in(app, client, world, socket_client):
    other_browser = app.test_client()
    Auth(other_browser).login(world["amara"])
    sock = socket_client(other_browser)
    delete(client)
    assert not sock.is_connected()
    assert other_browser.get("/account").headers["Location"].startswith("/login")
    assert client.get("/account").headers["Location"].startswith("/login")
    refused = app.test_client().post(
        "/login", data={"email": "amara.okafor@example.org", "password": PASSWORD}
    )
    assert refused.status_code == 422


@pytest.mark.parametrize(
    ("password", "understood", "message"),
    [("wrong password", "y", "The password is not correct."), (PASSWORD, "", "Tick this box to confirm.")],
)
def test_a_refused_deletion_says_why_beside_the_field(client, world, password, understood, message):
    response = delete(client, password, understood)
    assert response.status_code == 422 and message in response.text
    db.session.expire_all()
    assert db.session.get(User, world["amara"].id).name == "Amara Okafor"


def test_the_last_administrator_cannot_delete_their_account(app, admin):
    client = app.test_client()
    Auth(client).login(admin)
    response = delete(client)
    assert (
        response.status_code == 422 and "The last administrator cannot delete their account." in response.text
    )


def test_the_secretariat_sees_the_log_of_requests(app, client, world, admin, participant):
    client.get("/account/data/export.json")
    delete(client)
    secretariat = app.test_client()
    Auth(secretariat).login(admin)
    page = secretariat.get("/admin/data-requests").text
    assert "Data downloaded" in page and "Account deleted" in page
    assert "Amara" not in page and "former-" in page
    moderator = app.test_client()
    Auth(moderator).login(world["moderator"])
    assert moderator.get("/admin/data-requests").status_code == 403
    assert app.test_client().get("/admin/data-requests").status_code == 302


def test_the_user_may_ask_for_the_removal_of_what_they_wrote_too(app, client, world):
    amara, thread, bo = world["amara"], world["thread"], world["bo"]
    response = client.post(
        "/account/delete", data={"password": PASSWORD, "understood": "y", "remove_writing": "y"}
    )
    assert response.status_code == 302
    # (Words of four letters or more: PostgreSQL's index keeps words; "compute" is also in Bo's reply.)
    assert traces_left(app, ["My opening post", "Thanks, let us work on it", "be shared fairly"]) == []
    assert traces_left(app, ["sharing in Nigeria"]) == []
    # The thread, Bo's reply and its place in it stay; the search no longer finds the removed words.
    page = app.test_client().get(f"/threads/{thread.id}").text.replace("&#39;", "'")
    assert page.count("Removed at the author's request") >= 3 and "I agree with" in page
    posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)).all()
    assert [p.author_id for p in posts] == [amara.id, bo.id, amara.id]
    assert all(p.state == "published" for p in posts)
    found = app.test_client().get("/search?q=compute").text
    assert "Removed at the author" in found and "Compute sharing in Nigeria" not in found
    [entry] = db.session.scalars(select(DataRequest).where(DataRequest.kind == "erasure")).all()
    assert entry.detail["writing_removed"] == {"posts": 2, "threads": 1, "questions": 1}
    assert entry.handled_by_id is None


def test_the_secretariat_processes_a_request_received_by_mail(app, world, admin):
    secretariat = app.test_client()
    Auth(secretariat).login(admin)
    form = {"email": "amara.okafor@example.org", "remove_writing": "y", "understood": "y"}
    unticked = secretariat.post("/admin/data-requests/erase", data={**form, "understood": ""})
    assert unticked.status_code == 422 and "Tick this box to confirm." in unticked.text
    unknown = secretariat.post("/admin/data-requests/erase", data={**form, "email": "nobody@example.org"})
    assert unknown.status_code == 422 and "No account has this email address." in unknown.text
    done = secretariat.post("/admin/data-requests/erase", data=form)
    assert done.status_code == 303
    assert traces_left(app, ["amara.okafor@example.org", "Amara Okafor", "My opening post"]) == []
    log = secretariat.get("/admin/data-requests").text
    assert "Account deleted, and what they wrote" in log and "Ada Admin" in log
    again = secretariat.post("/admin/data-requests/erase", data={**form, "email": world["amara"].email})
    assert again.status_code == 422 and "This account is already deleted." in again.text
    moderator = app.test_client()
    Auth(moderator).login(world["moderator"])
    assert moderator.post("/admin/data-requests/erase", data=form).status_code == 403
