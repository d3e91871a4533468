"""Load clients: thousands of Socket.IO sockets in one asyncio process, timing when an event reaches each.

`python -m bench.sio_clients ROOM COUNT URL [URL ...]` opens COUNT websocket connections (Engine.IO 4,
Socket.IO 5, spread round-robin over the URLs), subscribes each to ROOM and then obeys one command
per line on stdin, answering each with one JSON line on stdout:

- `arm TOKEN`: forget earlier receipts and watch for event messages that contain TOKEN;
- `collect SECONDS`: wait until every subscribed socket got a TOKEN message (or SECONDS pass), then
  report how many did, the first and last receipt times (time.monotonic, system-wide on Linux), the
  fewest TOKEN messages one socket received since `arm`, and how many sockets the server closed;
- `quit`: close the sockets and exit.

Each socket is a bare asyncio Protocol that parses frames itself: python-socketio's AsyncClient costs
a few tasks and a ping loop per socket, which on two cores would measure the client, not the server.
"""

import asyncio
import contextlib
import json
import os
import resource
import sys
import time
import urllib.parse

from bench.server import USER_AGENT

HANDSHAKE_CONCURRENCY = 100
# Readers ask for the six languages in turn, as a hall of delegates would: the server renders an event
# for each language that has readers.
LANGUAGES = ("en", "fr", "ar", "zh", "ru", "es")
OPEN, CONNECT, SUBSCRIBE_ACK, PING = "0", "40", "430", "2"


def raise_fd_limit():
    """Allow as many open sockets as the hard limit does; returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def frame(text):
    """A masked client text frame holding `text` (RFC 6455 requires clients to mask)."""
    data = text.encode()
    key = os.urandom(4)
    length = len(data)
    if length < 126:
        header = bytes((0x81, 0x80 | length))
    else:
        header = bytes((0x81, 0x80 | 126)) + length.to_bytes(2, "big")
    mask = (key * (length // 4 + 1))[:length]
    masked = (int.from_bytes(data, "big") ^ int.from_bytes(mask, "big")).to_bytes(length, "big")
    return header + key + masked


class Watch:
    """What the sockets of this process look for, and when each first saw it."""

    def __init__(self):
        self.token = None
        self.times = {}
        self.messages = 0
        self.size = 0
        self.all_seen = asyncio.Event()
        self.expected = 0
        self.hits = {}
        self.lost = 0


class Socket(asyncio.Protocol):
    """One Socket.IO client over a websocket: handshake, subscribe, answer pings, time watched events."""

    def __init__(self, number, host, path, room, watch, done):
        self.number, self.host, self.path, self.room = number, host, path, room
        self.watch, self.done = watch, done
        self.buffer = bytearray()
        self.upgraded = False
        self.transport = None
        self.subscribed = False

    def connection_made(self, transport):
        """Ask for the websocket upgrade."""
        self.transport = transport
        request = (
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            f"Accept-Language: {LANGUAGES[self.number % len(LANGUAGES)]}\r\n"
            f"Sec-WebSocket-Version: 13\r\nUser-Agent: {USER_AGENT}\r\n\r\n"
        )
        transport.write(request.encode())

    def connection_lost(self, exc):
        """A socket that closes before subscribing counts as failed, after it as lost."""
        self.watch.lost += self.subscribed
        self.finish(f"closed: {exc}" if exc else "closed")

    def finish(self, outcome):
        """Report this socket's set-up outcome once: 'ok' or what went wrong."""
        if not self.done.done():
            self.done.set_result(outcome)

    def data_received(self, data):
        """Read the upgrade answer, then every complete frame; one clock reading per chunk."""
        now = time.monotonic()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if not self.buffer.startswith(b"HTTP/1.1 101"):
                self.finish(bytes(self.buffer[:60]).decode(errors="replace"))
                self.transport.close()
                return
            self.upgraded = True
            del self.buffer[: end + 4]
        self.read_frames(now)

    def read_frames(self, now):
        """Handle each complete frame in the buffer (servers send unmasked, unfragmented text here)."""
        buffer = self.buffer
        while len(buffer) >= 2:
            opcode, length, start = buffer[0] & 0x0F, buffer[1] & 0x7F, 2
            if length == 126:
                if len(buffer) < 4:
                    return
                length, start = int.from_bytes(buffer[2:4], "big"), 4
            elif length == 127:
                if len(buffer) < 10:
                    return
                length, start = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < start + length:
                return
            payload = bytes(buffer[start : start + length])
            del buffer[: start + length]
            if opcode == 0x1:
                self.on_message(payload, now)
            elif opcode == 0x8:
                self.transport.close()
                return

    def on_message(self, payload, now):
        """One Engine.IO packet: open, Socket.IO connect, the subscribe answer, a ping, or an event."""
        if payload.startswith(b"42"):
            watch = self.watch
            watch.messages += 1
            if watch.token and watch.token in payload:
                watch.hits[self.number] = watch.hits.get(self.number, 0) + 1
                if self.number not in watch.times:
                    watch.times[self.number] = now
                    watch.size = len(payload)
                    if len(watch.times) >= watch.expected:
                        watch.all_seen.set()
        elif payload == b"2":
            self.transport.write(frame("3"))
        elif payload.startswith(b"0{"):
            self.transport.write(frame(CONNECT))
        elif payload.startswith(b"40"):
            request = json.dumps(["subscribe", {"room": self.room}], separators=(",", ":"))
            self.transport.write(frame("420" + request))
        elif payload.startswith(b"430"):
            answer = json.loads(payload[3:])[0]
            self.subscribed = answer.get("ok") is True
            self.finish("ok" if self.subscribed else f"refused: {answer.get('error')}")
        elif payload.startswith(b"44"):
            self.finish("connect refused")


