"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, text

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
