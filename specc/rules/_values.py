"""Looking before indexing: a rule reads a body that may violate the schema (a string where a
list belongs), so it takes values through these, which give an empty one of the expected kind."""

from __future__ import annotations

from typing import Any


def as_list(value: Any) -> list[Any]:
    """`value` if it is a list, else an empty list: rules look before they index."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[Any, Any]:
    """`value` if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}
