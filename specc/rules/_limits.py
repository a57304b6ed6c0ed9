"""Helpers for the OR3xx (streaming, debug, usage switches) and OR4xx (limits, ranges) rules.

Like the other private rule helpers, everything here tolerates a body that violates
the schema: a string where a number belongs is "not a number", never an exception.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, TypeGuard

from ._rule import RuleContext

# Function tool names and `response_format.json_schema.name` share one shape.
NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
NAME_MAX_LENGTH = 64


def is_number(value: Any) -> TypeGuard[int | float]:
    """A JSON number: an int or a float, never a bool (YAML `true` is not 1 here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_whole(value: Any) -> bool:
    """A number with no fractional part (`100` and `100.0` both are: JSON cannot tell them apart)."""
    if isinstance(value, int):  # float(huge int) overflows; an int is whole whatever its size
        return not isinstance(value, bool)
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()


def shown(value: Any) -> str:
    """A value as the spec would write it (`true`, `null`, `"100"`), for messages."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def streams(body: dict[str, Any]) -> bool:
    """Whether the request streams (only a literal `stream: true` does)."""
    return body.get("stream") is True


def enabled_plugins(ctx: RuleContext, plugin_id: str) -> list[int]:
    """Indexes of `plugins` entries with `id == plugin_id` that are not switched off by `enabled: false`."""
    return [index for index, plugin in ctx.plugins
            if plugin.get("id") == plugin_id and plugin.get("enabled") is not False]


def name_problem(name: str) -> str | None:
    """Why `name` is not a valid tool / schema name (None when it is)."""
    if not name:
        return "is empty"
    if len(name) <= NAME_MAX_LENGTH and NAME_PATTERN.fullmatch(name):
        return None  # the usual case, in one match rather than one per character
    bad = sorted({char for char in name if not NAME_PATTERN.fullmatch(char)})
    problems = []
    if bad:
        shown = ", ".join(repr(char) for char in bad)
        problems.append(f"contains {shown}")
    if len(name) > NAME_MAX_LENGTH:
        problems.append(f"is {len(name)} characters long")
    return " and ".join(problems) or None


def suggest_name(name: str) -> str:
    """A valid name close to `name`: invalid runs become `_`, cut to the length limit."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_")[:NAME_MAX_LENGTH].rstrip("_")
    return cleaned or "unnamed"


def delete_in(container: dict[str, Any], parent: str, key: str) -> tuple:
    """The pointer to delete so that `parent.key` goes away: the parent itself when `key` is all it holds."""
    return (parent,) if set(container) == {key} else (parent, key)
