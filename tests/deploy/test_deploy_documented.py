"""The deployment as documented: processes from deploy/forum.env.example behind deploy/nginx/forum.conf.

The environment file is used as an operator would after filling in its secret (only the database and
Redis move to the test's own, and the name of the site to the test's address); the nginx file is run
with the test's certificate, ports and processes. docs/deploy.md shows both files: the test checks that
it shows them unchanged, so the documentation cannot drift from what is tested here.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import time
from contextlib import ExitStack, contextmanager

import pytest
import requests
import socketio

from bench.server import free_port
from config import production_problem
from forum.assets import write_manifest
from forum.demo import DEMO_PASSWORD
from tests.conftest import unavailable
from tests.deploy.clients import PATIENCE, ForumClient
from tests.deploy.conftest import ROOT, prepare, server

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ENV_EXAMPLE = ROOT / "deploy" / "forum.env.example"
NGINX_CONF = ROOT / "deploy" / "nginx" / "forum.conf"
DOCS = ROOT / "docs" / "deploy.md"


def read_env_file(path):
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (comments skipped, quotes removed)."""
    env = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip().removeprefix('"').removesuffix('"')
    return env


def test_the_docs_show_the_files_the_tests_use():
    docs = DOCS.read_text()
    assert f"```nginx\n{NGINX_CONF.read_text()}```" in docs
    assert "deploy/forum.env.example" in docs
    # The documented way of filling in the secret matches the file's empty SECRET_KEY line.
    assert re.search(r"^SECRET_KEY=$", ENV_EXAMPLE.read_text(), re.M)
    assert "s|^SECRET_KEY=$|SECRET_KEY=" in docs


def test_the_example_environment_lacks_only_its_secret_which_the_documented_command_fills(tmp_path):
    env = read_env_file(ENV_EXAMPLE)
    assert production_problem(env) == "Production configuration needs SECRET_KEY in the environment."
    # The docs' two commands, on a copy of the file instead of /etc/forum.env.
    installed = tmp_path / "forum.env"
    commands = re.findall(r"^sudo (install .*|sed .*)$", DOCS.read_text(), re.M)
    # The first two: the restore drill's own file comes later (tests/deploy/test_deploy_backup.py).
    commands = [command for command in commands if "forum-restore.env" not in command]
    assert len(commands) == 2, commands
    for command in commands:
        # The docs' own shell line, run as written: its $(…) makes the secret.
        done = subprocess.run(  # noqa: S602
            command.replace("/etc/forum.env", str(installed)),
            shell=True,
            cwd=ROOT,
            capture_output=True,  # noqa: S602
        )
        assert done.returncode == 0, done.stderr
    assert oct(installed.stat().st_mode & 0o777) == "0o600"
    filled = read_env_file(installed)
    assert len(filled["SECRET_KEY"]) >= 64 and production_problem(filled) is None


def nginx_config(workdir, port, redirect_port, upstreams, host_header="$http_host"):
    """deploy/nginx/forum.conf with the test's ports, certificate, processes and static folder."""
    text = NGINX_CONF.read_text()
    # Each upstream block's two documented processes become the test's, with the same parameters.
    pair = re.compile(r"^( +server )127\.0\.0\.1:8001([^;\n]*;\n) +server 127\.0\.0\.1:8002[^;\n]*;\n", re.M)
    assert pair.search(text), f"{NGINX_CONF} no longer lists 127.0.0.1:8001 and :8002"
    text = pair.sub(lambda found: "".join(found[1] + upstream + found[2] for upstream in upstreams), text)
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{port} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{redirect_port};",
        "/etc/letsencrypt/live/dialogue.example.org/fullchain.pem": str(workdir / "cert.pem"),
        "/etc/letsencrypt/live/dialogue.example.org/privkey.pem": str(workdir / "key.pem"),
        "root /srv/forum/releases;": f"root {workdir / 'releases'};",
        "proxy_set_header Host $http_host;": f"proxy_set_header Host {host_header};",
    }
    for documented, tested in replacements.items():
        assert documented in text, f"{NGINX_CONF} no longer has {documented!r}"
        text = text.replace(documented, tested)
    temp_paths = "".join(
        f"{kind}_temp_path {workdir / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes 1;\npid {workdir / 'nginx.pid'};\nerror_log {workdir / 'error.log'};\n"
        f"events {{ worker_connections 256; }}\nhttp {{\n"
        # Which process served each request (tests/deploy/test_deploy_balancing.py reads it).
        "log_format routed '$remote_addr \"$request\" $status $upstream_addr';\n"
        f"access_log {workdir / 'access.log'} routed;\n"
        f"{temp_paths}{text}}}\n"
    )


