"""search: full-text index of posts and thread titles (FTS5 on SQLite, tsvector + GIN on PostgreSQL)

Revision ID: f49ede876de5
Revises: 7e167d04bbf9
Create Date: 2026-11-29 10:00:00.000000

The statements are a frozen copy of forum/search/schema.py at the time of this revision;
tests/search/test_index_schema.py checks that migrating and create_all() build the same objects.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "f49ede876de5"
down_revision = "7e167d04bbf9"
branch_labels = None
depends_on = None

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE post_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')",
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

POSTGRES_CREATE = (
    """CREATE TABLE post_search (
    post_id INTEGER PRIMARY KEY REFERENCES post (id) ON DELETE CASCADE,
    document TSVECTOR NOT NULL
)""",
    "CREATE INDEX ix_post_search_document ON post_search USING gin (document) WITH (fastupdate = off)",
    """CREATE FUNCTION post_search_document(title TEXT, body TEXT) RETURNS TSVECTOR
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('simple', coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple', body), 'B')
$$""",
    """CREATE FUNCTION post_search_index_post() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO post_search (post_id, document) VALUES (
        NEW.id,
        post_search_document(
            (SELECT title FROM thread WHERE id = NEW.thread_id AND first_post_id = NEW.id), NEW.body))
    ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER post_search_post AFTER INSERT OR UPDATE OF body, thread_id ON post
FOR EACH ROW EXECUTE FUNCTION post_search_index_post()""",
    """CREATE FUNCTION post_search_index_thread() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    UPDATE post_search SET document = post_search_document(
        CASE WHEN post.id = NEW.first_post_id THEN NEW.title END, post.body)
    FROM post
    WHERE post.id = post_search.post_id AND post.id IN (OLD.first_post_id, NEW.first_post_id);
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER post_search_thread AFTER UPDATE OF title, first_post_id ON thread
FOR EACH ROW
WHEN (NEW.title IS DISTINCT FROM OLD.title OR NEW.first_post_id IS DISTINCT FROM OLD.first_post_id)
EXECUTE FUNCTION post_search_index_thread()""",
)
POSTGRES_BACKFILL = (
    "INSERT INTO post_search (post_id, document) "
    "SELECT post.id, post_search_document("
    "CASE WHEN thread.first_post_id = post.id THEN thread.title END, post.body) "
    "FROM post JOIN thread ON thread.id = post.thread_id"
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS post_search_thread ON thread",
    "DROP TRIGGER IF EXISTS post_search_post ON post",
    "DROP TABLE IF EXISTS post_search",
    "DROP FUNCTION IF EXISTS post_search_index_thread()",
    "DROP FUNCTION IF EXISTS post_search_index_post()",
    "DROP FUNCTION IF EXISTS post_search_document(TEXT, TEXT)",
)


def upgrade():
    """Create the index and its triggers, then index every existing post."""
    if op.get_bind().dialect.name == "sqlite":
        statements = (*SQLITE_CREATE, SQLITE_BACKFILL)
    else:
        # The triggers lock post and thread against writes until commit, so none slips past the backfill;
        # the GIN index is built once, after it, rather than row by row.
        table, index, *functions_and_triggers = POSTGRES_CREATE
        statements = (table, *functions_and_triggers, POSTGRES_BACKFILL, index)
    for statement in statements:
        op.execute(statement)


def downgrade():
    """Drop the index and its triggers."""
    for statement in SQLITE_DROP if op.get_bind().dialect.name == "sqlite" else POSTGRES_DROP:
        op.execute(statement)
