"""live Q&A: questions, votes, speakers' list, agenda details

Revision ID: d1a5c0e7b3f2
Revises: ce920c2c3c63
Create Date: 2026-11-29 01:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

import forum.database

# revision identifiers, used by Alembic.
revision = "d1a5c0e7b3f2"
down_revision = "ce920c2c3c63"
branch_labels = None
depends_on = None


def _link(name, column, target):
    """A session-to-something association table."""
    op.create_table(
        name,
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["agenda_session.id"],
            name=op.f(f"fk_{name}_session_id_agenda_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            [column], [f"{target}.id"], name=op.f(f"fk_{name}_{column}_{target}"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("session_id", column, name=op.f(f"pk_{name}")),
    )


def upgrade():
    with op.batch_alter_table("agenda_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("speakers", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("qa_state", sa.String(length=10), server_default="closed", nullable=False)
        )
        batch_op.add_column(
            sa.Column("moderation_mode", sa.String(length=4), server_default="post", nullable=False)
        )
        batch_op.add_column(sa.Column("highlighted_question_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("speaker_deadline", forum.database.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("current_slot_id", sa.Integer(), nullable=True))

    _link("session_chair", "user_id", "users")
    _link("session_theme", "theme_id", "theme")
    _link("session_thread", "thread_id", "thread")

    op.create_table(
        "question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=300), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("vote_count", sa.Integer(), nullable=False),
        sa.Column("created_at", forum.database.UTCDateTime(), nullable=False),
        sa.Column("answered_at", forum.database.UTCDateTime(), nullable=True),
        sa.Column("edited_at", forum.database.UTCDateTime(), nullable=True),
        sa.Column("edited_by_id", sa.Integer(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_question_author_id_users")),
        sa.ForeignKeyConstraint(
            ["edited_by_id"], ["users.id"], name=op.f("fk_question_edited_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["question.id"],
            name=op.f("fk_question_merged_into_id_question"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["agenda_session.id"],
            name=op.f("fk_question_session_id_agenda_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question")),
    )
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_author_id"), ["author_id"], unique=False)
        batch_op.create_index("ix_question_session_state", ["session_id", "state"], unique=False)

    op.create_table(
        "question_vote",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", forum.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_question_vote_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_question_vote_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("question_id", "user_id", name=op.f("pk_question_vote")),
    )

    op.create_table(
        "speaker_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", forum.database.UTCDateTime(), nullable=False),
        sa.Column("started_at", forum.database.UTCDateTime(), nullable=True),
        sa.Column("ended_at", forum.database.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["agenda_session.id"],
            name=op.f("fk_speaker_slot_session_id_agenda_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_speaker_slot_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_slot")),
    )
    with op.batch_alter_table("speaker_slot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_speaker_slot_session_id"), ["session_id"], unique=False)


def downgrade():
    with op.batch_alter_table("speaker_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_speaker_slot_session_id"))
    op.drop_table("speaker_slot")
    op.drop_table("question_vote")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_session_state")
        batch_op.drop_index(batch_op.f("ix_question_author_id"))
    op.drop_table("question")
    op.drop_table("session_thread")
    op.drop_table("session_theme")
    op.drop_table("session_chair")
    with op.batch_alter_table("agenda_session", schema=None) as batch_op:
        batch_op.drop_column("current_slot_id")
        batch_op.drop_column("speaker_deadline")
        batch_op.drop_column("highlighted_question_id")
        batch_op.drop_column("moderation_mode")
        batch_op.drop_column("qa_state")
        batch_op.drop_column("speakers")
