"""personal data requests: the log of exports and deletions, deleted accounts, audit entries that erasure may redact

Revision ID: d2f6a9c4e8b1
Revises: c9e5f2a8b3d7
Create Date: 2026-12-10 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from forum.database import UTCDateTime

# revision identifiers, used by Alembic.
revision = "d2f6a9c4e8b1"
down_revision = "c9e5f2a8b3d7"
branch_labels = None
depends_on = None

# Frozen copies of forum.moderation.audit's triggers, before and after this revision.
LOCKED = "SELECT RAISE(ABORT, 'audit entries are append-only');"
SQLITE_BEFORE = f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry BEGIN
    {LOCKED}
END"""
SQLITE_AFTER = f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry WHEN NOT (NEW.id = OLD.id AND NEW.actor_id IS OLD.actor_id AND NEW.action = OLD.action AND NEW.target_type = OLD.target_type AND NEW.target_id IS OLD.target_id AND NEW.created_at = OLD.created_at AND substr(NEW.target_label, 1, 7) = 'erased:') BEGIN
    {LOCKED}
END"""
POSTGRES_BEFORE = """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END $$ LANGUAGE plpgsql"""
POSTGRES_AFTER = """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.action = OLD.action AND NEW.target_type = OLD.target_type
        AND NEW.target_id IS NOT DISTINCT FROM OLD.target_id AND NEW.created_at = OLD.created_at
        AND substr(NEW.target_label, 1, 7) = 'erased:' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only';
END $$ LANGUAGE plpgsql"""


def _triggers(sqlite, postgres):
    """Replace the audit table's update rule with the given one."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(postgres)
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        op.execute(sqlite)


def upgrade():
    op.create_table(
        "data_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_data_request_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_request")),
    )
    op.create_index(op.f("ix_data_request_user_id"), "data_request", ["user_id"])
    op.add_column("users", sa.Column("erased_at", UTCDateTime(), nullable=True))
    _triggers(SQLITE_AFTER, POSTGRES_AFTER)


def downgrade():
    _triggers(SQLITE_BEFORE, POSTGRES_BEFORE)
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("erased_at")
    op.drop_index(op.f("ix_data_request_user_id"), table_name="data_request")
    op.drop_table("data_request")
