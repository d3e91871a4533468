"""Server processes as `make serve` starts them, several on their own ports, and the CPU they use.

Each process is a gunicorn master with one gevent worker. CPU is read from /proc/<pid>/stat for the
masters and their own children (the workers) only, found by parent pid: never nginx, the load
generator or anything else on the machine that happens to mention a port.
"""

import os
import subprocess
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.common import ROOT
from bench.server import BIN, WORKER_CLASS, free_port, wait_until_up

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid):
    """The fields of /proc/<pid>/stat after the command name (field 3 onwards), or None when gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children(pid):
    """The pids whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(entry.name)
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pids):
    """CPU (user + system) used so far by the processes `pids`, in seconds; fails when one is gone."""
    used = 0
    for pid in pids:
        fields = _stat(pid)
        if fields is None:
            raise RuntimeError(f"server process {pid} is gone")
        used += int(fields[11]) + int(fields[12])
    return used / TICK


class Cluster:
    """Running server processes: their base URLs, logs, pids and CPU."""

    def __init__(self, name):
        """No process yet; `serve` starts them."""
        self.name = name
        self.processes = []  # (Popen, port, log path)
        self.probe = "/"

    def wait_up(self):
        """Return once every process answers its probe path (they start while the data loads)."""
        for process, port, _log in self.processes:
            wait_until_up(f"http://127.0.0.1:{port}{self.probe}", process, seconds=90)

    @property
    def ports(self):
        """The ports the processes listen on."""
        return [port for _process, port, _log in self.processes]

    def workers(self):
        """master pid -> its worker pids, as they are now."""
        return {process.pid: children(process.pid) for process, _port, _log in self.processes}

    def cpu_seconds(self):
        """CPU (user + system) used so far by the masters and their workers, in seconds.

        A worker that died and was replaced would take its time with it: `check_workers` fails a
        phase during which the workers changed.
        """
        return cpu_seconds(pid for master, workers in self.workers().items() for pid in (master, *workers))

    def check_workers(self, before):
        """Fail unless the workers are those of `before` (a `workers()` taken earlier): none died."""
        now = self.workers()
        if now != before or not all(now.values()):
            raise RuntimeError(f"{self.name}: server workers changed from {before} to {now}")

    def errors(self):
        """Lines of the servers' logs that tell of an error (a traceback's last line, a worker's death)."""
        found = []
        for _process, port, log in self.processes:
            lines = log.read_text(errors="replace").splitlines()
            for index, line in enumerate(lines):
                if line.startswith("Traceback") or "[ERROR]" in line or "[CRITICAL]" in line:
                    tail = next((ln for ln in lines[index + 1 :] if ln and not ln.startswith(" ")), line)
                    found.append(f"{port}: {tail if line.startswith('Traceback') else line}"[:300])
        return found


def command(app_spec, port):
    """gunicorn as `make serve` runs it (one gevent worker), without its access log: nginx's is off too."""
    return [
        str(BIN / "gunicorn"),
        *("--worker-class", WORKER_CLASS, "--workers", "1", "--bind", f"127.0.0.1:{port}"),
        *("--forwarded-allow-ips", "127.0.0.1", "--log-level", "warning", "--graceful-timeout", "5"),
        app_spec,
    ]


@contextmanager
def serve(name, app_spec, env, log_dir, count=2, probe="/"):
    """Start `count` server processes of `app_spec` with `env`, each on a free port; yields the Cluster.

    They may still be starting: call its `wait_up` before sending requests.
    """
    cluster = Cluster(name)
    cluster.probe = probe
    with ExitStack() as stack:
        stack.callback(_stop, cluster)
        for n in range(count):
            port = free_port()
            log_path = Path(log_dir) / f"{name}-{n + 1}.log"
            log = stack.enter_context(open(log_path, "w"))  # noqa: SIM115 - closed by the stack
            process = subprocess.Popen(
                command(app_spec, port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            cluster.processes.append((process, port, log_path))
        yield cluster


def _stop(cluster):
    """Ask every gunicorn master to stop, then make sure each did."""
    for process, _port, _log in cluster.processes:
        process.terminate()
    for process, _port, _log in cluster.processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
