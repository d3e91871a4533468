"""Closing this process's live connections when it is told to stop (gunicorn.conf.py calls it)."""

from forum.extensions import socketio


def close_all_sockets():
    """Disconnect every Socket.IO client of this process; returns how many there were.

    A worker told to stop waits for its open connections before it exits, and an idle WebSocket never
    ends by itself: without this, a process holding readers took its whole graceful timeout (30 s) to
    stop. Each client hears the close, runs the usual disconnect (it stops counting as a reader), and
    its page reconnects through the proxy to another process, catching up with `since`.
    """
    server = getattr(socketio, "server", None)
    if server is None:  # the app was never initialised in this process
        return 0
    count = len(server.eio.sockets)
    server.eio.disconnect()
    return count
