"""Server-sent events, as OpenRouter streams them: bytes in, typed events out. Pure: no I/O.

Follows the WHATWG event-stream rules that matter here: lines end in CRLF, LF or
CR; a line starting with `:` is a comment (OpenRouter sends `: OPENROUTER
PROCESSING` keep-alives); `data:` lines of one event are joined with newlines;
a blank line ends the event. Each event's data is then classified: `[DONE]`, a
JSON chunk, a chunk carrying a top-level `error` (a mid-stream failure after
HTTP 200), or something malformed. `StreamAssembler` folds the chunks back into
one response in the shape of a non-streamed one.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Union

from .jsonread import JSONProblem, read_json


@dataclass(frozen=True)
class Chunk:
    """One `chat.completion.chunk` object."""

    data: dict[str, Any]


@dataclass(frozen=True)
class Done:
    """`data: [DONE]`: the stream finished normally."""


@dataclass(frozen=True)
class StreamError:
    """A chunk with a top-level `error` (HTTP status was already 200). `chunk` is the whole object."""

    code: Any
    message: str
    metadata: dict[str, Any] | None
    chunk: dict[str, Any]


@dataclass(frozen=True)
class Malformed:
    """An event whose data is not a JSON object (or not valid UTF-8)."""

    data: str
    reason: str


Event = Union[Chunk, Done, StreamError, Malformed]


@dataclass
class SSEParser:
    """Incremental parser: `feed(bytes)` returns the events completed so far; `close()` the rest."""

    _decoder: Any = field(default_factory=lambda: codecs.getincrementaldecoder("utf-8")(errors="replace"))
    _buffer: str = ""
    _data: list[str] = field(default_factory=list)
    _event_type: str = ""
    comments: int = 0

    def feed(self, raw: bytes) -> list[Event]:
        self._buffer += self._decoder.decode(raw)
        return self._drain(final=False)

    def close(self) -> list[Event]:
        """End of input: a last event without its blank line still counts (servers do omit it)."""
        self._buffer += self._decoder.decode(b"", final=True)
        events = self._drain(final=True)
        if self._buffer:
            events.extend(self._line(self._buffer))
            self._buffer = ""
        events.extend(self._dispatch())
        return events

    def _drain(self, final: bool) -> list[Event]:
        events: list[Event] = []
        text = self._buffer
        start = 0
        while True:
            cut = _line_end(text, start)
            if cut is None:
                break
            end, after = cut
            if text[end] == "\r" and after == len(text) and not final:
                break  # a CR at the end of the buffer may be the first half of CRLF
            events.extend(self._line(text[start:end]))
            start = after
        self._buffer = text[start:]
        return events

    def _line(self, line: str) -> list[Event]:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            self.comments += 1
            return []
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event_type = value
        # `id` and `retry` carry nothing OpenRouter uses; unknown fields are ignored, as the standard says
        return []

    def _dispatch(self) -> list[Event]:
        if not self._data:
            self._event_type = ""
            return []
        data = "\n".join(self._data)
        self._data = []
        self._event_type = ""
        return [classify(data)]


def _line_end(text: str, start: int) -> tuple[int, int] | None:
    """(index of the line terminator, index after it) for the next line from `start`, or None."""
    lf = text.find("\n", start)
    cr = text.find("\r", start, lf if lf >= 0 else len(text))
    if cr >= 0:
        return cr, cr + 2 if text.startswith("\r\n", cr) else cr + 1
    if lf >= 0:
        return lf, lf + 1
    return None


def classify(data: str) -> Event:
    """The typed event for one event's joined `data`."""
    if data.strip() == "[DONE]":
        return Done()
    try:
        value = read_json(data)
    except JSONProblem as exc:
        if exc.lineno is None or exc.msg.startswith("nested"):
            return Malformed(data, f"JSON that specc does not read: {exc}")
        return Malformed(data, f"not JSON ({exc})")
    if not isinstance(value, dict):
        return Malformed(data, f"a JSON {type(value).__name__}, not an object")
    error = value.get("error")
    if error is not None:
        if isinstance(error, dict):
            metadata = error.get("metadata")
            return StreamError(error.get("code"), str(error.get("message") or ""),
                               metadata if isinstance(metadata, dict) else None, value)
        return StreamError(None, str(error), None, value)
    return Chunk(value)


