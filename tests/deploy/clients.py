"""A participant as the deployment tests see one: HTTP through the real forms, Socket.IO like the page."""

import re
import threading
import time

import requests
import socketio

from tests.totp_codes import code_for, secret_from_page

# How long a socket may take to connect or answer: a limit, not a wait (a loaded CI machine with two
# test workers and their servers took over 10 s for one connection through nginx).
PATIENCE = 30
# The hidden field as the templates write it, or as WTForms does (type before value).
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class ForumClient:
    """A signed-in browser without the browser: cookies, CSRF tokens, a socket that records events."""

    def __init__(self, base):
        self.base = base
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "forum-deploy-test"
        # A fresh connection per request: gunicorn closes idle keep-alive connections after 2 s, and a
        # request sent on one at that moment fails with "Remote end closed connection".
        self.http.headers["Connection"] = "close"
        self.events = []
        self.arrived = threading.Condition()
        self.socket = None
        self.closed = threading.Event()

    def _send_secure_cookies(self):
        """Production marks cookies Secure; these tests speak plain HTTP on loopback."""
        for cookie in self.http.cookies:
            cookie.secure = False

    def get(self, path):
        """GET a page."""
        response = self.http.get(self.base + path, allow_redirects=False, timeout=10)
        self._send_secure_cookies()
        return response

    def post_form(self, path, data, action=None):
        """POST a form the way the page at `path` does (to `action`, else to itself), with its CSRF token."""
        page = self.get(path)
        token = CSRF.search(page.text).group(1)
        response = self.http.post(
            self.base + (action or path),
            data={**data, "csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )
        self._send_secure_cookies()
        return response

    def sign_in(self, email, password):
        """Sign in through the form."""
        response = self.post_form("/login", {"email": email, "password": password})
        assert response.status_code == 302, response.text[:500]
        location = response.headers["Location"]
        if location.startswith("/login/code"):
            response = self.post_form("/login/code", {"code": code_for(email)})
            assert response.status_code == 302, response.text[:500]
        elif location.startswith("/account/two-factor"):
            # Staff set up two-factor sign-in at their first sign-in.
            secret_from_page(email, self.get("/account/two-factor").text)
            response = self.post_form("/account/two-factor", {"code": code_for(email)})
            assert response.status_code == 200, response.text[:500]

    def reply(self, thread_id, body):
        """Reply to a thread through the form; returns the response."""
        return self.post_form(f"/threads/{thread_id}/reply", {"body": body})

    def sign_out(self):
        """Sign out with the form every page carries; returns the response."""
        return self.post_form("/", {}, action="/logout")

    def connect(self, base=None):
        """Open the socket with the session cookie, over WebSocket only (no sticky session needed).

        `base` is another server process to open it on, as another browser tab behind the proxy may.
        """
        self.socket = socketio.Client(reconnection=False)
        self.socket.on("*", self._record)
        self.closed = threading.Event()
        self.socket.on("disconnect", lambda *reason: self.closed.set())
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        self.socket.connect(
            base or self.base, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=PATIENCE
        )

    def _record(self, event, payload=None):
        """Keep every event the socket receives."""
        with self.arrived:
            self.events.append((event, payload))
            self.arrived.notify_all()

    def subscribe(self, room, since=None):
        """Subscribe to a room; returns the server's answer."""
        return self.socket.call("subscribe", {"room": room, "since": since}, timeout=PATIENCE)

    def wait_for(self, predicate, timeout=10):
        """The first recorded (event, payload) matching `predicate`, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for event in self.events:
                    if predicate(*event):
                        return event
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.arrived.wait(left)

    def ids(self, name):
        """The ids of the recorded events of one name, in arrival order."""
        return [payload["id"] for event, payload in self.events if event == name]

    def close(self):
        """Close the socket."""
        if self.socket is not None and self.socket.connected:
            self.socket.disconnect()
