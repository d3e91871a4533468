"""identity changes: requests to change a verified identity, and the identity each post and question was written under

Revision ID: c8e4a2f6d9b1
Revises: b5e1d3f9a7c2
Create Date: 2026-12-01 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from forum.database import UTCDateTime

# revision identifiers, used by Alembic.
revision = "c8e4a2f6d9b1"
down_revision = "b5e1d3f9a7c2"
branch_labels = None
depends_on = None

WRITTEN = ("post", "question")


def upgrade():
    op.create_table(
        "identity_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_group", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("previous_group", sa.String(length=40), nullable=False),
        sa.Column("previous_country", sa.String(length=2), nullable=True),
        sa.Column("previous_organisation", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_identity_change_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_identity_change_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_change")),
    )
    op.create_index(op.f("ix_identity_change_user_id"), "identity_change", ["user_id"])
    op.create_index(op.f("ix_identity_change_state"), "identity_change", ["state"])
    # Plain ALTER TABLE, not a batch: rebuilding post on SQLite would drop its search triggers. A NOT NULL
    # column needs a default there; PostgreSQL drops it after the backfill, SQLite keeps it (removing it
    # would mean that rebuild), and the application always sets the column.
    for table in WRITTEN:
        op.add_column(table, sa.Column("written_group", sa.String(length=40), nullable=False, server_default=""))
        op.add_column(table, sa.Column("written_country", sa.String(length=2), nullable=True))
        # What was written before this revision is labelled with its author's identity of today: the best
        # record there is.
        op.execute(
            f"UPDATE {table} SET "
            f"written_group = (SELECT stakeholder_group FROM users WHERE users.id = {table}.author_id), "
            f"written_country = (SELECT country FROM users WHERE users.id = {table}.author_id)"
        )
        if op.get_bind().dialect.name != "sqlite":
            op.alter_column(table, "written_group", server_default=None)


def downgrade():
    for table in reversed(WRITTEN):
        op.drop_column(table, "written_country")
        op.drop_column(table, "written_group")
    op.drop_index(op.f("ix_identity_change_state"), table_name="identity_change")
    op.drop_index(op.f("ix_identity_change_user_id"), table_name="identity_change")
    op.drop_table("identity_change")
