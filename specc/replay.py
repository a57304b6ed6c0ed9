"""The cassette API under its first name: re-exports `specc.cassette`, `specc.transport` and `specc.offline`.

`specc.replay` held all three until they were split (issue 16); code and tests that import
`specc.replay.X` keep working. The transport's names (`CassetteTransport`, `open_transport`,
`finish_recording`, `release_recording`) are imported on first use, so that importing this
module never imports httpx (see `specc.transport`). New code imports the module it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .cassette import (
    CASSETTE_VERSION,
    CONNECTION_HEADERS,
    MAX_CASSETTE_BYTES,
    RECORD_MODES,
    SECRET_HEADERS,
    VOLATILE_HEADERS,
    Cassette,
    CassetteError,
    CassetteLock,
    Interaction,
    default_cassette_path,
    folder_lock,
    json_equal,
    load_cassette,
    parse_cassette,
    same_endpoint,
    save_interactions,
    scrub_interaction,
    scrub_request_body,
)
from .offline import NetworkBlocked, offline

if TYPE_CHECKING:
    from .transport import CassetteTransport, finish_recording, open_transport, release_recording

_TRANSPORT = ("CassetteTransport", "finish_recording", "open_transport", "release_recording")

__all__ = [
    "CASSETTE_VERSION", "CONNECTION_HEADERS", "MAX_CASSETTE_BYTES", "RECORD_MODES", "SECRET_HEADERS",
    "VOLATILE_HEADERS", "Cassette", "CassetteError", "CassetteLock", "Interaction", "NetworkBlocked",
    "default_cassette_path", "folder_lock", "json_equal", "load_cassette", "offline", "parse_cassette",
    "same_endpoint", "save_interactions", "scrub_interaction", "scrub_request_body", *_TRANSPORT,
]


def __getattr__(name: str) -> Any:
    if name in _TRANSPORT:
        from . import transport

        return getattr(transport, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
