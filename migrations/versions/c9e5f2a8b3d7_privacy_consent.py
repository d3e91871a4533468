"""privacy consent: each acceptance of a version of the privacy notice, and the last one on the user

Revision ID: c9e5f2a8b3d7
Revises: b8d4e1f7a2c6
Create Date: 2026-12-10 11:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from forum.database import UTCDateTime

# revision identifiers, used by Alembic.
revision = "c9e5f2a8b3d7"
down_revision = "b8d4e1f7a2c6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "privacy_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("context", sa.String(length=20), nullable=False),
        sa.Column("given_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_privacy_consent_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_consent")),
    )
    op.create_index(op.f("ix_privacy_consent_user_id"), "privacy_consent", ["user_id"])
    # Plain ALTER TABLE (a nullable column): existing users have accepted no version yet and are asked.
    op.add_column("users", sa.Column("privacy_version", sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("privacy_version")
    op.drop_index(op.f("ix_privacy_consent_user_id"), table_name="privacy_consent")
    op.drop_table("privacy_consent")
