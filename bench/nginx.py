"""nginx in front of server processes: a load-balancing reverse proxy in the foreground, with or without
the micro-cache for anonymous pages of docs/deploy.md (its two snippets, read from the document).

Its configuration, pid file, logs and temporary paths live in a temporary folder of its own, on a
free loopback port, so it needs no privilege and touches nothing of the machine's own nginx set-up.
The access log is off; the error log is read afterwards, and any error in it fails the benchmark.
"""

import os
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from bench.common import ROOT
from bench.server import free_port, wait_until_up

DEPLOY_DOC = ROOT / "docs" / "deploy.md"
MICRO_CACHE_SECTION = "## A micro-cache for anonymous pages"
DOCUMENTED_CACHE = "/var/cache/nginx/forum"

CONFIG = """\
daemon off;
worker_processes auto;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_body_buffer_size 64k;
    # A page is buffered in memory (nothing written to disk) and handed to the client at its pace.
    proxy_buffer_size 16k;
    proxy_buffers 32 16k;
    proxy_max_temp_file_size 0;
{cache_http}
    upstream app {{
        # Round robin: every client here is 127.0.0.1 (the ip_hash docs/deploy.md once had picked one).
{servers}
        keepalive 64;
        keepalive_timeout 1s;  # nginx drops an idle connection before gunicorn does (after 2 s)
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
{cache_location}
        }}
    }}
}}
"""


def micro_cache(cache_folder):
    """docs/deploy.md's micro-cache: (its http block, its `location /` block), cached in `cache_folder`."""
    text = DEPLOY_DOC.read_text()
    section = text[text.index(MICRO_CACHE_SECTION) :]
    section = section[: section.index("\n## ", 1)]
    blocks = re.findall(r"```nginx\n(.*?)```", section, re.S)
    if len(blocks) != 2 or DOCUMENTED_CACHE not in blocks[0]:
        raise RuntimeError(f"{DEPLOY_DOC}: the micro-cache section should show an http and a location block")
    return blocks[0].replace(DOCUMENTED_CACHE, str(cache_folder)), blocks[1]


def nginx_path():
    """The nginx executable (Debian puts it in /usr/sbin), or a RuntimeError saying how to get it."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise RuntimeError("nginx is missing: run `make nginx` (Debian package 'nginx')")
    return found


class Proxy:
    """A running nginx: its base URL and what its error log says."""

    def __init__(self, base, folder):
        """The proxy answering at `base`, with its files in `folder`."""
        self.base = base
        self.folder = folder

    def errors(self):
        """The error log's lines at level error or worse (an upstream that failed or closed early)."""
        log = self.folder / "error.log"
        if not log.exists():
            return []
        levels = ("[error]", "[crit]", "[alert]", "[emerg]")
        return [
            line[:300]
            for line in log.read_text(errors="replace").splitlines()
            if any(x in line for x in levels)
        ]


@contextmanager
def proxy(ports, probe="/", cache=False):
    """nginx on a free port, balancing over the servers on `ports` (through the micro-cache when `cache`).

    Yields the Proxy once it answers.
    """
    with tempfile.TemporaryDirectory(prefix="forum-bench-nginx-") as tmp:
        folder = Path(tmp)
        # Run as root, nginx's workers drop to `nobody`, who must be able to reach the folder.
        os.chmod(folder, 0o755)  # noqa: S103 - nothing secret in it
        port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{p};" for p in ports)
        config = folder / "nginx.conf"
        cache_http, cache_location = micro_cache(folder / "cache") if cache else ("", "")
        config.write_text(
            CONFIG.format(
                dir=folder,
                port=port,
                servers=servers,
                cache_http=cache_http,
                cache_location=cache_location,
            )
        )
        command = [nginx_path(), "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")]
        with open(folder / "stdout.log", "w") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + probe, process)
            yield Proxy(base, folder)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
