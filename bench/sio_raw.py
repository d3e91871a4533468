"""A bare Socket.IO client over a raw asyncio websocket: thousands fit in one process on two cores.

It speaks just enough Engine.IO 4 / Socket.IO 5 for the benchmarks: connect, answer pings, emit events
with acknowledgements, and note the `question.voted` broadcasts it receives (only the first client of a
run parses them; the others count them without decoding, so the load generator measures the server).
"""

import asyncio
import base64
import itertools
import json
import os
import time

from bench.server import USER_AGENT

VOTED = '42["question.voted",'


def _frame(text, opcode=0x1):
    """A masked client frame (RFC 6455 requires clients to mask)."""
    data = text.encode() if isinstance(text, str) else text
    key = os.urandom(4)
    length = len(data)
    if length < 126:
        header = bytes((0x80 | opcode, 0x80 | length))
    else:
        header = bytes((0x80 | opcode, 0x80 | 126)) + length.to_bytes(2, "big")
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(data))
    return header + key + masked


class Client:
    """One Socket.IO connection; `cookie` signs it in."""

    def __init__(self, host, port, cookie=None, parse=False):
        self.host, self.port, self.cookie, self.parse = host, port, cookie, parse
        self.ids = itertools.count(1)
        self.waiting = {}
        self.broadcasts = []
        self.connected = None
        self.lost = False
        self.writer = None
        self.task = None

    async def start(self, room):
        """Open the websocket, connect the namespace and subscribe to `room`."""
        reader, self.writer = await asyncio.open_connection(self.host, self.port)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            f"User-Agent: {USER_AGENT}",
        ]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"websocket refused: {head[:200]!r}")
        self.connected = asyncio.get_running_loop().create_future()
        self.task = asyncio.create_task(self._read(reader))
        await asyncio.wait_for(self.connected, 30)
        reply = await self.call("subscribe", {"room": room})
        if not reply.get("ok"):
            raise RuntimeError(f"subscribe refused: {reply}")

    def _send(self, text, opcode=0x1):
        """Queue one frame."""
        self.writer.write(_frame(text, opcode))

    async def call(self, event, data):
        """Emit `event` with an acknowledgement; returns the server's answer."""
        ack = next(self.ids)
        future = asyncio.get_running_loop().create_future()
        self.waiting[ack] = future
        self._send(f"42{ack}" + json.dumps([event, data]))
        return await asyncio.wait_for(future, 30)

    async def _read(self, reader):
        """Read frames until the connection ends."""
        try:
            while True:
                first, second = await reader.readexactly(2)
                length = second & 0x7F
                if length == 126:
                    length = int.from_bytes(await reader.readexactly(2), "big")
                elif length == 127:
                    length = int.from_bytes(await reader.readexactly(8), "big")
                payload = await reader.readexactly(length)
                opcode = first & 0x0F
                if opcode == 0x9:
                    self._send(payload, 0xA)
                elif opcode == 0x8:
                    break
                elif opcode == 0x1:
                    self._message(payload.decode())
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        self.lost = True

    def _message(self, text):
        """Handle one Engine.IO packet."""
        if text == "2":
            self._send("3")
        elif text.startswith("0"):
            self._send("40")
        elif text.startswith("40"):
            if not self.connected.done():
                self.connected.set_result(True)
        elif text.startswith(VOTED):
            self.broadcasts.append((time.perf_counter(), json.loads(text[2:])[1]) if self.parse else None)
        elif text.startswith("43"):
            digits = len(text) - len(text[2:].lstrip("0123456789"))
            future = self.waiting.pop(int(text[2:digits]), None)
            if future is not None and not future.done():
                future.set_result(json.loads(text[digits:])[0])

    def close(self):
        """Close the connection."""
        self.lost = False
        if self.task:
            self.task.cancel()
        if self.writer:
            self.writer.close()
