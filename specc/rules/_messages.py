"""Helpers for the OR7xx/OR8xx rules: walking messages, content parts, tool calls and strings.

Every helper tolerates a body that violates the schema (a string where a list
belongs, a number where a mapping belongs): it yields only what has the expected
shape, so rules can index what they are given without checking again.

A dozen rules look at the messages of every spec. Rather than each walking them
again, they read `ctx.conversation`: a `Conversation`, built on first use and then
shared by every rule of that spec.
"""

from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import urlsplit

from ..pointers import path_text
from ._values import as_dict, as_list

TEXT_ONLY_ROLES = ("system", "developer")
IMAGE_PART_TYPES = ("image_url",)
VIDEO_PART_TYPES = ("video_url", "input_video")


class Conversation:
    """The request's messages taken apart once: by index, by role, their content parts and tool calls.

    Holds exactly what `messages`, `content_parts` and `tool_calls` below would give, in
    the same order. Rules read it and never modify it: it is shared by the rules of a spec.
    """

    def __init__(self, body: dict[str, Any]):
        self.messages: list[tuple[int, dict[str, Any]]] = messages(body)
        self._message_roles = [role(message) for _, message in self.messages]  # None: missing or not a string
        self.roles: set[str | None] = set(self._message_roles)
        self.parts: list[tuple[int, int, dict[str, Any]]] = []  # (message index, part index, part)
        self.tool_calls: list[tuple[int, int, dict[str, Any]]] = []  # (message index, call index, call)
        for i, message in self.messages:
            if isinstance(message.get("content"), list):
                self.parts += [(i, j, part) for j, part in content_parts(message)]
            if "tool_calls" in message:
                self.tool_calls += [(i, k, call) for k, call in tool_calls(message)]
        self.part_types: set[str | None] = {part_type(part) for _, _, part in self.parts}

    def with_role(self, *roles: str) -> list[tuple[int, dict[str, Any]]]:
        """`(index, message)` for the messages whose role is one of `roles`."""
        if self.roles.isdisjoint(roles):
            return []
        return [entry for entry, who in zip(self.messages, self._message_roles) if who in roles]

    def parts_of_type(self, *kinds: str) -> list[tuple[int, int, dict[str, Any]]]:
        """`(message index, part index, part)` for the content parts whose `type` is one of `kinds`."""
        if self.part_types.isdisjoint(kinds):
            return []
        return [(i, j, part) for i, j, part in self.parts if part_type(part) in kinds]


def messages(body: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """`(index, message)` for every message that is a mapping."""
    return [(i, m) for i, m in enumerate(as_list(body.get("messages"))) if isinstance(m, dict)]


def content_parts(message: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """`(index, part)` for every mapping in a message's content array (none when content is a string)."""
    return [(j, p) for j, p in enumerate(as_list(message.get("content"))) if isinstance(p, dict)]


def part_type(part: dict[str, Any]) -> str | None:
    kind = part.get("type")
    return kind if isinstance(kind, str) else None


def role(message: dict[str, Any]) -> str | None:
    value = message.get("role")
    return value if isinstance(value, str) else None


def tool_calls(message: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """`(index, call)` for the mapping entries of an assistant message's `tool_calls`."""
    if role(message) != "assistant":
        return []
    return [(k, c) for k, c in enumerate(as_list(message.get("tool_calls"))) if isinstance(c, dict)]


def tool_call_ids(message: dict[str, Any]) -> list[str]:
    """The string ids of an assistant message's tool calls, in order."""
    return [c["id"] for _, c in tool_calls(message) if isinstance(c.get("id"), str)]


def has_tools(body: dict[str, Any]) -> bool:
    """True when the request sends a non-empty `tools` array (function or server tools)."""
    return bool(as_list(body.get("tools")))


def is_data_url(url: str) -> bool:
    return url.strip().lower().startswith("data:")


def url_scheme(text: str) -> str | None:
    """The scheme of `text` when it is written as a URL (`https`, `gs`, `file`, ...), else None."""
    stripped = text.strip()
    if "://" not in stripped[:16]:
        return None
    scheme = stripped.split("://", 1)[0].lower()
    return scheme if scheme.isascii() and scheme.replace("+", "").replace("-", "").replace(".", "").isalnum() else None


def is_youtube_url(url: str) -> bool:
    """A youtube.com / youtu.be link (the only video URLs Gemini on AI Studio takes)."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return False
    return host in ("youtu.be", "youtube.com") or host.endswith(".youtube.com")


def video_url(part: dict[str, Any]) -> str | None:
    """The URL of a `video_url` / legacy `input_video` part, when it is a string."""
    if part_type(part) not in VIDEO_PART_TYPES:
        return None
    url = as_dict(part.get("video_url")).get("url")
    return url if isinstance(url, str) else None


def describe_pointer(pointer: tuple) -> str:
    """`request.messages[1].content` for `("request", "messages", 1, "content")`, for messages."""
    return path_text(pointer)


def walk_strings(value: Any, pointer: tuple = ()) -> Iterator[tuple[tuple, str, bool]]:
    """Every string in a JSON-like value as `(pointer, text, is_key)`; keys are reported too."""
    if isinstance(value, str):
        yield pointer, value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield pointer + (key,), key, True
            yield from walk_strings(item, pointer + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_strings(item, pointer + (index,))
