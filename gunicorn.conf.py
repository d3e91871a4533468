"""Gunicorn settings read by every server this project starts (make run, the benchmarks, the tests).

Gunicorn loads ./gunicorn.conf.py by itself; worker class and bind address stay on the command line.
"""

import re

from gunicorn import glogging

# Each open Socket.IO connection holds one of a gevent worker's connections, and gunicorn's default
# of 1,000 turned reader 1,001 away (measured with bench/sio_clients.py: 1,200 readers, 200 timed out).
worker_connections = 10_000


def pre_request(worker, req):
    """Under gevent, let the worker's other connections take a turn before this request runs.

    A keep-alive connection whose next request is already waiting would otherwise be served again and
    again while others wait: measured here, hello-world's p99 fell from 80–380 ms to under 20 ms.
    """
    if type(worker).__module__ == "gunicorn.workers.ggevent":
        import gevent

        gevent.sleep(0)


def post_worker_init(worker):
    """Keep the garbage collector's full passes out of the way of live traffic.

    A worker holding a thousand sockets has a large heap, and each full (generation 2) pass walks all
    of it: measured during bench/vote_storm.py, 24–43 pauses of 150–360 ms in 30 s, which made the
    slowest vote acknowledgements. What the app loaded at start is frozen out of those passes, and
    the young generation is collected less often (every 10,000 allocations instead of 700), so full
    passes become rare; cyclic garbage is still collected.
    """
    import gc

    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    if type(worker).__module__ == "gunicorn.workers.ggevent":
        _close_sockets_on_stop(worker)


def _close_sockets_on_stop(worker):
    """When the worker is told to stop (SIGTERM), close its Socket.IO connections at once.

    Gunicorn's worker then waits for its open connections, up to graceful_timeout; an idle WebSocket
    never ends by itself, so a process holding readers used to take the whole timeout to stop.
    """
    import signal

    import gevent

    stop = worker.handle_exit

    def handle_exit(sig, frame):
        """Gunicorn's own handling (stop accepting), then close the live connections outside the handler."""
        stop(sig, frame)
        gevent.spawn(_close_sockets, worker)

    signal.signal(signal.SIGTERM, handle_exit)


def _close_sockets(worker):
    """Disconnect the worker's Socket.IO clients, logging how many."""
    from forum.realtime.shutdown import close_all_sockets

    closed = close_all_sockets()
    worker.log.info("Stopping: closed %d live connections (pid:%s)", closed, worker.pid)


# A stop (SIGTERM) waits this long for requests under way before the worker is killed. Live connections
# are closed at once (_close_sockets_on_stop), so this bounds only ordinary requests, and keeps a stop
# within 5 s: a supervisor restarting processes one by one waits that long for each (docs/deploy.md).
graceful_timeout = 3

# Gunicorn 27 opens a control socket per user by default ($HOME/.gunicorn/gunicorn.ctl): a second server
# process on the machine (`make serve` on another PORT, as docs/deploy.md runs several; the benchmarks;
# the tests) found it taken and logged an error at start. Nothing here uses that interface: processes
# are started and stopped by their supervisor.
control_socket_disable = True


# The access log's readable line (LOG_FORMAT=text): Apache's combined format, then the request's id.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'


class RedactingLogger(glogging.Logger):
    """Gunicorn's logger through the app's log configuration (forum.logging_setup): its error log in the
    app's format, its access log one JSON object per line in production, each with the request's id;
    and the secrets some URLs carry (reset, confirmation, unsubscribe and invitation tokens) replaced in
    the access log: a reset link in a log is a password for whoever reads the log."""

    SECRET_IN_URL = re.compile(
        r"(/(?:reset-password|confirm-email|unsubscribe)/|(?:^|[?&])invite=)[^/?&\s\"]+"
    )

    def setup(self, cfg):
        """Gunicorn's handlers, then the app's format (LOG_FORMAT of the environment's config) on them."""
        super().setup(cfg)
        import config
        from forum import logging_setup

        self.log_format = config.config_from_env().LOG_FORMAT
        for handler in self.error_log.handlers:
            logging_setup.dress(handler, self.log_format)
        if self.log_format == "json":
            for handler in self.access_log.handlers:
                logging_setup.dress(handler, "json")

    def access(self, resp, req, environ, request_time):
        """The access log's line; in JSON, its fields as the line's object, with the app's request id."""
        if self.log_format != "json" or not self.access_log_enabled:
            return super().access(resp, req, environ, request_time)
        atoms = self.atoms(resp, req, environ, request_time)
        fields = {
            "remote_addr": atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"],
            "status": atoms["s"],
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "referrer": atoms["f"],
            "user_agent": atoms["a"],
        }
        request_id = atoms.get("{x-request-id}o") or None
        self.access_log.info("%s", atoms["r"], extra={"fields": fields, "request_id": request_id})
        return None

    def atoms(self, resp, req, environ, request_time):
        """The access log's fields (request line, path, query, referrer, headers), URL secrets redacted."""
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: self.SECRET_IN_URL.sub(r"\1[redacted]", value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }


logger_class = RedactingLogger
