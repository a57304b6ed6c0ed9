"""Reading JSON that came from outside: a server's reply, a cassette, an included `.json` file.

`json.loads` recurses once per nesting level and Python converts at most 4,300 digits to an
int, so `[` x 100,000 raises RecursionError and a 5,000-digit number a ValueError that reads
like a syntax error. `read_json` measures the nesting before parsing (no recursion, without
parsing twice when the text cannot nest that deep) and says what is wrong in either case.
Every place specc parses JSON it did not write itself goes through it.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

__all__ = ["MAX_JSON_DEPTH", "JSONProblem", "read_json"]

# As deep as a spec may nest (load.Limits.max_depth); the deepest of 1,179 recorded exchanges nests 10.
MAX_JSON_DEPTH = 100

# A JSON string (escapes included) or one bracket: strings are skipped whole, so brackets in them do not count.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class JSONProblem(ValueError):
    """Why a JSON text was not read: too deep, a number too long, or a syntax error (`msg`, with
    `lineno`/`colno` where known)."""

    def __init__(self, msg: str, lineno: int | None = None, colno: int | None = None):
        self.msg = msg
        self.lineno = lineno
        self.colno = colno
        where = f" at line {lineno} column {colno}" if lineno is not None else ""
        super().__init__(msg + where)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _too_deep_at(text: str, max_depth: int) -> int | None:
    """Index of the first bracket opening a level past `max_depth`, or None."""
    if text.count("[") + text.count("{") <= max_depth:
        return None  # cannot nest deeper: the common case costs two counts
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


def _int_or_refuse(digits: str) -> int:
    try:
        return int(digits)
    except ValueError:
        raise JSONProblem(f"a number of {len(digits.lstrip('-')):,} digits, over the "
                          f"{sys.get_int_max_str_digits():,}-digit limit") from None


def read_json(data: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The value of the JSON text `data` (bytes are decoded as `json.loads` would).

    Raises JSONProblem, a ValueError, when the text nests deeper than `max_depth`, holds an
    integer longer than Python converts, or is not JSON."""
    if isinstance(data, (bytes, bytearray)):
        try:
            text = bytes(data).decode(json.detect_encoding(data))
        except UnicodeDecodeError as exc:
            raise JSONProblem(f"not text in {exc.encoding}") from None
    else:
        text = data
    index = _too_deep_at(text, max_depth)
    if index is not None:
        raise JSONProblem(f"nested deeper than {max_depth} levels", *_position(text, index))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONProblem(exc.msg, exc.lineno, exc.colno) from None
    except RecursionError:  # the measure above makes this unreachable; kept so no reader can crash
        raise JSONProblem("nested deeper than the parser can follow") from None
    except ValueError:
        # Not a syntax error: only int() fails otherwise, on its digit limit. Parse again to say how long.
        json.loads(text, parse_int=_int_or_refuse)
        raise
