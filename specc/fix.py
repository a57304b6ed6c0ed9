"""`specc lint --fix`: apply the mechanical fixes rules attach to their findings.

The spec is edited through ruamel.yaml's round-trip loader, so comments, key
order and quoting survive; the indentation is guessed from the file. A fix is
applied whole or not at all, and is skipped (the file keeps that finding) when
it cannot be applied safely:

- the finding is positioned in another file (an `extends` base or an include);
- an edit reaches into a value an `extends` base also defines, or into a
  `!file` include;
- a `{{ placeholder }}` is involved (the rule saw the rendered value, not the text);
- an edit's pointer is missing in the file (delete/rename), a rename target
  exists already, or a `set` would have to go through a non-mapping;
- another fix already edited the same part of the file in this pass.

After editing, the new text is parsed again and must hold exactly the data the
edits describe, or nothing is written. Files are written atomically.
"""

from __future__ import annotations

import copy
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml.nodes import MappingNode

from .diagnostics import Diagnostic, Edit
from .positions import INCLUDE_TAGS, _child, find_node

_MISSING = object()


class FixError(Exception):
    """Internal: why one fix cannot be applied safely."""


@dataclass
class FileFix:
    """The outcome of fixing one file: the old and new text, what was fixed and what was skipped (and why)."""

    path: str
    display: str
    original: str
    fixed: str
    applied: list[Diagnostic] = field(default_factory=list)
    skipped: list[tuple[Diagnostic, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        """A unified diff of the change (empty when nothing changed)."""
        return "".join(difflib.unified_diff(self.original.splitlines(True), self.fixed.splitlines(True),
                                            f"a/{self.display}", f"b/{self.display}"))

    def write(self) -> None:
        from .atomic import write_bytes_atomic

        write_bytes_atomic(self.path, self.fixed.encode("utf-8"))


# ---------------------------------------------------------------------------- safety checks on the loaded spec


def _raw_value(data: Any, pointer: tuple) -> Any:
    for step in pointer:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return _MISSING
    return data


def _has_placeholder(value: Any) -> bool:
    if isinstance(value, str):
        return "{{" in value
    if isinstance(value, dict):
        return any(_has_placeholder(k) or _has_placeholder(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_placeholder(v) for v in value)
    return False


def _through_include(node: Any, pointer: tuple) -> bool:
    """True when walking `pointer` from the composed `node` meets a `!file`-style include tag."""
    for step in pointer:
        if node.tag in INCLUDE_TAGS:
            return True
        found = _child(node, step)
        if found is None:
            return False
        node = found[0]
    return node.tag in INCLUDE_TAGS


def _shared_nodes(root: Any) -> set[int]:
    """ids of nodes reachable more than once (anchored and aliased): editing one would edit both places."""
    seen: set[int] = set()
    shared: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            shared.add(id(node))
            continue
        seen.add(id(node))
        if isinstance(node.value, list):
            for item in node.value:
                stack.extend(item if isinstance(item, tuple) else (item,))
    return shared


def _through_alias_or_merge(node: Any, pointer: tuple, shared: set[int]) -> bool:
    for step in (*pointer, None):
        if id(node) in shared:
            return True
        if isinstance(node.value, list) and node.value and isinstance(node.value[0], tuple) and any(
                getattr(key, "value", None) == "<<" for key, _ in node.value):
            return True
        if step is None:
            return False
        found = _child(node, step)
        if found is None:
            return False
        node = found[0]
    return False


def _base_defining(doc: Any, own_node: Any, pointer: tuple) -> str | None:
    """The path of an `extends` base that also defines `pointer`, unless the spec's own value replaces it there.

    Mappings merge with the base's; a list or scalar in the spec replaces the base's whole,
    so an edit under one is the spec's alone.
    """
    for depth in range(2, len(pointer) + 1):
        node, complete = find_node(own_node, pointer[:depth])
        if not complete:
            break
        if not isinstance(node, MappingNode):
            return None
    for base in doc.sources[1:]:
        if base.node is not None and find_node(base.node, pointer)[1]:
            return base.path
    return None


def why_unsafe(diagnostic: Diagnostic, doc: Any) -> str | None:
    """The reason `diagnostic`'s fix must not be applied to `doc`'s file, or None when it is safe."""
    own = doc.sources[0] if doc.sources else None
    if own is None or own.node is None or doc.data is None:
        return "the spec could not be loaded"
    if diagnostic.span.path != own.path:
        return f"the finding is in {diagnostic.span.path}, not in this file"
    raw_request = doc.data.get("request")
    pointers = [diagnostic.pointer[1:] if diagnostic.pointer else ()] + [e.pointer for e in diagnostic.fix.edits]
    shared = _shared_nodes(own.node)
    for edit in diagnostic.fix.edits:
        pointer = ("request", *edit.pointer)
        if _through_include(own.node, pointer):
            return "an edit reaches into a !file include"
        if _through_alias_or_merge(own.node, pointer, shared):
            return "an edit reaches into a YAML anchor, alias or `<<` merge"
        targets = [pointer] + ([(*pointer[:-1], edit.value)] if edit.op == "rename" else [])
        base = next((b for b in (_base_defining(doc, own.node, t) for t in targets) if b), None)
        if base is not None:
            return f"the value is (partly) defined in the extends base {base}"
        if _has_placeholder(edit.value):
            return "the fix would write a placeholder"
    for pointer in pointers:
        if _has_placeholder(_raw_value(raw_request, tuple(pointer))):
            return "a {{ placeholder }} is involved"
    return None


# ---------------------------------------------------------------------------- edits on round-trip data


def _container(root: Any, pointer: tuple, create: bool, chain: list | None = None) -> Any:
    """The collection at `pointer` (creating missing mappings when `create`); `chain` collects (parent, key) pairs."""
    from ruamel.yaml.comments import CommentedMap

    node = root
    for step in pointer:
        if chain is not None:
            chain.append((node, step))
        if isinstance(node, dict):
            if step not in node:
                if not create:
                    raise FixError(f"{'/'.join(map(str, pointer))} is missing")
                node[step] = CommentedMap()
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            raise FixError(f"{'/'.join(map(str, pointer))} is missing")
        if getattr(getattr(node, "tag", None), "value", None):  # a tagged node (e.g. !file): never edit through it
            raise FixError("an edit reaches into a tagged value")
    return node


def _replacement(old: Any, new: Any) -> Any:
    """`new` in the quoting style of the `old` scalar it replaces (ruamel keeps the style on the string type)."""
    from ruamel.yaml.scalarstring import ScalarString

    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)
    return _to_yaml(new)


def _shift_eol_comment(container: Any, key: Any, delta: int) -> None:
    """Keep an end-of-line comment as far from a replaced scalar as it was (ruamel keeps its absolute column)."""
    token = _comment_token(container, key)
    if token is not None and delta and not token.value.startswith("\n"):
        token.column = max(0, token.column + delta)


def _to_yaml(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        mapped = CommentedMap()
        for key, item in value.items():
            mapped[key] = _to_yaml(item)
        return mapped
    if isinstance(value, list):
        return CommentedSeq(_to_yaml(item) for item in value)
    return value


def _trailing_comment(container: Any, key: Any) -> tuple[Any, Any]:
    """The (container, key) whose comment slot holds the comments written after entry `key` (its last leaf)."""
    value = container[key]
    while isinstance(value, (dict, list)) and len(value) and not value.fa.flow_style():
        container, key = value, (list(value.keys())[-1] if isinstance(value, dict) else len(value) - 1)
        value = container[key]
    return container, key


def _comment_token(container: Any, key: Any) -> Any:
    slot = container.ca.items.get(key)
    if not slot:
        return None
    return slot[2] if isinstance(container, dict) else slot[0]


def _append_comment(holder: Any, key: Any, kept: str) -> None:
    """Add comment lines after entry `key` of `holder`."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    token = _comment_token(holder, key)
    if token is not None:
        token.value += kept
        return
    new = CommentToken("\n" + kept, CommentMark(0), None)
    holder.ca.items[key] = [new, None] if isinstance(holder, list) else [None, None, new, None]


def _delete(container: Any, key: Any, chain: list) -> None:
    """Delete entry `key`, keeping the comment lines written after it (ruamel stores them on the entry)."""

    if isinstance(container, dict) and key not in container or isinstance(container, list) and not (
            isinstance(key, int) and 0 <= key < len(container)):
        raise FixError(f"{key} is missing")
    holder, last = _trailing_comment(container, key)
    token = _comment_token(holder, last)
    kept = "".join(token.value.splitlines(True)[1:]) if token is not None else ""
    keys = list(container.keys()) if isinstance(container, dict) else list(range(len(container)))
    position = keys.index(key)
    if kept.strip("\n "):
        if position > 0 and isinstance(container, dict):
            _append_comment(*_trailing_comment(container, keys[position - 1]), kept)
        elif len(keys) == 1 and chain and isinstance(chain[-1][0], dict):
            _append_comment(chain[-1][0], chain[-1][1], kept)  # the emptied collection keeps them
        else:
            raise FixError("deleting it would lose a comment")
    container.ca.items.pop(key, None)
    del container[key]


def apply_edit(request: Any, edit: Edit) -> None:
    """Apply one edit to the round-trip `request` mapping; raises FixError when it does not fit."""
    *parents, last = edit.pointer
    if edit.op == "set":
        container = _container(request, tuple(parents), create=True)
        if not (isinstance(container, dict) or isinstance(container, list) and isinstance(last, int)
                and 0 <= last < len(container)):
            raise FixError("cannot set inside a non-mapping")
        if isinstance(container, list) or last in container:
            old = container[last]
            container[last] = _replacement(old, edit.value)
            if not isinstance(old, (dict, list)) and not isinstance(edit.value, (dict, list)):
                _shift_eol_comment(container, last, len(str(edit.value)) - len(str(old)))
        else:
            container[last] = _to_yaml(edit.value)
        return
    chain: list = []
    container = _container(request, tuple(parents), create=False, chain=chain)
    if edit.op == "delete":
        _delete(container, last, chain)
        return
    if edit.op == "rename":
        if not isinstance(container, dict) or last not in container:
            raise FixError(f"{last} is missing")
        if edit.value in container:
            raise FixError(f"{edit.value} exists already")
        position = list(container.keys()).index(last)
        comment = container.ca.items.pop(last, None)
        value = container.pop(last)
        container.insert(position, edit.value, value)
        if comment is not None:
            container.ca.items[edit.value] = comment
            token = comment[2]
            if token is not None and not token.value.startswith("\n"):  # an end-of-line comment: keep its distance
                token.column = token.column + len(str(edit.value)) - len(str(last))
        return
    raise FixError(f"unknown edit {edit.op!r}")


def _plain(value: Any) -> Any:
    """Round-trip data as plain data (tags kept as markers) for comparing before and after."""
    tag = getattr(getattr(value, "tag", None), "value", None)
    if isinstance(value, dict):
        plain: Any = {str(k): _plain(v) for k, v in value.items()}
    elif isinstance(value, list):
        plain = [_plain(v) for v in value]
    elif hasattr(value, "value") and tag:  # TaggedScalar
        plain = value.value
    else:
        plain = value if not isinstance(value, str) else str(value)
    return ("tag", tag, plain) if tag else plain


def _plain_edit(request: Any, edit: Edit) -> None:
    *parents, last = edit.pointer
    node = request
    for step in parents:
        if isinstance(node, dict):
            node = node.setdefault(step, {})
        else:
            node = node[step]
    if edit.op == "set":
        node[last] = copy.deepcopy(edit.value)
    elif edit.op == "delete":
        del node[last]
    else:
        if last not in node or edit.value in node:
            raise KeyError(last)
        items = list(node.items())
        node.clear()
        node.update((edit.value if k == last else k, v) for k, v in items)


# ---------------------------------------------------------------------------- one file


def _overlaps(pointer: tuple, others: Iterable[tuple]) -> bool:
    return any(pointer[:len(o)] == o or o[:len(pointer)] == pointer for o in others)


def guess_indent(text: str) -> tuple[int, int]:
    """(mapping indent, dash offset of block sequences) as the file writes them; (2, 0) when it cannot tell."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    mapping = offset = None
    for previous, line in zip(lines, lines[1:]):
        outer = len(previous) - len(previous.lstrip(" "))
        inner = len(line) - len(line.lstrip(" "))
        if inner <= outer or not previous.split(" #")[0].rstrip().endswith(":"):
            continue  # `line` does not open the block of `previous`
        if line.lstrip().startswith("- "):
            offset = inner - outer if offset is None else offset
        elif mapping is None and not previous.lstrip().startswith("- "):
            mapping = inner - outer
    return mapping or 2, offset or 0


def _new_yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never re-wrap long strings
    indent, sequence_offset = guess_indent(text)
    yaml.indent(mapping=indent, sequence=sequence_offset + 2, offset=sequence_offset)
    yaml.explicit_start = text.lstrip("\ufeff").startswith("---")
    return yaml


def plan_fixes(result: Any, path: str | Path) -> FileFix | None:
    """Apply the fixes of `result` (a CheckResult) to the text of its spec file; nothing is written."""
    fixable = [d for d in result.diagnostics if d.fix is not None and d.fix.edits]
    doc = result.document
    if not fixable or doc is None:
        return None
    raw = Path(path).read_bytes().decode("utf-8")
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw[len(bom):].replace("\r\n", "\n")
    outcome = FileFix(str(path), doc.path, raw, raw)
    try:
        yaml = _new_yaml(text)
        data = yaml.load(text)
    except Exception as exc:  # the round-trip loader is stricter than ours (duplicate keys, ...)
        outcome.skipped = [(d, f"the round-trip YAML loader cannot read the file: {type(exc).__name__}") for d in fixable]
        return outcome
    if not isinstance(data, dict) or not isinstance(data.get("request"), dict):
        outcome.skipped = [(d, "`request:` is not a mapping in this file") for d in fixable]
        return outcome
    expected = _plain(data)
    touched: list[tuple] = []
    for diagnostic in fixable:
        reason = why_unsafe(diagnostic, doc)
        pointers = [tuple(e.pointer) for e in diagnostic.fix.edits]
        if reason is None and _overlaps_any(pointers, touched):
            reason = "another fix edits the same place; run --fix again"
        if reason is None:
            edits = _without_redundant_deletes(diagnostic.fix.edits)
            try:
                rehearsal = copy.deepcopy(expected["request"])  # plain data: find a missing pointer before touching YAML
                for edit in edits:
                    _plain_edit(rehearsal, edit)
                for edit in edits:
                    apply_edit(data["request"], edit)
            except FixError as exc:
                reason = str(exc)
                data = yaml.load(text)  # start again from the file and replay the fixes that went in
                for done in outcome.applied:
                    for edit in _without_redundant_deletes(done.fix.edits):
                        apply_edit(data["request"], edit)
            except (KeyError, IndexError, TypeError, AttributeError):
                reason = "an edit's pointer is missing in the file"
            else:
                expected["request"] = rehearsal
                touched.extend(pointers)
                outcome.applied.append(diagnostic)
                continue
        outcome.skipped.append((diagnostic, reason))
    if not outcome.applied:
        return outcome
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    new_text = buffer.getvalue()
    try:
        reparsed = _plain(_new_yaml(new_text).load(new_text))
    except Exception:
        reparsed = _MISSING
    if reparsed != expected:
        outcome.skipped = [(d, "the edited YAML would not hold the intended data") for d in outcome.applied] + outcome.skipped
        outcome.applied = []
        return outcome
    outcome.fixed = bom + new_text.replace("\n", newline)
    return outcome


def _overlaps_any(pointers: list[tuple], touched: list[tuple]) -> bool:
    return any(_overlaps(p, touched) for p in pointers)


def _without_redundant_deletes(edits: Iterable[Edit]) -> list[Edit]:
    """Drop deletes inside a subtree the same fix deletes as a whole (deleting the whole keeps comments better)."""
    edits = list(edits)
    deleted = [tuple(e.pointer) for e in edits if e.op == "delete"]
    return [e for e in edits if not (e.op == "delete" and any(
        len(d) < len(e.pointer) and tuple(e.pointer[:len(d)]) == d for d in deleted))]
