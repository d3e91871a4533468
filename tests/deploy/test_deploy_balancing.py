"""Load balancing through the documented nginx (issue 25, item 8): one address's clients spread over the
processes, long polling stays on its process by a routing cookie that signing in does not change.

A conference venue reaches the site from one network, often one address: ip_hash sent it all to one
process. Here every client comes from 127.0.0.1, and both processes must get a share.
"""

import re
from contextlib import ExitStack

import pytest
import requests
import socketio

from forum.demo import DEMO_PASSWORD
from tests.deploy.clients import PATIENCE, ForumClient
from tests.deploy.conftest import prepare, server
from tests.deploy.processes import wait_for
from tests.deploy.test_deploy_documented import documented_env, nginx, trusting

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
CLIENTS = 20  # random routing: all twenty on one of two processes has a chance of one in half a million


def served_by(log, needle):
    """The processes (upstream addresses) nginx's access log names for requests containing `needle`."""
    return {line.rsplit(" ", 1)[1] for line in log.read_text().splitlines() if needle in line}


def socket_client(front, cert, transport, http=None):
    """A Socket.IO client connected through nginx over `transport`, as a browser's page."""
    session = trusting(http or requests.Session(), cert)
    client = socketio.Client(reconnection=False, http_session=session)
    headers = {"Origin": front} if transport == "polling" else {}
    client.connect(front, headers=headers, transports=[transport], wait_timeout=PATIENCE)
    return client


def route_cookie(http):
    """The routing cookie nginx gave this browser, or None."""
    return next((c.value for c in http.cookies if c.name == "forum_route"), None)


def test_one_address_spreads_over_the_processes_and_long_polling_stays_put(
    tmp_path, shared_postgres_database, own_redis
):
    env = documented_env(tmp_path, shared_postgres_database, own_redis.url)
    prepare(env)
    log = tmp_path / "nginx" / "access.log"
    with ExitStack() as stack:
        bases = [stack.enter_context(server(env, tmp_path / f"app{n}.log")) for n in range(2)]
        upstreams = {base.removeprefix("http://") for base in bases}
        front, cert = stack.enter_context(nginx(tmp_path / "nginx", sorted(upstreams)))

        # Pages: no stickiness, no cookie; the least busy process answers.
        for _ in range(CLIENTS):
            page = requests.get(f"{front}/threads?balance", verify=cert, timeout=10)
            assert page.status_code == 200 and "Set-Cookie" not in page.headers
        assert served_by(log, "GET /threads?balance") == upstreams

        # WebSockets: each lands where its random route sends it.
        sockets = [socket_client(front, cert, "websocket") for _ in range(CLIENTS)]
        for client in sockets:
            client.disconnect()
        assert wait_for(lambda: served_by(log, "transport=websocket") == upstreams, 10)

        # Long polling: every request of one connection reaches one process (else "Invalid session"),
        # and the connections of one address reach both.
        pollers = [socket_client(front, cert, "polling") for _ in range(CLIENTS)]
        sids = [client.eio.sid for client in pollers]
        for client in pollers:
            assert client.call("subscribe", {"room": "thread:1", "since": None}, timeout=PATIENCE) is not None
            client.disconnect()
        assert wait_for(lambda: all(served_by(log, f"sid={sid}") for sid in sids), 10)
        homes = [served_by(log, f"sid={sid}") for sid in sids]
        assert all(len(home) == 1 for home in homes), homes
        assert set().union(*homes) == upstreams

        # A browser keeps its route when it signs in: its session cookie changes, the route does not.
        member = ForumClient(front)
        trusting(member.http, cert)
        member.http.headers["Referer"] = front + "/login"
        before = socket_client(front, cert, "polling", http=member.http)
        route, first_sid = route_cookie(member.http), before.eio.sid
        before.disconnect()
        assert route
        member.sign_in("researcher@demo.dialogue.int", DEMO_PASSWORD)
        after = socket_client(front, cert, "polling", http=member.http)
        assert after.call("subscribe", {"room": "notifications", "since": None}, timeout=PATIENCE) is not None
        second_sid = after.eio.sid
        after.disconnect()
        assert route_cookie(member.http) == route
        assert wait_for(lambda: served_by(log, f"sid={second_sid}"), 10)
        assert served_by(log, f"sid={second_sid}") == served_by(log, f"sid={first_sid}")
        assert re.fullmatch(r"[0-9a-f]{32}", route)
