"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from forum.extensions import db


def test_migrations_match_the_models(app):
    db.drop_all()
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
    downgrade(revision="base")
    with db.engine.connect() as conn:
        assert db.inspect(conn).get_table_names() == ["alembic_version"]
    db.create_all()
