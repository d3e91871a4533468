"""The backup and restore drill of docs/deploy.md, run as written (issue 25, item 11).

The commands are taken from the docs, with the test's folders, databases and roles in place of the
machine's: the dump is readable by its owner only, a role that does not own the dumped objects restores
it without an error (--no-owner), and the drill runs under its own name, secret and mail outbox next to
production on the same Redis.
"""

import os
import re
import secrets
import subprocess
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.server import wait_until_up
from tests.conftest import PG_ADMIN_URL
from tests.deploy.conftest import ROOT, THREAD, prepare, server
from tests.deploy.processes import make_serve
from tests.deploy.test_deploy_documented import DOCS, ENV_EXAMPLE, read_env_file

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(600)]
CHANGED = {
    "FORUM_DEPLOYMENT",
    "DATABASE_URL",
    "MAIL_SERVER",
    "MAIL_OUTBOX_DIR",
    "FORUM_PROCESSES",
    "SECRET_KEY",
}


def docs_block(containing):
    """The lines of the ```sh block of docs/deploy.md that contains `containing`."""
    blocks = re.findall(r"```sh\n(.*?)```", DOCS.read_text(), re.S)
    return next(block for block in blocks if containing in block).strip().splitlines()


def sh(script, env):
    """Run documented shell lines in one shell; fails the test with their output when one fails."""
    done = subprocess.run(
        ["sh", "-ec", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{script}\n{done.stdout}{done.stderr}"
    return done


@contextmanager
def drill_role():
    """A login role of the drill's own, allowed to create databases; dropped with its databases after."""
    name = f"forum_drill_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{name}" LOGIN CREATEDB'))
    try:
        yield name
    finally:
        with admin.connect() as conn:
            owned = "SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE rolname = :r"
            for database in conn.scalars(text(owned), {"r": name}):
                conn.execute(text(f'DROP DATABASE "{database}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE "{name}"'))
        admin.dispose()


def test_the_documented_backup_and_restore_drill(release, tmp_path, shared_postgres_database, own_redis):
    # Production, from the example file with its secret filled in, on the test's database and Redis.
    prod_file = tmp_path / "forum.env"
    lines = ENV_EXAMPLE.read_text().replace("SECRET_KEY=\n", f"SECRET_KEY={secrets.token_urlsafe(48)}\n")
    lines = re.sub(r"(?m)^DATABASE_URL=.*$", f"DATABASE_URL={shared_postgres_database}", lines)
    prod_file.write_text(re.sub(r"(?m)^REDIS_URL=.*$", f"REDIS_URL={own_redis.url}", lines))
    base_env = {key: value for key, value in os.environ.items() if not key.startswith(("MAIL_", "FORUM_"))}
    base_env.update(PYTHONUNBUFFERED="1")
    prod_env = {**base_env, **read_env_file(prod_file), "FORUM_INSTANCE_PATH": str(tmp_path)}
    prepare(prod_env)

    # The nightly dump, as written.
    (tmp_path / "backup").mkdir()
    nightly = "\n".join(docs_block("pg_dump"))
    sh(nightly.replace("/etc/forum.env", str(prod_file)).replace("/backup/", f"{tmp_path}/backup/"), base_env)
    (dump,) = (tmp_path / "backup").glob("forum-*.dump")
    assert oct(dump.stat().st_mode & 0o777) == "0o600"

    with drill_role() as role:
        database = f"forum_restore_{uuid.uuid4().hex[:8]}"
        url = (
            make_url(PG_ADMIN_URL).set(username=role, database=database).render_as_string(hide_password=False)
        )
        pg = make_url(PG_ADMIN_URL)
        # The drill's tools connect as its own role, which owns nothing of what was dumped.
        tools_env = {**base_env, "PGHOST": pg.host, "PGPORT": str(pg.port or 5432), "PGUSER": role}
        replacements = {
            "postgresql+psycopg:///forum_restore": "{drill_url}",
            "forum_restore": database,
            "/backup/forum-2026-07-01.dump": str(dump),
            "/etc/forum-restore.env": str(tmp_path / "forum-restore.env"),
            "/etc/forum.env": str(prod_file),
            "/var/lib/forum/restore-mail": str(tmp_path / "restore-mail"),
            "sudo ": "",
        }
        block = docs_block("pg_restore")
        assert block[-2:] == [
            "set -a; . /etc/forum-restore.env; set +a",
            "make serve RELEASE=releases/current HOST=127.0.0.1 PORT=8009",
        ]
        script = "\n".join(block[:-2])
        for documented, tested in replacements.items():
            script = script.replace(documented, tested)
        sh(script.replace("{drill_url}", url), tools_env)

        # The drill's environment: production's, but for its name, database, mail, process count and secret.
        prod, drill = read_env_file(prod_file), read_env_file(tmp_path / "forum-restore.env")
        assert oct((tmp_path / "forum-restore.env").stat().st_mode & 0o777) == "0o600"
        assert {k: v for k, v in drill.items() if k not in CHANGED} == {
            k: v for k, v in prod.items() if k not in CHANGED
        }
        assert drill["FORUM_DEPLOYMENT"] == "dialogue-restore" and "MAIL_SERVER" not in drill
        assert drill["MAIL_OUTBOX_DIR"] == str(tmp_path / "restore-mail") and drill["FORUM_PROCESSES"] == "1"
        assert drill["SECRET_KEY"] != prod["SECRET_KEY"] and len(drill["SECRET_KEY"]) >= 64

        # Production and the drill serve side by side on one Redis, each its own data.
        drill_env = {**base_env, **drill, "FORUM_INSTANCE_PATH": str(tmp_path / "drill")}
        (tmp_path / "drill").mkdir()
        with (
            server(prod_env, tmp_path / "prod.log") as prod_base,
            make_serve(drill_env, tmp_path / "drill.log", f"RELEASE={release}") as (process, drill_base, _),
        ):
            try:
                wait_until_up(f"{drill_base}/healthz", process, seconds=180)
            except RuntimeError as error:
                pytest.fail(f"{error}\n{(tmp_path / 'drill.log').read_text()[-3000:]}")
            for base in (prod_base, drill_base):
                page = subprocess.run(["curl", "-fsS", f"{base}/threads"], capture_output=True, text=True)
                assert THREAD in page.stdout, base
