"""Delivery: after the commit only, retried with backoff when SMTP is down, visible to the secretariat,
written to .eml files without a server, and never sent twice by concurrent drains."""

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bench.server import free_port
from forum.audit.models import AuditEntry
from forum.database import utcnow
from forum.mail import compose, digests, sender
from forum.mail.models import OutboxMessage
from tests.conftest import Auth


def rows(db):
    """Every outbox row, oldest first."""
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_an_unreachable_server_fails_no_action_and_the_mail_is_retried(
    app, client, db, smtp, participant, caplog
):
    app.config["MAIL_PORT"] = free_port()  # nobody listens there
    answer = client.post("/forgot-password", data={"email": participant.email})
    assert answer.status_code == 200
    with caplog.at_level(logging.WARNING, logger="forum.mail.sender"):
        assert sender.drain() == (0, 1)
    [row] = rows(db)
    assert row.state == "pending" and row.attempts == 1 and "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=50)
    assert "retry in 60 s" in caplog.text
    # Not due yet: nothing happens; once due and the server back, it is delivered.
    app.config["MAIL_PORT"] = smtp.port
    assert sender.drain() == (0, 0)
    assert sender.drain(now=utcnow() + timedelta(minutes=2)) == (1, 0)
    assert [m["To"] for m in smtp.messages] == [participant.email]
    db.session.refresh(row)
    assert row.state == "sent" and row.last_error is None


def test_after_the_last_attempt_the_secretariat_sees_it_and_retries(app, db, smtp, admin, participant):
    app.config.update(MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=2)
    compose.enqueue(participant, "reset", "confirm", "Subject for the secretariat", token="t")
    db.session.commit()
    sender.drain()
    sender.drain(now=utcnow() + timedelta(hours=1))
    [row] = rows(db)
    assert row.state == "failed" and row.attempts == 2
    client = app.test_client()
    Auth(client).login(admin)
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "Subject for the secretariat" in page and "ConnectionRefusedError" in page
    assert client.post(f"/admin/mail/{row.id}/retry").status_code == 303
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "mail.retry"))
    assert audit.actor_id == admin.id and audit.target_id == row.id
    app.config["MAIL_PORT"] = smtp.port
    assert sender.drain() == (1, 0)
    assert client.get("/admin/mail").get_data(as_text=True).count("Subject for the secretariat") == 0


def test_participants_may_not_see_the_outbox(client, auth, participant):
    auth.login(participant)
    assert client.get("/admin/mail").status_code == 403
    assert client.post("/admin/mail/1/retry").status_code == 403


def test_a_rolled_back_action_sends_nothing(db, smtp, participant):
    compose.enqueue(participant, "confirm", "confirm", "Never sent", token="t")
    db.session.rollback()
    assert sender.drain() == (0, 0)
    assert smtp.messages == [] and rows(db) == []


@pytest.mark.parametrize("config_overrides", [{"MAIL_SERVER": None}])
def test_without_a_server_mail_is_written_to_the_outbox_folder(app, db, tmp_path, participant, capsys):
    app.config["MAIL_OUTBOX_DIR"] = tmp_path / "outbox"
    compose.enqueue(participant, "confirm", "confirm", "Written to a file", token="abc")
    db.session.commit()
    assert sender.drain() == (1, 0)
    [eml] = list((tmp_path / "outbox").glob("*.eml"))
    assert eml.name.endswith(f"-{rows(db)[0].id}.eml")
    content = eml.read_text()
    assert "Subject: Written to a file" in content and "multipart/alternative" in content
    printed = capsys.readouterr().out
    assert "Written to a file" in printed and "/confirm-email/abc" in printed


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_concurrent_drains_never_send_a_mail_twice(app, db, smtp, make_user):
    users = [make_user() for _ in range(3)]
    for n in range(30):
        compose.enqueue(users[n % 3], "confirm", "confirm", f"Message {n}", token=str(n))
    db.session.commit()
    start = threading.Barrier(2)
    results = []

    def drain():
        with app.app_context():
            start.wait()
            results.append(sender.drain())
            db.session.remove()

    workers = [threading.Thread(target=drain) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    subjects = sorted(m["Subject"] for m in smtp.messages)
    assert subjects == sorted(f"Message {n}" for n in range(30))
    assert sum(sent for sent, _failed in results) == 30


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_concurrent_digest_runs_queue_one_digest(app, db, make_user, make_thread):
    from forum.notifications import services as notifications
    from forum.threads import services as threads

    follower = make_user()
    follower.email_confirmed_at = utcnow()
    db.session.commit()
    writer = make_user()
    thread = make_thread(author=writer)
    notifications.set_following(follower, thread=thread)
    threads.reply(writer, thread, "Something to digest.")
    start = threading.Barrier(2)

    def run():
        with app.app_context():
            start.wait()
            digests.send_due()
            db.session.remove()

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    count = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "digest")
    )
    assert count == 1
