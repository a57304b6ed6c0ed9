"""A scriptable OpenRouter-like HTTP server on 127.0.0.1, in a thread, for tests.

Real sockets, real HTTP/1.1: each connection carries one request, answered by
the next scripted `Reply` (or a function of the request that returns one). A
reply's body is a list of pieces written one by one with a flush, so a stream
arrives piece by piece; pieces may also be a `Gate` (wait until the test opens
it) or a fault: `RESET` (abort the connection with a TCP RST), `STALL` (stop
sending until the server shuts down), `CLOSE` (close without finishing).

Used by tests/test_send*.py and reusable by the cassette tests:

    with LoopbackServer() as server:
        server.script(json_reply({...}), sse_reply([...]))
        ... send to server.base_url ...
        server.requests[0].json()
"""

from __future__ import annotations

import json
import socket
import socketserver
import struct
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Union


class Fault:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


RESET = Fault("reset")   # abort with RST: the client sees "connection reset"
STALL = Fault("stall")   # send nothing more until the server stops
CLOSE = Fault("close")   # close the socket cleanly, mid-response


@dataclass
class Gate:
    """A piece that holds the rest of the body back until `open()` (or `timeout` seconds)."""

    timeout: float = 10.0
    event: threading.Event = field(default_factory=threading.Event)
    reached: threading.Event = field(default_factory=threading.Event)

    def open(self) -> None:
        self.event.set()


Piece = Union[bytes, str, Gate, Fault]


@dataclass
class Reply:
    """One scripted answer. `pieces`: the body, written piece by piece (chunked transfer encoding).
    `before_headers`: a fault to apply before any byte is sent (CLOSE: hang up without answering;
    STALL: never answer)."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    pieces: list[Piece] = field(default_factory=list)
    before_headers: Fault | None = None


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Script = Union[Reply, Callable[[Received], Reply]]


def json_reply(value: Any, status: int = 200, headers: dict[str, str] | None = None, padding: str = "") -> Reply:
    """A JSON answer (optionally preceded by OpenRouter's whitespace keep-alive padding)."""
    text = value if isinstance(value, str) else json.dumps(value)
    return Reply(status, {"Content-Type": "application/json", **(headers or {})}, [padding + text])


def sse_reply(events: Iterable[Any], done: bool = True, comments: int = 1,
              headers: dict[str, str] | None = None) -> Reply:
    """An SSE stream: `comments` keep-alive comment lines, one `data:` event per item, then `[DONE]`."""
    pieces: list[Piece] = [": OPENROUTER PROCESSING\n\n"] * comments
    for event in events:
        pieces.append(event if isinstance(event, (bytes, Gate, Fault)) or (isinstance(event, str) and event.startswith((":", "data:")))
                      else f"data: {event if isinstance(event, str) else json.dumps(event)}\n\n")
    if done:
        pieces.append("data: [DONE]\n\n")
    return Reply(200, {"Content-Type": "text/event-stream", "Cache-Control": "no-cache", **(headers or {})}, pieces)


def raw_reply(status: int, content_type: str, body: str | bytes, headers: dict[str, str] | None = None) -> Reply:
    """A body served verbatim (e.g. a recorded response)."""
    return Reply(status, {"Content-Type": content_type, **(headers or {})}, [body])


class LoopbackServer:
    """The server. `script(...)` queues replies; once the queue is down to one, that one answers every request."""

    def __init__(self) -> None:
        self._queue: list[Script] = [json_reply({"error": {"code": 500, "message": "no reply scripted"}}, 500)]
        self._lock = threading.Lock()
        self.requests: list[Received] = []
        self.stopping = threading.Event()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer._handle(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/api/v1"

    def script(self, *replies: Script) -> "LoopbackServer":
        with self._lock:
            self._queue = list(replies)
        return self

    def __enter__(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------------ per connection

    def _next(self, received: Received) -> Reply:
        with self._lock:
            script = self._queue.pop(0) if len(self._queue) > 1 else self._queue[0]
        return script(received) if callable(script) else script

    def _handle(self, sock: socket.socket) -> None:
        sock.settimeout(10)
        try:
            received = _read_request(sock)
        except (OSError, ValueError):
            return
        if received is None:
            return
        self.requests.append(received)
        reply = self._next(received)
        try:
            self._answer(sock, reply)
        except OSError:
            pass  # the client went away (e.g. Ctrl-C): nothing to do

    def _answer(self, sock: socket.socket, reply: Reply) -> None:
        if reply.before_headers is not None:
            self._fault(sock, reply.before_headers)
            return
        reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
                  408: "Request Timeout", 429: "Too Many Requests", 500: "Internal Server Error",
                  502: "Bad Gateway", 503: "Service Unavailable"}.get(reply.status, "Status")
        head = [f"HTTP/1.1 {reply.status} {reason}", "Transfer-Encoding: chunked", "Connection: close"]
        head += [f"{name}: {value}" for name, value in reply.headers.items()]
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        for piece in reply.pieces:
            if isinstance(piece, Fault):
                self._fault(sock, piece)
                return
            if isinstance(piece, Gate):
                piece.reached.set()
                piece.event.wait(piece.timeout)
                continue
            data = piece.encode("utf-8") if isinstance(piece, str) else piece
            if data:
                sock.sendall(b"%x\r\n%s\r\n" % (len(data), data))
        sock.sendall(b"0\r\n\r\n")

    def _fault(self, sock: socket.socket, fault: Fault) -> None:
        if fault is RESET:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
        elif fault is STALL:
            self.stopping.wait(30)
        elif fault is CLOSE:
            sock.shutdown(socket.SHUT_RDWR)


def _read_request(sock: socket.socket) -> Received | None:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        if not piece:
            return None
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        piece = sock.recv(65536)
        if not piece:
            break
        body += piece
    return Received(method, path, headers, body)


class PlainTextServer:
    """A loopback server that answers every connection in plain HTTP, whatever it was sent.

    Pointed at with an `https://` URL it makes the TLS handshake fail; `received` keeps the
    first bytes of each connection, to show what (if anything) reached it.
    """

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen()
        self.received: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def port(self) -> int:
        return self._listener.getsockname()[1]

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            self.received.append(connection.recv(65536))
            connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            connection.close()

    def __enter__(self) -> "PlainTextServer":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close() alone would not
        self._listener.close()
        self._thread.join(5)
