"""The search index's database objects, created and dropped together with the post table.

Both databases keep the index in a table named post_search, one row per post (every state: the
query filters on the live state, so moderation needs no re-indexing), with the thread's title on the
row of its first post. SQLite: an FTS5 table. PostgreSQL: a tsvector table with a GIN index. Triggers
keep it in step with posts and thread titles, whoever writes them (services, CLI, SQL).

Both ignore case and accents ("ethique" finds "éthique" and the other way round): SQLite's tokenizer
removes diacritics, PostgreSQL's configuration forum_search passes words through the unaccent extension.
They differ at the edges: SQLite removes accents from Latin letters only, PostgreSQL's rules also turn
Russian ё into е and expand ligatures (œ to oe, ß to ss).

The Alembic migration carries a frozen copy of these statements; tests/search checks that both agree.
A SQLite batch migration that rebuilds post or thread drops that table's triggers: such a migration
must create them again (tests/search/test_index_schema.py fails until it does). So that the rebuild
itself succeeds, no SQLite trigger mentions a table other than its own and post_search.
"""

from alembic.autogenerate import comparators
from alembic.operations import ops
from alembic.util import DispatchPriority, PriorityDispatchResult
from sqlalchemy import DDL, event

from forum.threads.models import Post

INDEX_TABLE = "post_search"
# PostgreSQL's text search configuration: 'simple' (no stemming or stop words in any one language, since
# the forum is multilingual) with accents removed first.
SEARCH_CONFIG = "forum_search"
# The table plus the shadow tables FTS5 creates beside it.
INDEX_TABLES = {INDEX_TABLE} | {
    f"{INDEX_TABLE}_{part}" for part in ("config", "content", "data", "docsize", "idx")
}

SQLITE_CREATE = (
    # remove_diacritics 2, not 1: 1 keeps the accents of a letter that carries several.
    "CREATE VIRTUAL TABLE post_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')",
    # The title is left to post_search_thread, which fires when create_thread sets first_post_id.
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

SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS post_search_thread",
    "DROP TRIGGER IF EXISTS post_search_delete",
    "DROP TRIGGER IF EXISTS post_search_update",
    "DROP TRIGGER IF EXISTS post_search_insert",
    "DROP TABLE IF EXISTS post_search",
)

POSTGRES_CREATE = (
    # A trusted extension since PostgreSQL 13: the database's owner may create it, no superuser needed.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION forum_search (COPY = simple)",
    # ASCII words have no accent to remove; the other word types lose theirs before 'simple' lowercases.
    "ALTER TEXT SEARCH CONFIGURATION forum_search "
    "ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple",
    """CREATE TABLE post_search (
    post_id INTEGER PRIMARY KEY REFERENCES post (id) ON DELETE CASCADE,
    document TSVECTOR NOT NULL
)""",
    # fastupdate off: new entries go straight into the index, not into a pending list that every search
    # scans until a vacuum or a full list merges it, and that steers the planner off the index for common
    # words. Writing a post costs a little more; searches far outnumber posts.
    "CREATE INDEX ix_post_search_document ON post_search USING gin (document) WITH (fastupdate = off)",
    """CREATE FUNCTION post_search_document(title TEXT, body TEXT) RETURNS TSVECTOR
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('forum_search', coalesce(title, '')), 'A')
        || setweight(to_tsvector('forum_search', body), 'B')
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
    # A thread's first post is inserted before the thread learns its id, so the title arrives here.
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

POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS post_search_thread ON thread",
    "DROP TRIGGER IF EXISTS post_search_post ON post",
    "DROP TABLE IF EXISTS post_search",
    "DROP FUNCTION IF EXISTS post_search_index_thread()",
    "DROP FUNCTION IF EXISTS post_search_index_post()",
    "DROP FUNCTION IF EXISTS post_search_document(TEXT, TEXT)",
    # The extension stays: other objects of the database may use it.
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS forum_search",
)


def _listen():
    """Create the index right after the post table and drop it right before, each database its own way."""
    for dialect, create, drop in (
        ("sqlite", SQLITE_CREATE, SQLITE_DROP),
        ("postgresql", POSTGRES_CREATE, POSTGRES_DROP),
    ):
        for statement in create:
            event.listen(Post.__table__, "after_create", DDL(statement).execute_if(dialect=dialect))
        # Before, not after: PostgreSQL refuses to drop post while post_search references it.
        for statement in drop:
            event.listen(Post.__table__, "before_drop", DDL(statement).execute_if(dialect=dialect))


_listen()


@comparators.dispatch_for("schema", priority=DispatchPriority.LAST)
def _leave_index_to_this_module(autogen_context, upgrade_ops, schemas):
    """Autogenerate and compare_metadata skip the index tables: this module owns them, not the models."""
    upgrade_ops.ops[:] = [
        op
        for op in upgrade_ops.ops
        if not (isinstance(op, ops.DropTableOp | ops.ModifyTableOps) and op.table_name in INDEX_TABLES)
    ]
    return PriorityDispatchResult.CONTINUE
