"""A real HTTP receiver on loopback, and webhook endpoints that point at it."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from forum.webhooks import services
from forum.webhooks.outbox import EVENTS


class Receiver:
    """An HTTP server in a thread that records each POST and answers with the next queued status (200)."""

    def __init__(self):
        self.received = []
        self.statuses = []
        self.server = None
        self.port = None
        self.lock = threading.Lock()

    def start(self):
        """Listen (on the same port as before when restarted) and serve in a thread."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.received.append((dict(self.headers), body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port or 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        """Stop listening: connections are refused until start() again."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self):
        """Where the receiver listens."""
        return f"http://127.0.0.1:{self.port}/hooks"

    def bodies(self):
        """The JSON bodies received, in order."""
        return [json.loads(body) for _headers, body in self.received]


@pytest.fixture
def receiver():
    """A running receiver, stopped after the test."""
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def make_endpoint(admin):
    """An endpoint for every event (or `events`) at `url`, created through the service."""

    def factory(url, events=None, secret=""):
        return services.create(admin, url, events or list(EVENTS), "Test receiver", secret)

    return factory
