"""Building a release apart from starting it (issue 25, item 4).

`make release` builds the code, a virtualenv without the dev extras, content-hashed assets and the
IP-to-country data into a folder; `make serve` starts it and installs, builds and downloads nothing, so
two started together on an empty database do not race (one migrates under the advisory lock while the
other waits).
"""

import json
import re
import subprocess
from contextlib import ExitStack

import pytest
import requests

from bench.server import wait_until_up
from tests.deploy.conftest import ROOT, production_env
from tests.deploy.processes import make_serve
from tests.deploy.test_deploy_startup import schema_problems

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(600)]
HASHED_STYLE = re.compile(r'href="/static/(css/forum\.[0-9a-f]{12}\.css)"')


def snapshot(folder):
    """Every file under `folder` with its size and modification time."""
    return {
        path.relative_to(folder): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    }


def test_a_release_has_its_dependencies_without_dev_extras_and_hashed_assets(release):
    python = release / "venv" / "bin" / "python"
    for missing in ("pytest", "playwright", "ruff", "hypothesis"):
        found = subprocess.run([python, "-c", f"import {missing}"], capture_output=True)
        assert found.returncode != 0, f"{missing} is in the release's virtualenv"
    for present in ("flask", "gunicorn", "gevent", "psycopg"):
        assert subprocess.run([python, "-c", f"import {present}"]).returncode == 0, present
    manifest = json.loads((release / "assets.json").read_text())
    for name in ("js/live.js", "vendor/socket.io.min.js", "css/forum.css"):
        assert re.fullmatch(r".+\.[0-9a-f]{12}\.(js|css)", manifest[name]), manifest[name]
        assert (release / "static" / manifest[name]).read_bytes() == (ROOT / "static" / name).read_bytes()
    # DB-IP's IP-to-country data, built by `make assets` and ignored by git, travels with the release.
    data = "forum/data/ip_country.bin"
    assert (release / data).read_bytes() == (ROOT / data).read_bytes()
    assert json.loads((release / "release.json").read_text())["commit"]


def test_make_serve_without_a_release_refuses_and_says_how_to_build_one(tmp_path):
    done = subprocess.run(
        ["make", "--no-print-directory", "serve", f"RELEASE={tmp_path / 'none'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert f"no release in {tmp_path / 'none'}" in done.stderr
    assert f"make release RELEASE={tmp_path / 'none'}" in done.stderr


def test_two_make_serve_started_together_on_an_empty_database_both_serve_and_change_nothing(
    release, tmp_path, shared_postgres_database, own_redis
):
    env = production_env(tmp_path, shared_postgres_database, own_redis.url)
    before = snapshot(release)
    with ExitStack() as stack:
        servers = [
            stack.enter_context(make_serve(env, tmp_path / f"serve{n}.log", f"RELEASE={release}"))
            for n in range(2)
        ]
        for n, (process, base, _port) in enumerate(servers):
            try:
                wait_until_up(f"{base}/healthz", process, seconds=180)
            except RuntimeError as error:
                pytest.fail(f"{error}\n{(tmp_path / f'serve{n}.log').read_text()[-3000:]}")
        for _process, base, _port in servers:
            page = requests.get(f"{base}/threads", timeout=10)
            assert page.status_code == 200
            # Pages name the hashed copies, which browsers may keep for a year.
            style = HASHED_STYLE.search(page.text).group(1)
            served = requests.get(f"{base}/static/{style}", timeout=10)
            assert served.status_code == 200
            assert served.content == (ROOT / "static" / "css" / "forum.css").read_bytes()
            assert {"public", "max-age=31536000", "immutable"} <= set(
                served.headers["Cache-Control"].replace(" ", "").split(",")
            )
    # Starting installed, built and compiled nothing into the release: no file was added or changed.
    assert snapshot(release) == before
    diff, versions = schema_problems(shared_postgres_database)
    assert diff == []
    assert len(versions) == 1
