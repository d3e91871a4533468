"""session place of sign-in: the country (or "local") of the address a session signed in from

Sessions opened before this revision have no place: their page shows "Unknown place" until they sign in
again (the country is found at sign-in, from DB-IP's data, which a migration does not read).

Revision ID: c8e4a2f6b1d9
Revises: b3a7f1c9d5e2
Create Date: 2026-12-07 21:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c8e4a2f6b1d9"
down_revision = "b3a7f1c9d5e2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_session") as batch_op:
        batch_op.add_column(sa.Column("place", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("user_session") as batch_op:
        batch_op.drop_column("place")
