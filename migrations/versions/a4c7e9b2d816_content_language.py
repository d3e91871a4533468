"""content language: the language each post, thread and question was written in

Revision ID: a4c7e9b2d816
Revises: e2b6d1f8c4a3
Create Date: 2026-11-29 04:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a4c7e9b2d816"
down_revision = "e2b6d1f8c4a3"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("thread", "post", "question"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
            batch_op.create_index(f"ix_{table}_language", ["language"])


def downgrade():
    for table in ("question", "post", "thread"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f"ix_{table}_language")
            batch_op.drop_column("language")
