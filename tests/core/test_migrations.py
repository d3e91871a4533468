"""The Alembic migrations build exactly the schema the models describe, on both databases."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import CheckConstraint, MetaData, text
from sqlalchemy.exc import IntegrityError

from forum.database import utcnow
from forum.extensions import db


def test_migrations_match_the_models(app):
    db.drop_all()
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
    downgrade(revision="base")
    with db.engine.connect() as conn:
        assert db.inspect(conn).get_table_names() == ["alembic_version"]
    db.create_all()


def check_constraints(conn):
    """{(table, name): condition} of every CHECK constraint the database holds, as it reports them."""
    inspector = db.inspect(conn)
    return {
        (table, check["name"]): " ".join(check["sqltext"].split())
        for table in inspector.get_table_names()
        for check in inspector.get_check_constraints(table)
    }


def test_migrations_build_the_check_constraints_the_models_declare(app):
    # Alembic's comparison leaves CHECK constraints out: the database's own account of them is compared.
    declared = {
        (table.name, constraint.name)
        for table in db.metadata.tables.values()
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
    }
    with db.engine.connect() as conn:
        created = check_constraints(conn)
    assert set(created) == declared
    assert len(declared) == 18  # 17 state, status and role columns, and a follow's one target
    db.drop_all()
    upgrade()
    with db.engine.connect() as conn:
        migrated = check_constraints(conn)
    downgrade(revision="b3a7f1c9d5e2")
    with db.engine.connect() as conn:
        before = check_constraints(conn)
    downgrade(revision="base")
    db.create_all()
    assert migrated == created
    assert set(before) == {("follow", "ck_follow_one_target")}


@pytest.mark.parametrize(
    ("statement", "constraint"),
    [
        ("UPDATE post SET state = 'removed'", "ck_post_state"),
        ("UPDATE thread SET state = 'hidden'", "ck_thread_state"),
        ("UPDATE users SET role = 'root'", "ck_users_role"),
        ("UPDATE users SET status = 'Verified'", "ck_users_status"),
    ],
)
def test_the_database_refuses_a_state_outside_the_enum(db, make_thread, statement, constraint):
    make_thread()
    with pytest.raises(IntegrityError, match=constraint), db.engine.begin() as conn:
        conn.execute(text(statement))


def test_the_database_refuses_a_new_row_in_an_unknown_state(db, make_thread):
    thread = make_thread()
    insert = text(
        "INSERT INTO post (thread_id, author_id, body, body_html, state, created_at, endorsement_count,"
        " written_group) VALUES (:thread, :author, 'B', '<p>B</p>', :state, :now, 0, 'academia')"
    )
    values = {"thread": thread.id, "author": thread.author_id, "now": utcnow()}
    with pytest.raises(IntegrityError, match="ck_post_state"), db.engine.begin() as conn:
        conn.execute(insert, {**values, "state": "archived"})
    with db.engine.begin() as conn:
        conn.execute(insert, {**values, "state": "hidden"})


def test_the_identity_revision_records_who_wrote_what_before_it(app):
    """Posts and questions written before c8e4a2f6d9b1 get their author's stakeholder group and country."""
    db.drop_all()
    upgrade(revision="b5e1d3f9a7c2")
    now = utcnow()
    tables = MetaData()
    with db.engine.begin() as conn:
        tables.reflect(conn)
        rows = {
            "users": [
                {"id": n, "email": f"u{n}@example.org", "name": f"User {n}", "handle": f"user{n}"}
                | {
                    "password_hash": "x",
                    "role": "participant",
                    "status": "verified",
                    "session_token": f"t{n}",
                }
                | {"stakeholder_group": group, "country": country, "organisation": "Org", "created_at": now}
                for n, group, country in ((1, "member_state", "KE"), (2, "civil_society", None))
            ],
            "theme": [{"id": 1, "slug": "ethics", "name": "Ethics", "description": "", "position": 1}],
            "thread": [
                {"id": 1, "theme_id": 1, "author_id": 1, "title": "T", "kind": "discussion"}
                | {"attribution": "chatham", "state": "published", "locked": False, "pinned": False}
                | {"created_at": now, "last_activity_at": now, "reply_count": 1}
            ],
            "post": [
                {"id": n, "thread_id": 1, "author_id": n, "body": "B", "body_html": "<p>B</p>"}
                | {"state": "published", "created_at": now, "endorsement_count": 0}
                for n in (1, 2)
            ],
            "agenda_session": [
                {"id": 1, "slug": "opening", "title": "Opening", "description": "", "room": "Hall A"}
                | {"starts_at": now, "ends_at": now}
            ],
            "question": [
                {
                    "id": 1,
                    "session_id": 1,
                    "author_id": 2,
                    "body": "Q?",
                    "anonymous": True,
                    "state": "published",
                }
                | {"vote_count": 0, "created_at": now}
            ],
        }
        for name, values in rows.items():
            conn.execute(tables.tables[name].insert(), values)
    upgrade(revision="c8e4a2f6d9b1")
    with db.engine.connect() as conn:
        posts = conn.execute(text("SELECT id, written_group, written_country FROM post ORDER BY id")).all()
        questions = conn.execute(text("SELECT written_group, written_country FROM question")).all()
    assert [tuple(row) for row in posts] == [(1, "member_state", "KE"), (2, "civil_society", None)]
    assert [tuple(row) for row in questions] == [("civil_society", None)]
    downgrade(revision="base")
    db.create_all()