async def open_socket(loop, number, url, room, watch, limit):
    """Connect one socket and wait for its subscription; returns (socket or None, outcome)."""
    parts = urllib.parse.urlsplit(url)
    path = "/socket.io/?EIO=4&transport=websocket"
    async with limit:
        done = loop.create_future()
        try:
            _transport, sock = await loop.create_connection(
                lambda: Socket(number, parts.netloc, path, room, watch, done), parts.hostname, parts.port
            )
            outcome = await asyncio.wait_for(done, 120)
        except (OSError, TimeoutError) as error:
            return None, type(error).__name__
    return (sock if outcome == "ok" else None), outcome


async def main(room, count, urls):
    """Open and subscribe the sockets, report, then obey commands until `quit`."""
    loop = asyncio.get_running_loop()
    watch = Watch()
    limit = asyncio.Semaphore(HANDSHAKE_CONCURRENCY)
    started = time.monotonic()
    opened = await asyncio.gather(
        *(open_socket(loop, n, urls[n % len(urls)], room, watch, limit) for n in range(count))
    )
    sockets = [sock for sock, _outcome in opened if sock is not None]
    failures = {}
    for _sock, outcome in opened:
        if outcome != "ok":
            failures[outcome] = failures.get(outcome, 0) + 1
    # Messages heard while the others subscribed: the presence counts each subscription sends the room.
    report(
        subscribed=len(sockets),
        failures=failures,
        setup_s=round(time.monotonic() - started, 2),
        setup_messages=watch.messages,
    )
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := (await reader.readline()).decode().split():
        command, argument = line[0], (line[1] if len(line) > 1 else "")
        if command == "arm":
            watch.token, watch.times, watch.messages, watch.hits = argument.encode(), {}, 0, {}
            watch.expected = len(sockets)
            watch.all_seen.clear()
            report(armed=argument)
        elif command == "collect":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watch.all_seen.wait(), float(argument))
            times = sorted(watch.times.values())
            report(
                received=len(times),
                expected=len(sockets),
                first=times[0] if times else None,
                last=times[-1] if times else None,
                messages=watch.messages,
                size=watch.size,
                fewest=min((watch.hits.get(sock.number, 0) for sock in sockets), default=0),
                lost=watch.lost,
            )
        else:
            break
    for sock in sockets:
        sock.transport.close()


def report(**fields):
    """One JSON line to the benchmark that started this process."""
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    raise_fd_limit()
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3:]))
