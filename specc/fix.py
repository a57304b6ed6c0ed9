"""`specc lint --fix`: apply the mechanical fixes rules attach to their findings.

The spec is edited through ruamel.yaml's round-trip loader (`yamledit.py`), so
comments, key order and quoting survive; the indentation is guessed from the file. A fix is
applied whole or not at all, and is skipped (the file keeps that finding) when
it cannot be applied safely:

- the finding is positioned in another file (an `extends` base or an include);
- an edit reaches into a value an `extends` base also defines, into a
  `!file` include, or through a YAML anchor/alias or `<<` merge;
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
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .diagnostics import Diagnostic, Edit
from .positions import INCLUDE_TAGS, _child, find_node
from .yamledit import FixError, apply_edits, new_yaml, plain, plain_edit
from .yamlfast import MappingNode

_MISSING = object()


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
        shown = posixpath.normpath(self.display.replace(os.sep, "/"))
        return "".join(difflib.unified_diff(self.original.splitlines(True), self.fixed.splitlines(True),
                                            f"a/{shown}", f"b/{shown}"))

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
    if diagnostic.fix is None:
        return "the finding has no fix"
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


# ---------------------------------------------------------------------------- one file


def _overlaps(pointer: tuple, others: Iterable[tuple]) -> bool:
    return any(pointer[:len(o)] == o or o[:len(pointer)] == pointer for o in others)


def plan_fixes(result: Any, path: str | Path, text: str | None = None) -> FileFix | None:
    """Apply the fixes of `result` (a CheckResult) to the text of its spec file (or to `text`, the
    content that was checked, when it is not the file's: an editor's buffer); nothing is written."""
    fixable = [d for d in result.diagnostics if d.fix is not None and d.fix.edits]
    unavailable = [(d, d.fix.description) for d in result.diagnostics if d.fix is not None and not d.fix.edits]
    doc = result.document
    if not (fixable or unavailable) or doc is None:
        return None
    raw = Path(path).read_bytes().decode("utf-8") if text is None else text
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw[len(bom):].replace("\r\n", "\n")
    outcome = FileFix(str(path), doc.path, raw, raw, skipped=list(unavailable))
    if not fixable:
        return outcome
    try:
        yaml = new_yaml(text)
        data = yaml.load(text)
    except Exception as exc:  # the round-trip loader is stricter than ours (duplicate keys, ...)
        outcome.skipped += [(d, f"the round-trip YAML loader cannot read the file: {type(exc).__name__}") for d in fixable]
        return outcome
    if not isinstance(data, dict) or not isinstance(data.get("request"), dict):
        outcome.skipped += [(d, "`request:` is not a mapping in this file") for d in fixable]
        return outcome
    expected = plain(data)
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
                    plain_edit(rehearsal, edit)
                apply_edits(data["request"], edits)
            except FixError as exc:
                reason = str(exc)
                data = yaml.load(text)  # start again from the file and replay the fixes that went in
                for done in outcome.applied:  # applied findings all have a fix
                    apply_edits(data["request"], _without_redundant_deletes(done.fix.edits if done.fix else ()))
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
        reparsed = plain(new_yaml(new_text).load(new_text))
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
