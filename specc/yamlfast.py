"""Fast YAML composition: libyaml's C composer with a resolver that does almost nothing.

Composing is the largest part of linting a spec, so it uses PyYAML's binding of
libyaml (`yaml._yaml.CParser`), the leanest one: its nodes cost a quarter less to
build than ruamel.yaml's, and importing it does not import ruamel.yaml. (ruamel.yaml,
whose round-trip loader keeps comments, is what `--fix` edits with.) The parser
calls back into Python to resolve the tag of every node; here the resolver only
tells plain scalars from the rest, in constant time, and the loader types plain
scalars itself by the YAML 1.2 core schema
(https://yaml.org/spec/1.2.2/#1032-tag-resolution) in `plain_value`: PyYAML's own
resolvers implement YAML 1.1, where `on` and `no` are booleans.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.composer import Composer
from yaml.error import MarkedYAMLError, YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.scanner import Scanner

try:
    from yaml._yaml import CParser
except ImportError:  # a PyYAML built without libyaml: the pure composer below gives the same nodes, slower
    CParser = None

__all__ = ["MAP", "PLAIN", "SEQ", "STR", "MappingNode", "MarkedYAMLError", "Node", "ScalarNode", "SequenceNode",
           "YAMLError", "C_BOUNDS_NESTING", "NumberTooLong", "ReaderError", "compose", "compose_c", "compose_pure", "could_nest_deeper",
           "events_nest_deeper",
           "explicit_value", "plain_value"]

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
PLAIN = "tag:specc:plain"  # an untagged plain scalar: its type is decided by `plain_value`


class _PlainResolution:
    """Resolves in O(1): plain scalars get PLAIN, quoted ones STR, collections theirs.

    The composers ask `resolve` for each untagged node's tag and tell `descend_resolver`
    / `ascend_resolver` where they are, for path-based resolvers, which this one is not."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return PLAIN if implicit[0] else STR
        if kind is SequenceNode:
            return SEQ
        if kind is MappingNode:
            return MAP
        return STR

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _CComposer(_PlainResolution, CParser or object):  # type: ignore[misc]  # no CParser without libyaml
    """libyaml's parser and composer for one text."""


class _PureComposer(_PlainResolution, Reader, Scanner, Parser, Composer):
    """PyYAML's pure-Python parser and composer for one text: slower, but a too-deep
    document ends in a RecursionError rather than in a crash of libyaml's C stack."""

    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)


def compose_pure(text: str) -> Node | None:
    """The node tree of the single YAML document in `text` (None when empty), in pure Python.

    Raises PyYAML's errors: MarkedYAMLError (with marks) for syntax, YAMLError otherwise."""
    composer = _PureComposer(text)
    try:
        return composer.get_single_node()
    finally:
        composer.dispose()


def compose_c(text: str) -> Node | None:
    """`compose_pure`, by libyaml: the same nodes and errors, several times faster."""
    parser = _CComposer(text)
    try:
        return parser.get_single_node()
    finally:
        parser.dispose()


compose = compose_c if CParser is not None else compose_pure


def _c_composer_bounds_nesting() -> bool:
    """Whether libyaml refuses deep nesting itself (0.2.6 stops at 1,000 levels with "exceeded
    maximum nesting depth"); older versions recurse in C until the process crashes."""
    if CParser is None:
        return False
    try:
        compose_c("[" * 1_001)  # shallow enough for any C stack, deep enough to meet the limit
    except MarkedYAMLError as exc:
        return "nesting depth" in str(exc.problem)
    return False


C_BOUNDS_NESTING = _c_composer_bounds_nesting()

# The start of a line up to where a block collection can begin: indentation, the indicators `- ? :`
# and node properties (`&anchor`, `!tag`).
_BLOCK_PREFIX = re.compile(r"^(?:[ \t?:-]|[&!][^ \t\r\n]*)*", re.MULTILINE)


def could_nest_deeper(text: str, depth: int) -> bool:
    """False only when `text` surely nests no deeper than `depth` (never a false False).

    Flow collections need one `[` or `{` a level, counted wherever they are. A block collection
    starts further right than its parent, or, a sequence under a mapping key, in the same column
    (at most two levels a column), and a block collection starts only after indentation,
    indicators and properties: the longest such line prefix bounds the block levels."""
    flow = text.count("[") + text.count("{")
    if flow > depth:
        return True
    widest = max((len(prefix) for prefix in _BLOCK_PREFIX.findall(text)), default=0)
    return flow + 2 * (widest + 1) > depth


def events_nest_deeper(text: str, depth: int) -> bool:
    """Whether the YAML in `text` nests deeper than `depth`, measured exactly on libyaml's parser
    events: the parser keeps its own stack (only the composer recurses in C), so any depth is safe.
    Raises the parser's errors, as composing would."""
    from yaml.events import CollectionEndEvent, CollectionStartEvent, StreamEndEvent

    parser = _CComposer(text)
    try:
        level = 0
        while True:
            event = parser.get_event()
            if isinstance(event, CollectionStartEvent):
                level += 1
                if level > depth:
                    return True
            elif isinstance(event, CollectionEndEvent):
                level -= 1
            elif event is None or isinstance(event, StreamEndEvent):
                return False
    finally:
        parser.dispose()


_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
_CONSTANTS: dict[str, Any] = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
}
# Only text starting with one of these can be a number; other non-strings are the constants above.
_NUMBER_START = frozenset("0123456789+-.")


class NumberTooLong(ValueError):
    """A decimal integer longer than Python converts (`sys.get_int_max_str_digits()`, 4,300 by default)."""

    def __init__(self, digits: int):
        import sys

        self.digits = digits
        self.limit = sys.get_int_max_str_digits()
        super().__init__(f"an integer of {digits:,} digits, over the {self.limit:,}-digit limit")


def plain_value(text: str) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema.

    Raises NumberTooLong for an integer with more digits than Python converts."""
    if not text or text[0] not in _NUMBER_START:
        return _CONSTANTS.get(text, text)
    if _INT.match(text):
        try:
            return int(text)
        except ValueError:  # only the digit limit fails here: the text is digits
            raise NumberTooLong(len(text.lstrip("+-"))) from None
    if _FLOAT.match(text):
        return float(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _INF.match(text):
        return float("-inf") if text[0] == "-" else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


def explicit_value(tag: str, text: str) -> tuple[bool, Any]:
    """Values of the explicit core tags (`!!str`, `!!int`, ...): (known, value)."""
    if tag == STR:
        return True, text
    if tag == "tag:yaml.org,2002:null":
        return True, None
    if tag == "tag:yaml.org,2002:bool":
        lowered = text.lower()
        if lowered in ("true", "false"):
            return True, lowered == "true"
        raise ValueError(f"{text!r} is not a boolean")
    if tag == "tag:yaml.org,2002:int":
        value = plain_value(text)  # NumberTooLong passes through: the caller says it is a limit
        if isinstance(value, int) and not isinstance(value, bool):
            return True, value
        raise ValueError(f"{text!r} is not an integer")
    if tag == "tag:yaml.org,2002:float":
        value = plain_value(text)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return True, float(value)
            except OverflowError:
                raise ValueError(f"{text[:20]!r}... is too large for a number") from None
        raise ValueError(f"{text!r} is not a number")
    if tag == "tag:yaml.org,2002:timestamp":
        return True, text  # JSON has no dates: keep the text as written
    return False, None
