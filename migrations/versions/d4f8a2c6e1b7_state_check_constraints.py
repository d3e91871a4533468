"""state check constraints: every state, status and role column holds only its enum's values

Revision ID: d4f8a2c6e1b7
Revises: c8e4a2f6b1d9
Create Date: 2026-12-08 10:00:00.000000

The values are a frozen copy of the enums (forum.states and the features' models) at this revision;
tests/core/test_migrations.py checks that migrating builds the constraints the models declare. No value
changes: the stored strings were these already. SQLite adds a constraint by rebuilding the table, which
drops its triggers: the search index's triggers on post and thread (a frozen copy of forum/search/schema.py)
are created again.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "d4f8a2c6e1b7"
down_revision = "c8e4a2f6b1d9"
branch_labels = None
depends_on = None

CHECKS = {
    "users": {
        "role": ("participant", "chair", "moderator", "admin"),
        "status": ("pending", "verified", "rejected"),
    },
    "identity_change": {"state": ("pending", "accepted", "declined", "withdrawn")},
    "thread": {"state": ("published", "pending", "rejected", "deleted")},
    "post": {"state": ("published", "pending", "hidden", "rejected", "deleted")},
    "agenda_session": {"qa_state": ("closed", "open", "archived")},
    "question": {"state": ("pending", "published", "dismissed", "merged")},
    "speaker_slot": {"state": ("requested", "approved", "rejected", "done")},
    "hub_contribution": {
        "state": ("draft", "submitted", "published", "returned", "rejected", "withdrawn"),
        "progress_status": ("not_reported", "on_track", "delayed", "completed"),
    },
    "hub_progress": {"status": ("on_track", "delayed", "completed")},
    "hub_join_request": {"state": ("pending", "accepted", "declined")},
    "takeaway": {"state": ("draft", "review", "published")},
    "review_item": {"state": ("open", "approved", "rejected")},
    "flag": {"outcome": ("upheld", "declined")},
    "mail_outbox": {"state": ("pending", "sending", "sent", "failed")},
    "webhook_delivery": {"state": ("pending", "sending", "delivered", "failed", "withdrawn")},
}

SQLITE_SEARCH_TRIGGERS = (
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
SQLITE_SEARCH_TRIGGER_NAMES = (
    "post_search_insert",
    "post_search_update",
    "post_search_delete",
    "post_search_thread",
)


def _name(table, column):
    """The constraint's name, as the models' naming convention makes it (forum.extensions.NAMING)."""
    return f"ck_{table}_{column}"


def _rebuilt(work):
    """Run `work`; on SQLite, put back what rebuilding the tables lost."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in SQLITE_SEARCH_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    work()
    if sqlite:
        for statement in SQLITE_SEARCH_TRIGGERS:
            op.execute(statement)


def upgrade():
    """Add a named CHECK constraint to every state column."""

    def add():
        for table, columns in CHECKS.items():
            with op.batch_alter_table(table) as batch_op:
                for column, values in columns.items():
                    listed = ", ".join(f"'{value}'" for value in values)
                    batch_op.create_check_constraint(op.f(_name(table, column)), f"{column} IN ({listed})")

    _rebuilt(add)


def downgrade():
    """Drop the constraints again."""

    def drop():
        for table, columns in reversed(CHECKS.items()):
            with op.batch_alter_table(table) as batch_op:
                for column in columns:
                    batch_op.drop_constraint(op.f(_name(table, column)), type_="check")

    _rebuilt(drop)
