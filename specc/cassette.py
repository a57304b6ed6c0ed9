"""Cassettes: a spec's recorded exchanges with OpenRouter, in vcrpy's YAML format. Never prints.

A cassette is what vcrpy writes (`version: 1`, `interactions: [{request, response}]`),
so vcrpy and pytest-recording users can read it. specc adds one key vcrpy ignores:
`response.chunks`, the byte length of every piece of the body as the client
received it, so a stream replays piece by piece, byte-identical, comment lines
and `[DONE]` included (vcrpy's own httpx stub joins the whole body into one
piece, before the caller sees any of it, on record and on replay).

Before anything is written the exchange is scrubbed (`specc.secrets`): the
`Authorization`, cookie and proxy headers are dropped, volatile response
headers are dropped, and every key-shaped string in headers and bodies is
replaced. Writes are atomic (`specc.atomic`) and serialised between processes
with a lock on the cassette's folder, so a crash never leaves half a cassette
and two recorders never interleave.

Matching is on method, URL and the JSON-equal body (not byte-equal, not URL alone).
This module is the cassette as data and files only: it never imports httpx (`specc test`
reads cassettes without it). The transport that records and replays through httpx is
`specc.transport`; the offline guard is `specc.offline`.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .compile import canonical_json
from .errors import SpeccError
from .jsonread import read_json
from .secrets import scrub, scrub_data

CASSETTE_VERSION = 1
RECORD_MODES = ("once", "new", "all")
MAX_CASSETTE_BYTES = 256 * 2**20  # far above any chat exchange; refuses a runaway or hostile file
# Never written: credentials, and what only identifies the session.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})
# Request headers that describe the connection (the port of a local server, a length), not the request.
CONNECTION_HEADERS = frozenset({"host", "content-length", "connection"})
# Response headers that change on every call (or describe the connection, not the answer).
VOLATILE_HEADERS = frozenset({
    "date", "age", "expires", "cf-ray", "cf-cache-status", "server-timing", "alt-svc", "nel", "report-to",
    "via", "connection", "keep-alive", "transfer-encoding", "content-length", "x-request-id", "x-amz-cf-id",
    "strict-transport-security", "vary", "access-control-allow-origin",
})


class CassetteError(SpeccError):
    """A cassette that cannot be used: the message names the file and the problem."""


# ---------------------------------------------------------------------------- data


@dataclass
class Interaction:
    """One request and its response. `chunks` are the body's pieces as they arrived."""

    method: str
    uri: str
    request_body: bytes
    status: int
    reason: str = ""
    request_headers: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)
    chunks: list[bytes] = field(default_factory=list)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    @property
    def is_stream(self) -> bool:
        return any("text/event-stream" in value for value in self.header_values("content-type"))

    def header_values(self, name: str) -> list[str]:
        return [v for key, values in self.headers.items() if key.lower() == name.lower() for v in values]

    def request_json(self) -> Any:
        """The recorded request body as JSON, or None when it is not JSON."""
        try:
            return read_json(self.request_body)
        except ValueError:
            return None

    def matches(self, method: str, url: str, body: bytes, any_host: bool = False) -> bool:
        """Same method, same URL, JSON-equal body (compared as it was written: scrubbed).

        `any_host`: the URL's path must match but its scheme, host and port may differ (a replay
        for which nobody chose a base URL, of a cassette recorded against another server)."""
        same_url = self.uri == scrub(url) or any_host and same_endpoint(self.uri, url)
        return (self.method.upper() == method.upper() and same_url
                and json_equal(self.request_body, scrub_request_body(body)))


def same_endpoint(left: str, right: str) -> bool:
    """The two URLs name the same API path (from `/api/` on), whatever their scheme, host and port."""
    from urllib.parse import urlsplit

    def path(url: str) -> str:
        found = urlsplit(url).path
        return found[found.find("/api/"):] if "/api/" in found else found

    return path(left) == path(right)


def json_equal(left: bytes, right: bytes) -> bool:
    """The bodies are the same JSON value (key order and spacing aside); non-JSON compares as bytes."""
    try:
        return canonical_json(read_json(left)) == canonical_json(read_json(right))
    except ValueError:
        return left == right


@dataclass
class Cassette:
    """The interactions recorded for one spec, and where they live."""

    path: Path
    interactions: list[Interaction] = field(default_factory=list)

    def find(self, method: str, url: str, body: bytes, any_host: bool = False) -> list[Interaction]:
        return [i for i in self.interactions if i.matches(method, url, body, any_host)]

    def to_yaml(self) -> str:
        """The cassette as vcrpy writes it: PyYAML, block style, sorted keys, bytes as !!binary.

        PyYAML directly rather than vcrpy's serializer module, because importing vcrpy imports
        every HTTP client it patches; tests/test_replay.py proves vcrpy reads the result."""
        import yaml

        data = {"version": CASSETTE_VERSION, "interactions": [_interaction_dict(i) for i in self.interactions]}
        text: str = yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))
        return text


