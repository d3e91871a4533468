"""Upgrades started together on an empty database: one migrates, the others wait, all succeed.

`make serve` started together is tested on a built release in test_deploy_release.py.
"""

import subprocess

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from bench.server import BIN
from forum import create_app
from forum.extensions import db
from tests.conftest import make_config
from tests.deploy.conftest import ROOT, production_env

pytestmark = pytest.mark.postgres
PROCESSES = 3


def schema_problems(database_url):
    """What the migrated database lacks or has beyond the models (empty when complete), and its versions."""
    create_app(make_config())  # imports every model into db.metadata
    engine = create_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        versions = conn.scalars(text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    return diff, versions


def test_upgrades_started_together_on_an_empty_database_all_succeed(tmp_path, shared_postgres_database):
    """Three `flask db upgrade` at once: each exits 0 and the schema is the models' one, at one version."""
    env = production_env(tmp_path, shared_postgres_database, "")
    command = [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"]
    upgrades = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(PROCESSES)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in upgrades]
    assert [process.returncode for process in upgrades] == [0] * PROCESSES, "\n".join(outputs)
    diff, versions = schema_problems(shared_postgres_database)
    assert diff == []
    assert len(versions) == 1
