"""The search index's migration builds what create_all() builds, and indexes the posts that already exist."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from forum.search import services
from forum.threads.models import Thread

BEFORE_SEARCH = "7e167d04bbf9"

SQLITE_OBJECTS = (
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name LIKE 'post_search%' ORDER BY name"
)
POSTGRES_OBJECTS = (
    "SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname LIKE 'post_search%'",
    "SELECT 'function', proname, pg_get_functiondef(oid) FROM pg_proc WHERE proname LIKE 'post_search%'",
    "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE tablename = 'post_search'",
    "SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE conrelid = 'post_search'::regclass",
    "SELECT 'column', column_name, data_type || ' ' || is_nullable FROM information_schema.columns "
    "WHERE table_name = 'post_search'",
)


def search_objects(db):
    """Every database object of the search index, with its definition as the database reports it."""
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            return {tuple(row) for row in conn.execute(text(SQLITE_OBJECTS))}
        if conn.scalar(text("SELECT to_regclass('post_search')")) is None:
            return set()
        return {tuple(row) for query in POSTGRES_OBJECTS for row in conn.execute(text(query))}


# Rows as they were before the search index, written in SQL: the models have moved on since.
OLD_ROWS = (
    "INSERT INTO users (id, email, name, handle, password_hash, role, status, stakeholder_group,"
    " organisation, session_token, created_at) VALUES (1, 'old@example.org', 'Old Author', 'old',"
    " 'x', 'participant', 'verified', 'academia', 'University', 't', '2026-06-01 10:00:00')",
    "INSERT INTO theme (id, slug, name, description, position) VALUES (1, 'ports', 'Ports', '', 0)",
    "INSERT INTO thread (id, theme_id, author_id, title, kind, attribution, state, locked, pinned,"
    " created_at, last_activity_at, reply_count, first_post_id, last_post_id) VALUES (1, 1, 1,"
    " 'Harbour pilots', 'discussion', 'record', 'published', false, false, '2026-06-01 10:00:00',"
    " '2026-06-01 10:00:00', 1, 1, 2)",
    "INSERT INTO post (id, thread_id, author_id, body, body_html, state, created_at, endorsement_count)"
    " VALUES (1, 1, 1, 'Existing body about lagoons near Genève.', '<p>x</p>', 'published',"
    " '2026-06-01 10:00:00', 0)",
    "INSERT INTO post (id, thread_id, author_id, body, body_html, state, created_at, endorsement_count)"
    " VALUES (2, 1, 1, 'Existing reply about estuaries.', '<p>x</p>', 'published',"
    " '2026-06-01 10:00:00', 0)",
)


def test_migration_matches_create_all_and_indexes_existing_posts(db, make_user, make_post):
    built = search_objects(db)
    assert len(built) >= 5
    db.session.remove()
    db.drop_all()
    assert search_objects(db) == set()
    upgrade(revision=BEFORE_SEARCH)
    with db.engine.begin() as conn:
        for statement in OLD_ROWS:
            conn.execute(text(statement))
        if db.engine.dialect.name == "postgresql":
            for table in ("users", "theme", "thread", "post"):
                sequence = f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"  # noqa: S608
                conn.execute(text(sequence))
    first_post_id, reply_id = 1, 2

    upgrade()
    reader = make_user()
    thread = db.session.get(Thread, 1)
    # A SQLite batch migration that rebuilds post or thread drops their triggers; it must recreate them.
    assert search_objects(db) == built, "the migrations leave the search index unlike create_all()"
    assert [h.post.id for h in services.search(reader, "harbour").hits] == [first_post_id]
    assert [h.post.id for h in services.search(reader, "lagoons").hits] == [first_post_id]
    # Indexed again without accents (9d3f6b1a2c47): the stored post is found with or without them.
    assert [h.post.id for h in services.search(reader, "geneve").hits] == [first_post_id]
    assert [h.post.id for h in services.search(reader, "estuaries").hits] == [reply_id]
    later = make_post(thread, body="New reply about estuaries.")
    assert {h.post.id for h in services.search(reader, "estuaries").hits} == {reply_id, later.id}
    db.session.remove()

    downgrade(revision=BEFORE_SEARCH)
    assert search_objects(db) == set()
    downgrade(revision="base")
    db.create_all()
    assert search_objects(db) == built


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_gin_index_keeps_no_pending_list(db):
    # A pending list is scanned by every search until a vacuum merges it, and steers plans off the index.
    query = text("SELECT reloptions FROM pg_class WHERE relname = 'ix_post_search_document'")
    with db.engine.connect() as conn:
        assert conn.scalar(query) == ["fastupdate=off"]