def parse_events(pieces: Iterable[bytes]) -> Iterator[Event]:
    """Every event in a byte stream split arbitrarily into `pieces`."""
    parser = SSEParser()
    for piece in pieces:
        yield from parser.feed(piece)
    yield from parser.close()


class StreamAssembler:
    """Builds one chat.completion response out of chat.completion.chunk objects."""

    def __init__(self) -> None:
        self.meta: dict[str, Any] = {}
        self.choices: dict[int, dict[str, Any]] = {}
        self.usage: dict[str, Any] | None = None
        self.error: dict[str, Any] | None = None

    def add(self, chunk: dict[str, Any]) -> list[tuple[str, str]]:
        """Merge `chunk`; returns its (kind, text) deltas in order."""
        deltas: list[tuple[str, str]] = []
        for key in ("id", "created", "model", "provider", "system_fingerprint"):
            if chunk.get(key) is not None:
                self.meta.setdefault(key, chunk[key])
        if isinstance(chunk.get("usage"), dict):
            self.usage = chunk["usage"]
        if isinstance(chunk.get("error"), dict):
            self.error = chunk["error"]
        for raw in chunk.get("choices") or []:
            if not isinstance(raw, dict):
                continue
            index = int(raw.get("index") or 0)
            choice = self.choices.setdefault(index, {
                "role": "assistant", "content": "", "reasoning": "", "tool_calls": {}, "finish_reason": None,
                "native_finish_reason": None})
            for key in ("finish_reason", "native_finish_reason"):
                if raw.get(key) is not None:
                    choice[key] = raw[key]
            delta = raw.get("delta") or {}
            if delta.get("role"):
                choice["role"] = delta["role"]
            for kind in ("content", "reasoning"):
                text = delta.get(kind)
                if isinstance(text, str) and text:
                    choice[kind] += text
                    if index == min(self.choices):  # with n > 1, only the first choice is shown live
                        deltas.append((kind, text))
            for call in delta.get("tool_calls") or []:
                self._merge_call(choice["tool_calls"], call)
        return deltas

    @staticmethod
    def _merge_call(calls: dict[int, dict[str, Any]], part: dict[str, Any]) -> None:
        index = int(part.get("index") or 0)
        call = calls.setdefault(index, {"id": None, "type": "function", "function": {"name": "", "arguments": ""}})
        if part.get("id"):
            call["id"] = part["id"]
        if part.get("type"):
            call["type"] = part["type"]
        function = part.get("function") or {}
        if function.get("name"):
            call["function"]["name"] += function["name"] if call["function"]["name"] != function["name"] else ""
        if isinstance(function.get("arguments"), str):
            call["function"]["arguments"] += function["arguments"]

    def _first(self) -> dict[str, Any]:
        return self.choices[min(self.choices)] if self.choices else {}

    def content(self) -> str:
        return self._first().get("content", "")

    def reasoning(self) -> str:
        return self._first().get("reasoning", "")

    def tool_calls(self) -> list[dict[str, Any]]:
        calls = self._first().get("tool_calls", {})
        return [calls[i] for i in sorted(calls)]

    def response(self) -> dict[str, Any]:
        """The assembled response in the shape of a non-streamed one."""
        out: dict[str, Any] = {**self.meta, "object": "chat.completion", "choices": []}
        for index in sorted(self.choices):
            choice = self.choices[index]
            message: dict[str, Any] = {"role": choice["role"], "content": choice["content"]}
            if choice["reasoning"]:
                message["reasoning"] = choice["reasoning"]
            if choice["tool_calls"]:
                message["tool_calls"] = [choice["tool_calls"][i] for i in sorted(choice["tool_calls"])]
            out["choices"].append({"index": index, "message": message, "finish_reason": choice["finish_reason"],
                                   "native_finish_reason": choice["native_finish_reason"]})
        if self.usage is not None:
            out["usage"] = self.usage
        if self.error is not None:
            out["error"] = self.error
        return out
