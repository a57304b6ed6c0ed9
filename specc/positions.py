"""From a JSON pointer into loaded data back to the YAML text it came from.

The loader keeps the composed node tree of every file that contributed to a spec
(the spec itself and its `extends` bases). Nodes carry line/column marks, so a
position is found on demand by walking the tree along the pointer: nothing is
computed for the (usual) values that draw no diagnostic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .diagnostics import Span
from .yamlfast import MappingNode, Node, ScalarNode, SequenceNode

Pointer = tuple[str | int, ...]  # a JSON pointer, as the keys and indexes along the path


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
INCLUDE_TAGS = frozenset({"!file", "!data-url", "!base64"})


def node_span(path: str, node: Node) -> Span:
    start = node.start_mark
    end_line, end_column = _end(node)
    return Span(path, start.line + 1, start.column + 1, end_line, end_column)


def _end(node: Node) -> tuple[int, int]:
    """Where `node`'s text ends (1-based, exclusive). A block collection's own end mark is where the
    next item begins, so its end is its last child's; a block scalar's is cut to its first line."""
    last = node
    while isinstance(last, (MappingNode, SequenceNode)) and not last.flow_style and last.value:
        item = last.value[-1]
        last = item[1] if isinstance(item, tuple) else item
    start, end = last.start_mark, last.end_mark
    if end.line > start.line and end.column == 0:
        return start.line + 1, start.column + 1
    return end.line + 1, end.column + 1


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


def narrow_to_text(sources: list[Source], span: Span, needle: str, occurrence: int = 0) -> Span:
    """Within `span`, the place where `needle` is written (its `occurrence`-th time), else `span`.

    Used to point at a placeholder inside a long string rather than at the whole string; a
    needle written differently in the source (escapes, folded lines) leaves the span as it is.
    """
    source = next((s for s in sources if s.path == span.path and s.text), None)
    if source is None or not needle or span.line < 1:
        return span
    lines = source.text.splitlines()
    if span.line > len(lines):
        return span
    seen = 0
    for number, start, end in _regions(lines, span):
        line = lines[number - 1]
        index = line.find(needle, start, end)
        while index >= 0:
            if seen == occurrence:
                return Span(span.path, number, index + 1, number, index + 1 + len(needle))
            seen += 1
            index = line.find(needle, index + len(needle), end)
    return span


def _regions(lines: list[str], span: Span):
    """(line number, start, end) pieces of source text that `span` covers; a block scalar
    (`|` or `>`, whose span is cut to its first line) extends over its more-indented lines."""
    first = lines[span.line - 1]
    if span.end_line == span.line and span.end_column > span.column:
        yield span.line, span.column - 1, span.end_column - 1
    else:
        yield span.line, span.column - 1, len(first)
    if first[span.column - 1:span.column] in ("|", ">"):
        indent = len(first) - len(first.lstrip())
        for number in range(span.line + 1, len(lines) + 1):
            text = lines[number - 1]
            if text.strip() and len(text) - len(text.lstrip()) <= indent:
                break
            yield number, 0, len(text)
    else:
        for number in range(span.line + 1, min(span.end_line, len(lines)) + 1):
            yield number, 0, len(lines[number - 1]) if number < span.end_line else span.end_column - 1