def _text_or_bytes(data: bytes) -> str | bytes:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data  # YAML !!binary, as vcrpy does


def _interaction_dict(item: Interaction) -> dict[str, Any]:
    response: dict[str, Any] = {
        "status": {"code": item.status, "message": item.reason},
        "headers": item.headers,
        "body": {"string": _text_or_bytes(item.body)},
    }
    if len(item.chunks) > 1:
        response["chunks"] = [len(c) for c in item.chunks]
    return {"request": {"method": item.method, "uri": item.uri, "body": _text_or_bytes(item.request_body),
                        "headers": item.request_headers},
            "response": response}


# ---------------------------------------------------------------------------- reading


def load_cassette(path: Path) -> Cassette:
    """Read a cassette; any problem (unreadable, not YAML, wrong shape) is a CassetteError naming the file."""
    try:
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):  # a FIFO or device would block or never end
            raise CassetteError(f"{path}: not a regular file")
        if path.stat().st_size > MAX_CASSETTE_BYTES:
            raise CassetteError(f"{path}: the cassette is larger than {MAX_CASSETTE_BYTES // 2**20} MiB")
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CassetteError(f"{path}: no cassette (record one with `specc send SPEC --record`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CassetteError(f"{path}: cannot read the cassette: {exc}") from None
    return parse_cassette(text, path)


def parse_cassette(text: str, path: Path) -> Cassette:
    import yaml

    try:  # the safe loader: a cassette is data, never code
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CassetteError(f"{path}: not a valid YAML cassette: {where}{problem}") from None
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise CassetteError(f"{path}: not a vcrpy cassette (expected a mapping with `version: 1` and `interactions:`)")
    if data.get("version") != CASSETTE_VERSION:
        raise CassetteError(f"{path}: cassette format version {data.get('version')!r} (expected {CASSETTE_VERSION})")
    return Cassette(path, [_read_interaction(item, index, path) for index, item in enumerate(data["interactions"])])


def _read_interaction(item: Any, index: int, path: Path) -> Interaction:
    where = f"{path}: interaction {index + 1}"
    try:
        request, response = item["request"], item["response"]
        status = response["status"]["code"]
        body = _as_bytes(response["body"]["string"])
        request_body = _as_bytes(request.get("body"))
        headers = _header_lists(response.get("headers") or {})
        request_headers = _header_lists(request.get("headers") or {})
        method, uri = _scalar_text(request["method"], "method"), _scalar_text(request["uri"], "uri")
        reason = _scalar_text(response["status"].get("message") or "", "status message")
    except (KeyError, TypeError, AttributeError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
        raise CassetteError(f"{where}: missing or malformed field ({problem}); re-record it") from None
    if not isinstance(status, int) or not 100 <= status <= 599:
        raise CassetteError(f"{where}: response status {status!r} is not an HTTP status code")
    lengths = response.get("chunks")
    if lengths is None:
        chunks = [body] if body else []
    elif (not isinstance(lengths, list) or not all(isinstance(n, int) and n > 0 for n in lengths)
          or sum(lengths) != len(body)):
        raise CassetteError(f"{where}: `chunks` does not add up to the body's {len(body)} bytes "
                            "(was the body edited by hand?); fix or remove `chunks`, or re-record")
    else:
        chunks, start = [], 0
        for length in lengths:
            chunks.append(body[start:start + length])
            start += length
    return Interaction(method, uri, request_body, status, reason, request_headers, headers, chunks)


def _scalar_text(value: Any, what: str) -> str:
    if not isinstance(value, (str, int, float)):
        raise TypeError(f"{what} must be text")  # never str() a structure: it may be an alias bomb
    return str(value)


def _as_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(f"a body must be text, not {type(value).__name__}")


def _header_lists(headers: Any) -> dict[str, list[str]]:
    if not isinstance(headers, dict):
        raise TypeError("headers must be a mapping")
    out = {}
    for name, value in headers.items():
        values = value if isinstance(value, list) else [value]
        # only scalars: a hand-made alias structure must not be expanded into text (YAML "billion laughs")
        if not isinstance(name, str) or not all(isinstance(x, (str, int, float, bool)) for x in values):
            raise TypeError(f"header {name!r} must have text values")
        out[name] = [str(x) for x in values]
    return out


# ---------------------------------------------------------------------------- scrubbing


def scrub_interaction(item: Interaction) -> Interaction:
    """The interaction with secrets and volatile headers removed: what may be written to disk."""
    return Interaction(
        item.method, scrub(item.uri), scrub_request_body(item.request_body), item.status, item.reason,
        _scrub_headers(item.request_headers, SECRET_HEADERS | CONNECTION_HEADERS),
        _scrub_headers(item.headers, SECRET_HEADERS | VOLATILE_HEADERS),
        _scrub_chunks(item.chunks))


def _scrub_headers(headers: dict[str, list[str]], dropped: frozenset[str]) -> dict[str, list[str]]:
    return {scrub(name): [scrub(v) for v in values] for name, values in headers.items() if name.lower() not in dropped}


def scrub_request_body(body: bytes) -> bytes:
    try:
        value = read_json(body)
    except ValueError:
        return _scrub_bytes(body)
    cleaned = scrub_data(value)
    if cleaned == value:
        return body  # keep the bytes as sent
    return json.dumps(cleaned, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _scrub_bytes(data: bytes) -> bytes:
    # surrogateescape keeps bytes that are not UTF-8 (or a character cut between two chunks) as they were
    return scrub(data.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")


def _scrub_chunks(chunks: list[bytes]) -> list[bytes]:
    """Redact the pieces as one stream (`redact_stream`): a key cut between two pieces is caught whole,
    and the boundaries stay where no secret crosses them."""
    from .secrets import redact_stream

    texts = [c.decode("utf-8", "surrogateescape") for c in chunks]
    return [t.encode("utf-8", "surrogateescape") for t in redact_stream(texts)]


# ---------------------------------------------------------------------------- writing


def default_cassette_path(spec_path: Path, root: Path, override: str | None = None) -> Path:
    """`cassettes/<spec path relative to the project root>`, or the spec's `cassette:` (relative to the spec).

    A `cassette:` that leads outside the project (`..`, an absolute path, a symlink) is refused:
    a spec from a pull request must not make a recorder write, or a test read, anywhere else."""
    if override:
        from .files import cassette_path_problem, shown_path

        problem = cassette_path_problem(override, os.fspath(spec_path.parent.absolute()), os.path.realpath(root))
        if problem is not None:
            raise CassetteError(f"{spec_path}: cassette path {shown_path(override)}: {problem}")
        return Path(os.path.realpath(spec_path.parent / override))
    spec = spec_path.resolve()
    try:
        relative = spec.relative_to(root.resolve())
    except ValueError:
        relative = Path(spec.name)
    return root.resolve() / "cassettes" / relative


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock between processes on `folder` (flock on the folder itself: no lock file left behind)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CassetteError(f"{folder}: cannot create the cassette folder: {exc.strerror or exc}") from None
    try:
        import fcntl
    except ImportError:  # Windows: the atomic rename still prevents half-written files
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class CassetteLock:
    """An exclusive lock between processes on one cassette, held from before a `once` recording
    sends until its cassette is written, so that a second recorder waits, then finds the cassette
    and sends nothing (two `once` recorders would otherwise both be billed).

    A lock file beside the cassette (`.NAME.lock`, never through a symlink), removed on release;
    a waiter that locked a file removed meanwhile opens the new one (checked by inode)."""

    def __init__(self, path: Path):
        self.lock_path = path.with_name(f".{path.name}.lock")
        self._fd: int | None = None

    def acquire(self) -> "CassetteLock":
        try:
            import fcntl
        except ImportError:  # Windows: the check under the folder lock when saving still refuses the second
            return self
        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CassetteError(f"{self.lock_path.parent}: cannot create the cassette folder: {exc.strerror or exc}") from None
        try:
            while True:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    current = os.stat(self.lock_path, follow_symlinks=False).st_ino
                except FileNotFoundError:
                    current = None
                if current == os.fstat(fd).st_ino:
                    self._fd = fd
                    return self
                os.close(fd)  # the holder removed that file as it released it: lock the new one
        except OSError as exc:
            raise CassetteError(f"{self.lock_path}: cannot lock the cassette: {exc.strerror or exc}") from None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.unlink(self.lock_path)  # while still held: nobody can lock this file and find it gone later
        except OSError:
            pass
        os.close(fd)


def save_interactions(path: Path, new: list[Interaction], mode: str) -> Cassette:
    """Write `new` (scrubbed) to the cassette at `path` under the folder lock, atomically.

    `all` replaces the cassette; `new` appends to what is there now (re-read under the lock, so
    a concurrent recorder's interactions are kept); `once` refuses when a cassette appeared meanwhile.
    """
    from .atomic import write_text_atomic

    cleaned = [scrub_interaction(i) for i in new]
    with folder_lock(path.parent):
        existing: list[Interaction] = []
        if path.exists():
            if mode == "once":
                raise CassetteError(f"{path}: a cassette already exists (another recorder wrote it meanwhile?); "
                                    "use --record=all to re-record or --record=new to add to it")
            if mode == "new":
                existing = load_cassette(path).interactions
        cassette = Cassette(path, existing + cleaned)
        try:
            write_text_atomic(path, cassette.to_yaml())
        except OSError as exc:
            raise CassetteError(f"{path}: cannot write the cassette: {exc.strerror or exc}") from None
    return cassette
