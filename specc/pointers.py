"""JSON pointers as tuples (`("messages", 0, "content")`): reading a value at one.

One definition for every stage: the model's messages, the schema explanations and the check's
extension points read values the same way.
"""

from __future__ import annotations

from typing import Any


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
