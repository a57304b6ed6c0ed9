"""The offline guard: `offline()` refuses every outgoing connection and name lookup while it is on.

A process-wide patch of `socket` (connect, connect_ex, create_connection, getaddrinfo), undone
when the block ends; connecting a Unix socket stays allowed. `specc test` and the pytest
plugin's replays run inside it, so a contract test that reaches for the network fails and says so.
"""

from __future__ import annotations

import contextlib
import socket
from typing import Any, Iterator


class NetworkBlocked(Exception):
    """Raised by `offline()` when something tries to open a network connection."""


@contextlib.contextmanager
def offline() -> Iterator[list[str]]:
    """Refuse every outgoing connection and name lookup for the duration; yields the attempts made."""
    attempts: list[str] = []
    saved = (socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo)

    def refuse(what: str) -> None:
        attempts.append(what)
        raise NetworkBlocked(f"network access is blocked in offline mode (attempted: {what})")

    def connect(self: socket.socket, address: Any) -> None:
        if self.family == getattr(socket, "AF_UNIX", None):
            return saved[0](self, address)
        refuse(f"connect to {address!r}")

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family == getattr(socket, "AF_UNIX", None):
            return saved[1](self, address)
        refuse(f"connect to {address!r}")
        return 1

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        refuse(f"connect to {address!r}")
        raise AssertionError("unreachable")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        refuse(f"look up {host!r}")

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex  # type: ignore[method-assign, assignment]
    socket.create_connection, socket.getaddrinfo = create_connection, getaddrinfo
    try:
        yield attempts
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo = saved  # type: ignore[method-assign]
