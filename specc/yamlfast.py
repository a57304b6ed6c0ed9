"""Fast YAML composition: libyaml's C composer with a resolver that does almost nothing.

ruamel.yaml's C parser calls back into Python to resolve the tag of every node, and
its versioned resolver spends most of that time working out the YAML version through
exception-driven attribute lookups: about three quarters of the time of a lint run.
Here the resolver only tells plain scalars from the rest, in constant time; the
loader then types plain scalars itself, by the YAML 1.2 core schema
(https://yaml.org/spec/1.2.2/#1032-tag-resolution), in `plain_value`.

`compose` drives the C parser directly rather than through `ruamel.yaml.YAML`, which
builds a new loader class (and looks for plug-ins) on every call: that set-up cost
more than composing a typical spec.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.cyaml import CParser
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
PLAIN = "tag:specc:plain"  # an untagged plain scalar: its type is decided by `plain_value`

# Singletons, so the walker can compare with `is` instead of formatting tags as strings.
PLAIN_TAG = Tag(suffix=PLAIN)
STR_TAG = Tag(suffix=STR)
SEQ_TAG = Tag(suffix=SEQ)
MAP_TAG = Tag(suffix=MAP)


class _PlainResolver(VersionedResolver):
    """Resolves in O(1): plain scalars get PLAIN_TAG, quoted ones STR_TAG, collections theirs."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Tag:
        if kind is ScalarNode:
            return PLAIN_TAG if implicit[0] else STR_TAG
        if kind is SequenceNode:
            return SEQ_TAG
        if kind is MappingNode:
            return MAP_TAG
        return STR_TAG


class _CComposer(CParser):
    """libyaml's parser and composer for one text, with `_PlainResolver`'s resolution.

    The C composer asks `resolve` for each node's tag and tells `descend_resolver` /
    `ascend_resolver` where it is, for path-based resolvers, which this one is not."""

    resolve = _PlainResolver.resolve

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def compose(text: str) -> Node | None:
    """The node tree of the single YAML document in `text` (None when empty), by libyaml.

    Raises ruamel.yaml's errors (MarkedYAMLError for syntax) like `YAML.compose`."""
    parser = _CComposer(text)
    try:
        return parser.get_single_node()
    finally:
        parser.dispose()


def new_yaml(pure: bool = False) -> YAML:
    """A YAML instance whose `compose` uses the C parser (or, `pure`, Python's) and the plain resolver.

    `compose` above is the fast way with the C parser; this is for the pure-Python parser."""
    yaml = YAML(typ="safe", pure=pure)
    yaml.Resolver = _PlainResolver
    return yaml


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
