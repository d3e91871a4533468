"""partnerships hub: contributions, deliverables, progress, join requests

Revision ID: e2b6d1f8c4a3
Revises: d1a5c0e7b3f2
Create Date: 2026-11-29 01:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

import forum.database

# revision identifiers, used by Alembic.
revision = "e2b6d1f8c4a3"
down_revision = "d1a5c0e7b3f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hub_contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submitter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("lead_organisation", sa.String(length=200), nullable=False),
        sa.Column("partners", sa.Text(), nullable=False),
        sa.Column("links", sa.Text(), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("state_reason", sa.Text(), nullable=True),
        sa.Column("progress_status", sa.String(length=14), nullable=False),
        sa.Column("claimed_by_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", forum.database.UTCDateTime(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", forum.database.UTCDateTime(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("created_at", forum.database.UTCDateTime(), nullable=False),
        sa.Column("submitted_at", forum.database.UTCDateTime(), nullable=True),
        sa.Column("published_at", forum.database.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claimed_by_id"],
            ["users.id"],
            name=op.f("fk_hub_contribution_claimed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_hub_contribution_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["submitter_id"], ["users.id"], name=op.f("fk_hub_contribution_submitter_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["thread.id"],
            name=op.f("fk_hub_contribution_thread_id_thread"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_contribution")),
    )
    with op.batch_alter_table("hub_contribution", schema=None) as batch_op:
        batch_op.create_index("ix_hub_contribution_state_published", ["state", "published_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_hub_contribution_submitter_id"), ["submitter_id"], unique=False)

    op.create_table(
        "hub_contribution_theme",
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["hub_contribution.id"],
            name=op.f("fk_hub_contribution_theme_contribution_id_hub_contribution"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_hub_contribution_theme_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contribution_id", "theme_id", name=op.f("pk_hub_contribution_theme")),
    )
    op.create_table(
        "hub_scope",
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("facet", sa.String(length=5), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["hub_contribution.id"],
            name=op.f("fk_hub_scope_contribution_id_hub_contribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contribution_id", "facet", "code", name=op.f("pk_hub_scope")),
    )
    with op.batch_alter_table("hub_scope", schema=None) as batch_op:
        batch_op.create_index("ix_hub_scope_facet_code", ["facet", "code"], unique=False)

    op.create_table(
        "hub_deliverable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["hub_contribution.id"],
            name=op.f("fk_hub_deliverable_contribution_id_hub_contribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_deliverable")),
    )
    with op.batch_alter_table("hub_deliverable", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hub_deliverable_contribution_id"), ["contribution_id"], unique=False
        )

    op.create_table(
        "hub_join_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", forum.database.UTCDateTime(), nullable=False),
        sa.Column("decided_at", forum.database.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["hub_contribution.id"],
            name=op.f("fk_hub_join_request_contribution_id_hub_contribution"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_hub_join_request_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_join_request")),
    )
    with op.batch_alter_table("hub_join_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hub_join_request_contribution_id"), ["contribution_id"], unique=False
        )

    op.create_table(
        "hub_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deliverable_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", forum.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_hub_progress_author_id_users")),
        sa.ForeignKeyConstraint(
            ["deliverable_id"],
            ["hub_deliverable.id"],
            name=op.f("fk_hub_progress_deliverable_id_hub_deliverable"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_progress")),
    )
    with op.batch_alter_table("hub_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_progress_deliverable_id"), ["deliverable_id"], unique=False)


def downgrade():
    with op.batch_alter_table("hub_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_progress_deliverable_id"))
    op.drop_table("hub_progress")
    with op.batch_alter_table("hub_join_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_join_request_contribution_id"))
    op.drop_table("hub_join_request")
    with op.batch_alter_table("hub_deliverable", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_deliverable_contribution_id"))
    op.drop_table("hub_deliverable")
    with op.batch_alter_table("hub_scope", schema=None) as batch_op:
        batch_op.drop_index("ix_hub_scope_facet_code")
    op.drop_table("hub_scope")
    op.drop_table("hub_contribution_theme")
    with op.batch_alter_table("hub_contribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_contribution_submitter_id"))
        batch_op.drop_index("ix_hub_contribution_state_published")
    op.drop_table("hub_contribution")
