"""security keys (WebAuthn) and their challenges; who processed a personal data request

Revision ID: b8e4f2a6c1d9
Revises: d2f6a9c4e8b1
Create Date: 2026-12-07 18:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

from forum.database import UTCDateTime

# revision identifiers, used by Alembic.
revision = "b8e4f2a6c1d9"
down_revision = "d2f6a9c4e8b1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "webauthn_credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.LargeBinary(length=1023), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("transports", sa.String(length=100), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_webauthn_credential_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webauthn_credential")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_webauthn_credential_credential_id")),
    )
    op.create_index(op.f("ix_webauthn_credential_user_id"), "webauthn_credential", ["user_id"])
    op.create_table(
        "webauthn_challenge",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_webauthn_challenge_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_webauthn_challenge")),
    )
    op.create_index(op.f("ix_webauthn_challenge_user_id"), "webauthn_challenge", ["user_id"])
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handled_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_data_request_handled_by_id_users"),
            "users",
            ["handled_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_data_request_handled_by_id_users"), type_="foreignkey")
        batch_op.drop_column("handled_by_id")
    op.drop_index(op.f("ix_webauthn_challenge_user_id"), table_name="webauthn_challenge")
    op.drop_table("webauthn_challenge")
    op.drop_index(op.f("ix_webauthn_credential_user_id"), table_name="webauthn_credential")
    op.drop_table("webauthn_credential")
