"""The bare broadcast baseline: the least a Flask-SocketIO app does to fan out an event, served alike.

Clients `subscribe {room}` and are answered {ok: true}; `POST /broadcast?room=R&token=T&size=S` emits one
`post.created` event carrying T and S bytes of filler to the room, then answers. BENCH_REDIS_URL, when
set, makes several processes share rooms through the same Redis message queue as the forum.
"""

import os

from flask import Flask, request
from flask_socketio import SocketIO, join_room

app = Flask(__name__)
queue = os.environ.get("BENCH_REDIS_URL")
socketio = SocketIO(app, async_mode="gevent", **({"message_queue": queue} if queue else {}))


@app.route("/")
def index():
    """Answers, so that the harness knows the server is up."""
    return "broadcast baseline"


@app.post("/broadcast")
def broadcast():
    """Emit one event to the room, as the forum does after a reply commits."""
    room = request.args["room"]
    filler = "x" * request.args.get("size", 0, type=int)
    socketio.emit("post.created", {"token": request.args["token"], "html": filler, "room": room}, to=room)
    return "", 204


@socketio.on("subscribe")
def subscribe(payload):
    """Join the room the client names."""
    join_room(payload["room"])
    return {"ok": True, "room": payload["room"]}
