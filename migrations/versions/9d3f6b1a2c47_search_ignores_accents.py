"""search ignores accents: FTS5 removes diacritics; PostgreSQL's forum_search configuration uses unaccent

Revision ID: 9d3f6b1a2c47
Revises: c8e4a2f6d9b1
Create Date: 2026-12-07 16:00:00.000000

The statements are a frozen copy of forum/search/schema.py at the time of this revision;
tests/search/test_index_schema.py checks that migrating and create_all() build the same objects.
Every post is indexed again, since its words change (accents removed).
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "9d3f6b1a2c47"
down_revision = "c8e4a2f6d9b1"
branch_labels = None
depends_on = None

# SQLite: FTS5 fixes its tokenizer when the table is created, so the table is built again.
SQLITE_TRIGGERS = (
    """CREATE TRIGGER post_search_insert AFTER INSERT ON post BEGIN
    INSERT INTO post_search (rowid, title, body) VALUES (NEW.id, '', NEW.body);
END""",
    """CREATE TRIGGER post_search_update AFTER UPDATE OF body ON post BEGIN
    UPDATE post_search SET body = NEW.body WHERE rowid = NEW.id;
END""",
    """CREATE TRIGGER post_search_delete AFTER DELETE ON post BEGIN
    DELETE FROM post_search WHERE rowid = OLD.id;
END""",
    """CREATE TRIGGER post_search_thread AFTER UPDATE OF title, first_post_id ON thread
WHEN NEW.title IS NOT OLD.title OR NEW.first_post_id IS NOT OLD.first_post_id BEGIN
    UPDATE post_search SET title = CASE WHEN rowid = NEW.first_post_id THEN NEW.title ELSE '' END
    WHERE rowid IN (OLD.first_post_id, NEW.first_post_id);
END""",
)
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE post_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics {}')"
)
SQLITE_BACKFILL = (
    "INSERT INTO post_search (rowid, title, body) "
    "SELECT post.id, CASE WHEN thread.first_post_id = post.id THEN thread.title ELSE '' END, post.body "
    "FROM post JOIN thread ON thread.id = post.thread_id"
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS post_search_thread",
    "DROP TRIGGER IF EXISTS post_search_delete",
    "DROP TRIGGER IF EXISTS post_search_update",
    "DROP TRIGGER IF EXISTS post_search_insert",
    "DROP TABLE IF EXISTS post_search",
)

POSTGRES_CONFIG = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION forum_search (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION forum_search "
    "ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple",
)
POSTGRES_DOCUMENT = """CREATE OR REPLACE FUNCTION post_search_document(title TEXT, body TEXT) RETURNS TSVECTOR
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('{config}', coalesce(title, '')), 'A')
        || setweight(to_tsvector('{config}', body), 'B')
$$"""
POSTGRES_REINDEX = (
    "UPDATE post_search SET document = post_search_document("
    "CASE WHEN thread.first_post_id = post.id THEN thread.title END, post.body) "
    "FROM post JOIN thread ON thread.id = post.thread_id WHERE post.id = post_search.post_id"
)


def _rebuild_sqlite(remove_diacritics):
    """Build the FTS5 table again with `remove_diacritics`, with its triggers, and index every post."""
    for statement in (*SQLITE_DROP, SQLITE_TABLE.format(remove_diacritics), *SQLITE_TRIGGERS, SQLITE_BACKFILL):
        op.execute(statement)


def upgrade():
    """Index words without their accents, and every existing post again."""
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(2)
        return
    for statement in (*POSTGRES_CONFIG, POSTGRES_DOCUMENT.format(config="forum_search"), POSTGRES_REINDEX):
        op.execute(statement)


def downgrade():
    """Index words with their accents again."""
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(0)
        return
    for statement in (POSTGRES_DOCUMENT.format(config="simple"), POSTGRES_REINDEX):
        op.execute(statement)
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS forum_search")
    op.execute("DROP EXTENSION IF EXISTS unaccent")
