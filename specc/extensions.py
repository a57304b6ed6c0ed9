"""Extension points: the places in a request where OpenRouter adds values every few weeks.

Server tools (`openrouter:*` tool types), plugin ids, web-search engines, reasoning efforts,
verbosity levels, provider sorts and quantizations grow faster than a vendored schema is
refreshed. A value there that the schema lacks, and that is not close to a value it knows
(a typo keeps its S101 error and did-you-mean), is more likely new than wrong: S103 says so as
a warning, with the schema's date and the command that refreshes it.
"""

from __future__ import annotations

from typing import Any

# Patterns over a request-body pointer; "*" stands for any list index.
EXTENSION_POINTS: tuple[tuple[str, ...], ...] = (
    ("tools", "*", "type"),
    ("plugins", "*", "id"),
    ("plugins", "*", "engine"),
    ("tools", "*", "parameters", "engine"),
    ("reasoning", "effort"),
    ("verbosity",),
    ("provider", "sort"),
    ("provider", "sort", "by"),
    ("provider", "quantizations", "*"),
)

REFRESH_COMMAND = "specc schema vendor https://openrouter.ai/openapi.yaml"


def is_extension_point(pointer: tuple) -> bool:
    """Whether `pointer` (into the request body) is a place OpenRouter keeps adding values to."""
    return any(len(pattern) == len(pointer) and all(p == "*" and isinstance(step, int) or p == step
                                                    for p, step in zip(pattern, pointer))
               for pattern in EXTENSION_POINTS)


def may_be_new(pointer: tuple, value: Any) -> bool:
    """A value at an extension point that could be one OpenRouter added after the vendored schema.
    A tool type is only an extension when it is a server tool (`openrouter:...`)."""
    if not isinstance(value, str) or not is_extension_point(pointer):
        return False
    return not (pointer[0] == "tools" and len(pointer) == 3) or value.startswith("openrouter:")


def new_value_note(schema_date: str | None) -> str:
    """What S103 adds to the schema's own message."""
    dated = f"the vendored schema ({schema_date})" if schema_date else "the vendored schema"
    return f"; if OpenRouter added it after {dated}, refresh with `{REFRESH_COMMAND}`"
