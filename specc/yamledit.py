"""Edit YAML through ruamel.yaml's round-trip loader, keeping comments, key order, quoting and indentation.

`apply_edit` applies one `diagnostics.Edit` (set / delete / rename at a pointer)
to round-trip data; `new_yaml` is a loader/dumper set up to write a file back the
way it was written. ruamel keeps the comments after an entry on that entry, so a
delete moves them to the entry before; a rename or a replaced scalar keeps its
end-of-line comment at the same distance.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from .diagnostics import Edit
from .pointers import path_text


class FixError(Exception):
    """Internal: why one fix cannot be applied safely."""


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
                    raise FixError(f"{path_text(pointer)} is missing")
                node[step] = CommentedMap()
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            raise FixError(f"{path_text(pointer)} is missing")
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
    value: Any = container[key]  # ruamel's CommentedMap/CommentedSeq: `.fa`, `.ca`, `.insert`
    while isinstance(value, (dict, list)) and len(value) and not value.fa.flow_style():  # type: ignore[union-attr]
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
    if token is not None and not token.value.startswith("\n") and token.value.strip():
        # its end-of-line comment stays, as a line of its own where the entry was
        column = _key_column(container, key)
        kept = " " * column + token.value.splitlines()[0].strip() + "\n" + kept
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


def _key_column(container: Any, key: Any) -> int:
    """The column `key` was written at (0 when ruamel does not know it)."""
    if not hasattr(container, "lc"):
        return 0
    where: Any = container.lc  # ruamel's line/column record of a CommentedMap or CommentedSeq
    try:
        return int(where.key(key)[1]) if isinstance(container, dict) else int(where.item(key)[1])
    except (AttributeError, KeyError, TypeError, IndexError):
        return 0


def _take_eol_comment(container: Any, key: Any) -> tuple[str, int] | None:
    """Take the end-of-line comment off the scalar entry `key` (its text and column), leaving
    the comment lines after it where they are; None when it has none."""
    if isinstance(container[key], (dict, list)):
        return None
    token = _comment_token(container, key)
    if token is None or token.value.startswith("\n") or not token.value.strip():
        return None
    first, *rest = token.value.splitlines(True)
    token.value = "\n" + "".join(rest)
    return first.strip(), token.column


def _put_eol_comment(request: Any, pointer: tuple, comment: tuple[str, int]) -> None:
    """Write `comment` at the end of the last line of the entry at `pointer`, at its old column
    (or one space after the value, when the line is longer now)."""
    container = _container(request, tuple(pointer[:-1]), create=False)
    holder, last = _trailing_comment(container, pointer[-1])
    text, column = comment
    holder.yaml_add_eol_comment(text, last, column=column)


def apply_edits(request: Any, edits: list[Edit]) -> None:
    """Apply a fix's edits in order. A key that a `set` creates takes the place of a key the same
    fix deleted from that mapping (a replacement stays where it was); otherwise it goes at the end.
    A replacement keeps the end-of-line comment of the line it rewrites, on its own last line."""
    freed: dict[int, int] = {}  # id(mapping) -> position of a key deleted from it
    replacing = any(edit.op == "set" for edit in edits)
    moved: tuple[str, int] | None = None  # the comment of the entry a replacement took the place of
    for edit in edits:
        if edit.op == "delete":
            container = _container(request, tuple(edit.pointer[:-1]), create=False)
            if isinstance(container, dict) and edit.pointer[-1] in container:
                freed.setdefault(id(container), list(container).index(edit.pointer[-1]))
                if replacing and moved is None:
                    moved = _take_eol_comment(container, edit.pointer[-1])
        elif edit.op == "set" and freed:
            _make_room(request, tuple(edit.pointer), freed)
        apply_edit(request, edit)
        if edit.op == "set" and moved is not None:
            _put_eol_comment(request, tuple(edit.pointer), moved)
            moved = None


def _make_room(request: Any, pointer: tuple, freed: dict[int, int]) -> None:
    """Create the first missing key along `pointer` at a freed position, if its mapping has one."""
    from ruamel.yaml.comments import CommentedMap

    node: Any = request  # a CommentedMap (it has `.insert`), not a plain dict
    for index, step in enumerate(pointer):
        if not isinstance(node, dict):
            return
        if step not in node:
            if id(node) in freed:
                node.insert(freed.pop(id(node)), step, CommentedMap() if index < len(pointer) - 1 else None)  # type: ignore[attr-defined]
            return
        node = node[step]


def apply_edit(request: Any, edit: Edit) -> None:
    """Apply one edit to the round-trip `request` mapping; raises FixError when it does not fit."""
    last: Any  # a key of a mapping or an index of a list: checked against the container below
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
        mapping: Any = container  # a CommentedMap: its comments (`.ca`) and `.insert` move with the key
        position = list(mapping.keys()).index(last)
        comment = mapping.ca.items.pop(last, None)
        value = mapping.pop(last)
        mapping.insert(position, edit.value, value)
        if comment is not None:
            mapping.ca.items[edit.value] = comment
            token = comment[2]
            if token is not None and not token.value.startswith("\n"):  # an end-of-line comment: keep its distance
                token.column = token.column + len(str(edit.value)) - len(str(last))
        return
    raise FixError(f"unknown edit {edit.op!r}")


def plain(value: Any) -> Any:
    """Round-trip data as plain data (tags kept as markers) for comparing before and after."""
    tag = getattr(getattr(value, "tag", None), "value", None)
    if isinstance(value, dict):
        result: Any = {str(k): plain(v) for k, v in value.items()}
    elif isinstance(value, list):
        result = [plain(v) for v in value]
    elif hasattr(value, "value") and tag:  # TaggedScalar
        result = value.value
    else:
        result = value if not isinstance(value, str) else str(value)
    return ("tag", tag, result) if tag else result


def plain_edit(request: Any, edit: Edit) -> None:
    """Apply `edit` to plain data (a rehearsal: raises KeyError/IndexError/TypeError where it does not fit)."""
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


@functools.lru_cache(maxsize=1)
def _null_spelling_representer() -> type:
    """ruamel's round-trip representer, but writing None as `null` (its default is an empty value)."""
    from ruamel.yaml.representer import RoundTripRepresenter

    class NullRepresenter(RoundTripRepresenter):
        def represent_none(self, data: None) -> Any:
            return self.represent_scalar("tag:yaml.org,2002:null", "null")

    NullRepresenter.add_representer(type(None), NullRepresenter.represent_none)
    return NullRepresenter


def new_yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never re-wrap long strings
    indent, sequence_offset = guess_indent(text)
    yaml.indent(mapping=indent, sequence=sequence_offset + 2, offset=sequence_offset)
    yaml.explicit_start = text.lstrip("\ufeff").startswith("---")
    yaml.Representer = _null_spelling_representer()
    return yaml
