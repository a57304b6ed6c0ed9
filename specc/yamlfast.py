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
from yaml.reader import Reader
from yaml.scanner import Scanner

try:
    from yaml._yaml import CParser
except ImportError:  # a PyYAML built without libyaml: the pure composer below gives the same nodes, slower
    CParser = None

__all__ = ["MAP", "PLAIN", "SEQ", "STR", "MappingNode", "MarkedYAMLError", "Node", "ScalarNode", "SequenceNode",
           "YAMLError", "compose", "compose_c", "compose_pure", "explicit_value", "plain_value"]

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


class _CComposer(_PlainResolution, CParser or object):
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


def plain_value(text: str) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema."""
    if not text or text[0] not in _NUMBER_START:
        return _CONSTANTS.get(text, text)
    if _INT.match(text):
        return int(text)
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
        value = plain_value(text)
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
