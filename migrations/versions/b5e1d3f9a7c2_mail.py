"""mail: the outbox, address confirmation and activity mail preferences

Revision ID: b5e1d3f9a7c2
Revises: a4c7e9b2d816
Create Date: 2026-11-29 06:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from forum.database import UTCDateTime

# revision identifiers, used by Alembic.
revision = "b5e1d3f9a7c2"
down_revision = "a4c7e9b2d816"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("email_confirmed_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("digest_mode", sa.String(length=10), nullable=False, server_default="daily")
        )
        batch_op.add_column(sa.Column("last_digest_at", UTCDateTime(), nullable=True))
    # Accounts made before confirmation existed had no way to confirm: they count as confirmed.
    op.execute("UPDATE users SET email_confirmed_at = created_at")
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("essential", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("unsubscribe_url", sa.String(length=500), nullable=True),
        sa.Column("coalesce_key", sa.String(length=60), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mail_outbox_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    with op.batch_alter_table("mail_outbox") as batch_op:
        batch_op.create_index("ix_mail_outbox_state_due", ["state", "next_attempt_at"])
        batch_op.create_index(batch_op.f("ix_mail_outbox_user_id"), ["user_id"])


def downgrade():
    with op.batch_alter_table("mail_outbox") as batch_op:
        batch_op.drop_index(batch_op.f("ix_mail_outbox_user_id"))
        batch_op.drop_index("ix_mail_outbox_state_due")
    op.drop_table("mail_outbox")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("last_digest_at")
        batch_op.drop_column("digest_mode")
        batch_op.drop_column("email_confirmed_at")
