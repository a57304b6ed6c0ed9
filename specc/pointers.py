"""JSON pointers as tuples (`("messages", 0, "content")`): reading a value at one.

One definition for every stage: the model's messages, the schema explanations and the check's
extension points read values the same way, and every message writes a pointer one way (`path_text`).
"""

from __future__ import annotations

from typing import Any


def path_text(pointer: tuple) -> str:
    """A pointer as people read it, the one style of every message and format:
    `request.messages[1].role` for `("request", "messages", 1, "role")` (empty for `()`)."""
    out = ""
    for step in pointer:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def value_at(data: Any, pointer: tuple) -> Any:
    """The value at `pointer` in `data`; KeyError, IndexError or TypeError when there is none."""
    for step in pointer:
        data = data[step]
    return data


def value_or_none(data: Any, pointer: tuple) -> Any:
    """The value at `pointer` in `data`, or None when the pointer leads nowhere."""
    try:
        return value_at(data, pointer)
    except (KeyError, IndexError, TypeError):
        return None
