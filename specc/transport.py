"""The record/replay transport: an `httpx.BaseTransport` that answers from a cassette and/or records.

Imports httpx at import time, so only what sends imports this module (`specc send --record`
or `--replay`, the pytest plugin's `--specc-record`), and always inside the function that
sends. `specc test` never does: it reads cassettes through `specc.cassette`. Measured when this
module was split out of `specc.replay` (issue 16): importing httpx as well adds 15-25 ms, about 7%,
to a `specc test` of the example specs (median of 25 whole runs on two cores: 290 ms without,
310 ms with), so the laziness pays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import httpx

from .cassette import RECORD_MODES, Cassette, CassetteError, CassetteLock, Interaction, load_cassette, save_interactions


class CassetteTransport(httpx.BaseTransport):
    """An httpx transport that answers from a cassette and/or records what a real transport answers.

    `replay`: answer only from `cassette` (no network; an unmatched request raises CassetteError).
    `record`: pass every request to `real`, recording into `recorded`, except (with `replay_first`)
    those the cassette already answers. Replayed bodies come back in their recorded pieces.
    """

    def __init__(self, cassette: Cassette | None = None, real: httpx.BaseTransport | None = None,
                 replay_first: bool = True, any_host: bool = False):
        self.cassette = cassette
        self.real = real
        self.replay_first = replay_first
        self.any_host = any_host
        self.recorded: list[Interaction] = []
        self._played: dict[int, int] = {}
        self.lock: CassetteLock | None = None  # held by a `once` recording until `finish_recording`

    # httpx calls these two
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        if self.cassette is not None and (self.replay_first or self.real is None):
            found = self.cassette.find(request.method, str(request.url), body, self.any_host)
            if found:
                return self._play(found, request)
        if self.real is None:
            raise CassetteError(f"{self.cassette.path if self.cassette else 'cassette'}: no recorded interaction "
                                f"matches {request.method} {request.url} with this body")
        return self._record(request, body)

    def close(self) -> None:
        if self.real is not None:
            self.real.close()

    def __enter__(self) -> "CassetteTransport":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _play(self, found: list[Interaction], request: httpx.Request) -> httpx.Response:
        # Repeated identical requests (retries) get the recorded answers in order, then the last again.
        key = id(found[0])
        index = min(self._played.get(key, 0), len(found) - 1)
        self._played[key] = index + 1
        item = found[index]
        headers = [(name, value) for name, values in item.headers.items() for value in values]
        extensions = {"reason_phrase": item.reason.encode("ascii", "replace")} if item.reason else {}
        return httpx.Response(item.status, headers=headers, stream=Pieces(item.chunks),
                              request=request, extensions=extensions)

    def _record(self, request: httpx.Request, body: bytes) -> httpx.Response:
        # An uncompressed answer is what can be scrubbed, read in review, and replayed as-is.
        request.headers["Accept-Encoding"] = "identity"
        response = self.real.handle_request(request)  # type: ignore[union-attr]
        item = Interaction(request.method, str(request.url), body, response.status_code,
                           response.extensions.get("reason_phrase", b"").decode("ascii", "replace"),
                           _multi(request.headers), _multi(response.headers))
        stream = Recording(response.stream, item.chunks, lambda: self.recorded.append(item))
        return httpx.Response(response.status_code, headers=response.headers, stream=stream,
                              extensions=response.extensions, request=request)


def _multi(headers: httpx.Headers) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in headers.multi_items():
        out.setdefault(name, []).append(value)
    return out


# ---------------------------------------------------------------------------- the two body streams


class Pieces(httpx.SyncByteStream):
    """A recorded body, handed out in its recorded pieces."""

    def __init__(self, chunks: list[bytes]):
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks


class Recording(httpx.SyncByteStream):
    """Passes a real body through piece by piece, keeping a copy; `done` runs once the body was read
    to its end, or closed after a normal stop (the caller read what it wanted, e.g. up to `[DONE]`).
    A read that failed (reset, timeout) records nothing."""

    def __init__(self, stream: Any, chunks: list[bytes], done: Callable[[], None]):
        self._stream, self._chunks, self._done = stream, chunks, done
        self._failed = False
        self._finished = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            for piece in self._stream:
                if piece:
                    self._chunks.append(bytes(piece))
                yield piece
        except GeneratorExit:  # the reader stopped early on its own (e.g. at `[DONE]`): not a failure
            raise
        except BaseException:
            self._failed = True
            raise
        self._finish()

    def _finish(self) -> None:
        if not self._finished and not self._failed:
            self._finished = True
            self._done()

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            self._finish()


# ---------------------------------------------------------------------------- record / replay sessions


def open_transport(path: Path, mode: str, any_host: bool = False) -> CassetteTransport:
    """The transport for `--replay` (mode `replay`) or `--record=once|new|all` with the cassette at `path`.

    `once` refuses an existing cassette before anything is sent; `new` replays what the cassette
    already answers and records the rest; `all` records everything afresh.
    """
    if mode == "replay":
        return CassetteTransport(load_cassette(path), any_host=any_host)
    if mode not in RECORD_MODES:
        raise ValueError(f"unknown record mode {mode!r}")
    lock = CassetteLock(path).acquire() if mode == "once" else None  # checked and recorded under one lock
    if mode == "once" and path.exists():
        lock.release()  # type: ignore[union-attr]
        raise CassetteError(f"{path}: a cassette already exists; --record (once) never overwrites one: "
                            "use --record=all to re-record it or --record=new to add to it")
    existing = load_cassette(path) if mode == "new" and path.exists() else None
    transport = CassetteTransport(existing, httpx.HTTPTransport(trust_env=False))
    transport.lock = lock
    return transport


def finish_recording(transport: CassetteTransport, path: Path, mode: str, result: Any) -> str:
    """Write what `transport` recorded during the send that produced `result`; returns what happened.

    Nothing is written when the exchange did not complete (network failure, Ctrl-C): a cassette
    holds whole answers only, and the old one stays as it was.
    """
    try:
        failure = getattr(result, "failure", None)
        if failure is not None and failure.kind in ("network", "interrupted"):
            return f"not recorded ({failure.kind} failure); {path} is unchanged"
        if not transport.recorded:
            return f"nothing new to record; {path} already answers this request"
        save_interactions(path, transport.recorded, mode)
        count = len(transport.recorded)
        return f"recorded {count} interaction{'s' if count != 1 else ''} to {path}"
    finally:
        release_recording(transport)


def release_recording(transport: CassetteTransport) -> None:
    """Let the next recorder of the cassette go on (after `finish_recording`, or when nothing was sent)."""
    if transport.lock is not None:
        transport.lock.release()
