"""The forum CLI: create-user and seed-demo."""

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.demo import USERS
from forum.threads.models import Thread


def test_create_user_reads_the_password_from_stdin(runner, db):
    result = runner.invoke(
        args=[
            "forum",
            "create-user",
            "chair@example.org",
            "--role",
            "chair",
            "--name",
            "Chair Person",
            "--group",
            "member_state",
            "--country",
            "ch",
            "--organisation",
            "OFCOM",
        ],
        input="a fine chair passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chair@example.org"))
    assert (user.role, user.status, user.country, user.name) == ("chair", "verified", "CH", "Chair Person")


def test_create_user_refuses_a_weak_password_and_stores_nothing(runner, db):
    result = runner.invoke(args=["forum", "create-user", "x@example.org"], input="password\n")
    assert result.exit_code != 0
    assert "too common" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_refuses_an_unknown_role(runner, db):
    result = runner.invoke(
        args=["forum", "create-user", "x@example.org", "--role", "king"], input="long passphrase\n"
    )
    assert result.exit_code != 0


def test_seed_demo_is_idempotent_and_prints_the_logins(runner, db):
    first = runner.invoke(args=["forum", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert "secretariat@demo.dialogue.int" in first.output
    counts = (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(Thread)),
    )
    second = runner.invoke(args=["forum", "seed-demo"])
    assert "(0 new records)" in second.output
    assert counts == (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(Thread)),
    )
    assert counts[0] == len(USERS)
    roles = {u.role for u in db.session.scalars(select(User))}
    assert roles == {"participant", "moderator", "chair", "admin"}


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner, db, participant):
    result = runner.invoke(args=["forum", "seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "demo data not loaded" in result.output
    assert "Demo sign-ins" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