@contextmanager
def nginx(workdir, upstreams, host_header="$http_host"):
    """nginx running the documented file on a free port with TLS; yields (https base URL, certificate)."""
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if binary is None:
        unavailable("nginx", "not installed (make nginx)")
    workdir.mkdir()
    workdir.chmod(0o755)
    releases(workdir / "releases")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + [
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(workdir / "key.pem"),
            "-out",
            str(workdir / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    config = workdir / "nginx.conf"
    config.write_text(nginx_config(workdir, port, free_port(), upstreams, host_header))
    check = subprocess.run([binary, "-t", "-c", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [binary, "-c", str(config), "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        base = f"https://127.0.0.1:{port}"
        wait_until_ready(base, workdir / "cert.pem")
        yield base, str(workdir / "cert.pem")
    finally:
        process.terminate()
        process.wait(timeout=10)


def releases(folder):
    """The releases folder as an upgrade leaves it: `current` with hashed static files, `previous` with an
    older script of its own."""
    for name in ("current", "previous"):
        shutil.copytree(ROOT / "static", folder / name / "static")
    (folder / "previous" / "static" / "js" / "live.js").write_text("// the previous release's script\n")
    for name in ("current", "previous"):
        write_manifest(folder / name / "static", folder / name / "assets.json")


def static_cache_seconds(base, cert, name):
    """The status and browser cache lifetime (max-age) nginx gives to the static file `name`."""
    response = requests.get(f"{base}/static/{name}", verify=cert, timeout=10)
    age = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
    return response.status_code, int(age.group(1)) if age else None


def documented_env(tmp_path, database_url, redis_url):
    """The example file as an operator fills it in, on the test's database and Redis."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAIL_", "FORUM_"))}
    return {
        **env,
        **read_env_file(ENV_EXAMPLE),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "FORUM_INSTANCE_PATH": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }


def trusting(session, cert):
    """`session`, verifying with the test's certificate (a CA bundle in the environment would win)."""
    session.verify, session.trust_env = cert, False
    return session


def socket_accepted(base, cert, transport):
    """Whether a browser's Socket.IO connection (with its Origin) is accepted over `transport`."""
    session = trusting(requests.Session(), cert)
    client = socketio.Client(reconnection=False, http_session=session)
    # The WebSocket library sends the Origin itself (a second one was joined to it: never accepted).
    headers = {"Origin": base} if transport == "polling" else {}
    try:
        client.connect(base, headers=headers, transports=[transport], wait_timeout=PATIENCE)
    except socketio.exceptions.ConnectionError:
        return False
    client.disconnect()
    return True


def wait_until_ready(base, cert, seconds=20):
    """Poll the readiness check through nginx until it answers 200."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", verify=cert, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{base} did not answer within {seconds} s")


def test_two_processes_from_the_example_behind_the_documented_nginx(
    tmp_path, shared_postgres_database, own_redis
):
    env = documented_env(tmp_path, shared_postgres_database, own_redis.url)
    prepare(env)
    with ExitStack() as stack:
        bases = [stack.enter_context(server(env, tmp_path / f"app{n}.log")) for n in range(2)]
        upstreams = [base.removeprefix("http://") for base in bases]
        front, cert = stack.enter_context(nginx(tmp_path / "nginx", upstreams))

        # Socket.IO on a port other than 443, as a browser opens it: accepted over both transports.
        assert socket_accepted(front, cert, "websocket")
        assert socket_accepted(front, cert, "polling")

        # A member signs in through nginx; the session is good on both processes (one secret).
        member = ForumClient(front)
        trusting(member.http, cert)
        # As a browser does: over HTTPS the forms' CSRF check wants a Referer of the site's own origin.
        member.http.headers["Referer"] = front + "/login"
        member.sign_in("researcher@demo.dialogue.int", DEMO_PASSWORD)
        assert member.get("/notifications").status_code == 200
        for base in bases:
            direct = ForumClient(base)
            direct.http.cookies.update(member.http.cookies)
            direct._send_secure_cookies()
            assert direct.get("/notifications").status_code == 200, base

        # Static files: a release's hashed names kept a year, the release before it still answering
        # for pages an old process rendered, unhashed names an hour.
        folder = tmp_path / "nginx" / "releases"
        for release in ("current", "previous"):
            manifest = json.loads((folder / release / "assets.json").read_text())
            assert static_cache_seconds(front, cert, manifest["js/live.js"]) == (200, 365 * 86400)
        assert static_cache_seconds(front, cert, "js/live.js") == (200, 3600)
        assert static_cache_seconds(front, cert, "js/live.000000000000.js")[0] == 404

        # Pages arrive compressed.
        page = requests.get(front + "/threads", headers={"Accept-Encoding": "gzip"}, verify=cert, timeout=10)
        assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"

        # What the documented Host line prevents: with $host the port is lost and Socket.IO refuses.
        with nginx(tmp_path / "nginx-host", upstreams, host_header="$host") as (wrong, wrong_cert):
            assert not socket_accepted(wrong, wrong_cert, "websocket")
