"""From a JSON pointer into loaded data back to the YAML text it came from.

The loader keeps the composed node tree of every file that contributed to a spec
(the spec itself and its `extends` bases). Nodes carry line/column marks, so a
position is found on demand by walking the tree along the pointer: nothing is
computed for the (usual) values that draw no diagnostic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Span

Pointer = tuple  # tuple[str | int, ...]


@dataclass(frozen=True)
class Source:
    """One YAML file that contributed to a spec; `prefix` is where its root sits in the spec."""

    path: str
    node: Node | None
    text: str


def _child(node: Node, step: Any) -> tuple[Node, Node | None] | None:
    """The value node (and key node) under `node` at `step`, or None."""
    if isinstance(node, MappingNode):
        # Later duplicates never survive loading, so the first match is the one.
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == step:
                return value_node, key_node
        return None
    if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step], None
    return None


def find_node(root: Node, pointer: Pointer, key: bool = False) -> tuple[Node, bool]:
    """Walk `pointer` from `root`; return the deepest node reached and whether it is the full path.

    With `key=True` and a mapping key at the end of the path, the key node is returned
    (to point at an unknown key rather than at its value).
    """
    node = root
    for index, step in enumerate(pointer):
        if node.tag in INCLUDE_TAGS:
            return node, True  # an include covers everything below it
        found = _child(node, step)
        if found is None:
            return node, False
        value_node, key_node = found
        if key and key_node is not None and index == len(pointer) - 1:
            return key_node, True
        node = value_node
    return node, True


# Tags whose node stands for data read from another file: positions stop there.
INCLUDE_TAGS = frozenset({"!file", "!data-url"})


def node_span(path: str, node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    end_line, end_column = end.line + 1, end.column + 1
    if end_line > start.line + 1 and end.column == 0:
        # Block collections end at the start of the next line; point at the end of the last one instead.
        end_line, end_column = start.line + 1, start.column + 1
    return Span(path, start.line + 1, start.column + 1, end_line, end_column)


def locate(sources: list[Source], pointer: Pointer, key: bool = False) -> Span:
    """The span of the value at `pointer`, looked up in `sources` (highest precedence first)."""
    best: tuple[int, Source, Node] | None = None
    for source in sources:
        if source.node is None:
            continue
        node, complete = find_node(source.node, pointer, key=key)
        if complete:
            return node_span(source.path, node)
        depth = _depth(source.node, node, pointer)
        if best is None or depth > best[0]:
            best = (depth, source, node)
    if best is None:
        return Span(sources[0].path if sources else "<unknown>", 1, 1, 1, 1)
    return node_span(best[1].path, best[2])


def _depth(root: Node, target: Node, pointer: Pointer) -> int:
    node, depth = root, 0
    for step in pointer:
        if node is target:
            return depth
        found = _child(node, step)
        if found is None:
            break
        node, depth = found[0], depth + 1
    return depth
