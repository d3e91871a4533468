"""key takeaways of the themes and their citations

Revision ID: b7d3e9f1a2c5
Revises: b8e4f2a6c1d9
Create Date: 2026-12-07 18:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from forum.database import UTCDateTime

# revision identifiers, used by Alembic.
revision = "b7d3e9f1a2c5"
down_revision = "b8e4f2a6c1d9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "takeaway",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_takeaway_author_id_users")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["agenda_session.id"],
            name=op.f("fk_takeaway_session_id_agenda_session"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["theme.id"], name=op.f("fk_takeaway_theme_id_theme"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takeaway")),
    )
    op.create_index("ix_takeaway_theme_state", "takeaway", ["theme_id", "state"])
    op.create_table(
        "takeaway_citation",
        sa.Column("takeaway_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["takeaway_id"],
            ["takeaway.id"],
            name=op.f("fk_takeaway_citation_takeaway_id_takeaway"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("takeaway_id", "kind", "target_id", name=op.f("pk_takeaway_citation")),
    )


def downgrade():
    op.drop_table("takeaway_citation")
    op.drop_index("ix_takeaway_theme_state", table_name="takeaway")
    op.drop_table("takeaway")
