"""staff texts in six languages: themes' names and descriptions, sessions' titles and descriptions as JSON

Each becomes a JSON object of language codes to texts (forum.multilingual). A value written before this
revision had no language: it is kept, whole, as English, the Dialogue's working language and the one the
secretariat wrote in; an empty description becomes {}. The downgrade keeps the English text (else the
first language given, in the UN's order): the other languages are lost.

Revision ID: b3a7f1c9d5e2
Revises: e7b3c1d5f9a2
Create Date: 2026-12-07 18:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b3a7f1c9d5e2"
down_revision = "e7b3c1d5f9a2"
branch_labels = None
depends_on = None

# Frozen here: the tables, their texts and the old columns' types.
TEXTS = {
    "theme": {"name": sa.String(length=120), "description": sa.Text()},
    "agenda_session": {"title": sa.String(length=200), "description": sa.Text()},
}
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
MOVED_LANGUAGE = "en"


def _convert(table, types, convert):
    """Replace each column of `table` named in `types` ({name: (old type, new type)}) by one of its new type,
    its values passed through `convert` row by row (themes and sessions are a few dozen rows)."""
    with op.batch_alter_table(table) as batch_op:
        for column, (_old, new) in types.items():
            batch_op.add_column(sa.Column(f"{column}_new", new, nullable=True))
    rows = sa.table(
        table,
        sa.column("id", sa.Integer),
        *(sa.column(column, old) for column, (old, _new) in types.items()),
        *(sa.column(f"{column}_new", new) for column, (_old, new) in types.items()),
    )
    conn = op.get_bind()
    for row in conn.execute(sa.select(rows.c.id, *(rows.c[column] for column in types))).all():
        values = {f"{column}_new": convert(getattr(row, column)) for column in types}
        conn.execute(rows.update().where(rows.c.id == row.id).values(values))
    with op.batch_alter_table(table) as batch_op:
        for column, (_old, new) in types.items():
            batch_op.drop_column(column)
            batch_op.alter_column(f"{column}_new", new_column_name=column, existing_type=new, nullable=False)


def _to_texts(value):
    """A single-language value, unchanged, as the text of the language it was written in."""
    return {MOVED_LANGUAGE: value} if value and value.strip() else {}


def _to_string(texts):
    """Texts by language as one string: English, else the first language given."""
    texts = texts or {}
    for code in (MOVED_LANGUAGE, *LANGUAGES):
        if texts.get(code):
            return texts[code]
    return ""


def upgrade():
    for table, columns in TEXTS.items():
        _convert(table, {column: (old, sa.JSON()) for column, old in columns.items()}, _to_texts)


def downgrade():
    for table, columns in TEXTS.items():
        _convert(table, {column: (sa.JSON(), old) for column, old in columns.items()}, _to_string)
