"""Closing this process's live connections when it is told to stop (gunicorn.conf.py calls it)."""

from forum.extensions import socketio


def close_all_sockets():
    """Drop every Socket.IO connection of this process so that its clients reconnect; returns how many.

    A worker told to stop waits for its open connections before it exits, and an idle WebSocket never
    ends by itself: without this, a process holding readers took its whole graceful timeout (30 s) to
    stop. Each connection runs the usual disconnect (it stops counting as a reader), then its transport
    is closed without Engine.IO's "close" packet: a browser (and the Python client) takes a server's
    close packet as "you were disconnected on purpose" and stays away, while a dropped transport makes
    it reconnect at once, through the proxy to another process, and catch up with `since`.
    """
    server = getattr(socketio, "server", None)
    if server is None:  # the app was never initialised in this process
        return 0
    engine = server.eio
    sids = list(engine.sockets)
    for sid in sids:
        connection = engine.sockets.pop(sid, None)
        if connection is not None:
            connection.close(wait=False, abort=True, reason=engine.reason.SERVER_DISCONNECT)
    return len(sids)
