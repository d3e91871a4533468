"""the dashboard's daily tally: counts by day, theme, group, region and language, filled from the rows

Three tables (forum.insights.models), indexes on the times of posts and votes for the days counted
live, and the tally filled by forum.insights.tally.recount on this migration's connection, so that the
dashboard reads it from the first request. Counting is optional: without its state row the figures are
counted from the rows at every read, and the worker's first round fills the tally.

Revision ID: c4d8e2f6a1b3
Revises: d4f8a2c6e1b7
Create Date: 2026-12-07 21:30:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

# revision identifiers, used by Alembic.
revision = "c4d8e2f6a1b3"
down_revision = "d4f8a2c6e1b7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "insight_tally",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "day", "theme_id", "dimension", "key"),
    )
    op.create_index("ix_insight_tally_theme_day", "insight_tally", ["theme_id", "day"], unique=False)
    op.create_table(
        "insight_tally_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "insight_tally_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counted_until", sa.Date(), nullable=False),
        sa.Column("regions", sa.String(length=64), nullable=False),
        sa.Column("counted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_post_created_at", "post", ["created_at"], unique=False)
    op.create_index("ix_question_vote_created_at", "question_vote", ["created_at"], unique=False)
    from forum.insights import tally

    session = Session(bind=op.get_bind())
    tally.recount(session)
    session.flush()


def downgrade():
    op.drop_index("ix_question_vote_created_at", table_name="question_vote")
    op.drop_index("ix_post_created_at", table_name="post")
    op.drop_table("insight_tally_state")
    op.drop_table("insight_tally_mark")
    op.drop_index("ix_insight_tally_theme_day", table_name="insight_tally")
    op.drop_table("insight_tally")
