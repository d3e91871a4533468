"""The real server refuses Socket.IO messages larger than a post can be."""

import json
import threading
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.e2e


def test_oversized_socket_message_is_refused_by_the_server(live_server):
    base = f"{live_server}/socket.io/?EIO=4&transport=polling"
    with urllib.request.urlopen(base, timeout=5) as handshake:  # noqa: S310 - loopback test server
        sid = json.loads(handshake.read().decode()[1:])["sid"]
    # A real client keeps a long poll open; the server closes the session through it.
    poll = threading.Thread(target=lambda: urllib.request.urlopen(f"{base}&sid={sid}", timeout=10).read())  # noqa: S310
    poll.start()
    time.sleep(0.5)  # let the long poll reach the server first, as a browser's would
    big = ("42" + json.dumps(["subscribe", {"room": "x" * 200_000}])).encode()
    request = urllib.request.Request(f"{base}&sid={sid}", data=big, method="POST")  # noqa: S310
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    poll.join(timeout=10)
    assert refused.value.code == 400
    small = ("42" + json.dumps(["subscribe", {"room": "thread:1"}])).encode()
    with urllib.request.urlopen(base, timeout=5) as again:  # noqa: S310
        sid = json.loads(again.read().decode()[1:])["sid"]
    request = urllib.request.Request(f"{base}&sid={sid}", data=small, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as accepted:  # noqa: S310
        assert accepted.status == 200
