"""`flask forum purge`: sent mail and session records past their retention go; the rest stays."""

from datetime import timedelta

from sqlalchemy import select

from forum.accounts.security_models import UserSession
from forum.database import utcnow
from forum.extensions import db
from forum.mail.models import OutboxMessage
from forum.privacy import retention


def mail(user, state, days_ago, app):
    """An outbox row created `days_ago`, and its .eml file when it was sent."""
    row = OutboxMessage(
        user_id=user.id, to_address=user.email, kind="confirm", language="en", subject="Hello",
        text_body="x", html_body="x", state=state, created_at=utcnow() - timedelta(days=days_ago),
    )  # fmt: skip
    db.session.add(row)
    db.session.commit()
    folder = app.config["MAIL_OUTBOX_DIR"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"20260101T000000-{row.id}.eml"
    path.write_text("To: someone")
    return row.id, path


def login(user, days_ago, key):
    """A session row last used `days_ago`."""
    moment = utcnow() - timedelta(days=days_ago)
    db.session.add(
        UserSession(id=key, user_id=user.id, created_at=moment, last_seen_at=moment, ip="192.0.2.1")
    )
    db.session.commit()


def test_purge_deletes_only_what_is_past_its_retention(app, runner, participant, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = tmp_path / "outbox"
    old_sent, old_file = mail(participant, "sent", 31, app)
    old_failed, _failed_file = mail(participant, "failed", 40, app)
    recent, recent_file = mail(participant, "sent", 29, app)
    waiting, _waiting_file = mail(participant, "pending", 60, app)
    login(participant, 91, "old")
    login(participant, 89, "recent")
    result = runner.invoke(args=["forum", "purge"])
    assert result.exit_code == 0 and "Purged: 2 mails, 1 session records." in result.output
    left = set(db.session.scalars(select(OutboxMessage.id)))
    assert left == {recent, waiting} and old_sent not in left and old_failed not in left
    assert not old_file.exists() and recent_file.exists()
    assert set(db.session.scalars(select(UserSession.id))) == {"recent"}


def test_the_retention_comes_from_the_configuration(app, participant):
    app.config["RETENTION_SESSION_DAYS"] = 7
    login(participant, 8, "week-old")
    login(participant, 6, "days-old")
    assert retention.purge() == {"mail": 0, "sessions": 1}
    assert retention.purge(now=utcnow() + timedelta(days=2)) == {"mail": 0, "sessions": 1}
