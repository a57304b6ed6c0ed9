"""What the language server knows, without the protocol: plain data in, plain data out.

Checking goes through `specc lint`'s own pieces (the nearest config, `build_checker`, the
checker's suppressions and the project's catalog), on the editor's buffers instead of the
saved files, so the editor and CI say the same. Positions here are specc's: 1-based lines and
columns in characters; the protocol layer converts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..diagnostics import Diagnostic, Severity, Span

SUFFIXES = (":free", ":nitro", ":floor", ":online", ":thinking", ":exacto", ":extended")
MODEL_PATHS = (("request", "model"), ("request", "models", "*"))


# ---------------------------------------------------------------- projects: config, checker, catalog


@dataclass
class Project:
    """The config, checker and catalog `specc lint` would use for specs under one config file."""

    config: Any
    checker: Any = None
    error: str | None = None  # the config or the checker could not be built: why
    catalog: Any = None


class Projects:
    """One `Project` per config file, rebuilt when that file changes (mtime and size)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str | None, str | None], tuple[tuple, Project]] = {}

    def for_path(self, path: Path) -> Project:
        """The project of the spec at `path`. Without a config file, the spec's project root stands
        for the current folder `specc lint` would be run from (where the catalog is looked for)."""
        from ..config import ConfigError, find_config_path

        source = find_config_path(str(path))
        root = None if source is not None else str(project_root(Path(path)))
        stamp = _stamp(source)
        cached = self._cache.get((source, root))
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            project = _build_project(source, root)
        except ConfigError as exc:
            from ..config import Config

            project = Project(Config(), error=str(exc))
        self._cache[(source, root)] = (stamp, project)
        return project


def _stamp(source: str | None) -> tuple:
    if source is None:
        return ()
    try:
        info = os.stat(source)
    except OSError:
        return ("missing",)
    return (info.st_mtime_ns, info.st_size)


def _build_project(source: str | None, root: str | None) -> Project:
    from ..catalog import CatalogError, load_project_catalog
    from ..config import load_config
    from ..lint import build_checker

    config = load_config(source)
    if root is not None and config.root is None:
        config = config.replace(root=root)
    checker = build_checker(config, strict_placeholders=False)  # what `specc lint` says
    catalog = checker.catalog
    if catalog is None:  # hover and completion use the catalog even when no catalog rule runs
        try:
            catalog = load_project_catalog(config)
        except CatalogError:
            catalog = None
    return Project(config, checker, catalog=catalog)


# ---------------------------------------------------------------- checking buffers


@dataclass
class Checked:
    """One check of one spec: its diagnostics, the files it read (real paths), and the result."""

    path: Path
    text: str
    diagnostics: list[Diagnostic]
    files: set[str] = field(default_factory=set)
    result: Any = None
    error: str | None = None


def check_buffer(projects: Projects, path: Path, text: str, buffers: Mapping[str, str]) -> Checked:
    """Check `text` as the spec at `path`, with the other open `buffers` (real path -> text)
    standing in for the files they edit, exactly as `specc lint` would check the saved files."""
    project = projects.for_path(path)
    if project.error or project.checker is None:
        return Checked(path, text, [], error=project.error)
    display = os.fspath(path)
    result = project.checker.check_text(path, text, display=display, texts=buffers)
    files = {os.path.realpath(f) for f in (result.document.files if result.document is not None else [])}
    return Checked(path, text, list(result.diagnostics), files, result)


def diagnostic_file(diagnostic: Diagnostic, spec: Path) -> str:
    """The real path of the file a diagnostic is positioned in."""
    where = diagnostic.span.path
    candidate = where if os.path.isabs(where) else os.path.join(os.path.dirname(spec), where)
    return os.path.realpath(candidate)


def is_suppressible(code: str) -> bool:
    from ..selection import is_locked

    return not is_locked(code)


# ---------------------------------------------------------------- code actions


@dataclass(frozen=True)
class TextAction:
    """A code action as a whole-buffer rewrite: a title, the new text, the diagnostic it answers."""

    title: str
    new_text: str
    diagnostic: Diagnostic
    kind: str  # "quickfix"


def fix_actions(checked: Checked, diagnostics: list[Diagnostic]) -> list[TextAction]:
    """Each `--fix` among `diagnostics` as a quick fix, planned on the buffer by `specc.fix`."""
    from ..fix import plan_fixes

    actions = []
    for diagnostic in diagnostics:
        if diagnostic.fix is None or not diagnostic.fix.edits or checked.result is None:
            continue
        single = _with_diagnostics(checked.result, [diagnostic])
        plan = plan_fixes(single, checked.path, text=checked.text)
        if plan is not None and plan.changed and plan.applied:
            actions.append(TextAction(f"{diagnostic.code}: {diagnostic.fix.description}", plan.fixed, diagnostic, "quickfix"))
    return actions


def _with_diagnostics(result: Any, diagnostics: list[Diagnostic]) -> Any:
    import copy

    single = copy.copy(result)
    single.diagnostics = diagnostics
    return single


def ignore_actions(projects: Projects, checked: Checked, diagnostics: list[Diagnostic],
                   buffers: Mapping[str, str]) -> list[TextAction]:
    """`# specc: ignore[CODE]` on the diagnostic's line, offered only where a re-check shows it
    silences that diagnostic (not inside a block scalar, not for codes that cannot be suppressed)."""
    actions = []
    own = os.path.realpath(checked.path)
    for diagnostic in diagnostics:
        if not is_suppressible(diagnostic.code) or diagnostic.span.line < 1 or diagnostic_file(diagnostic, checked.path) != own:
            continue
        new_text = with_ignore_comment(checked.text, diagnostic.span.line, diagnostic.code)
        if new_text is None:
            continue
        after = check_buffer(projects, checked.path, new_text, buffers)
        if not any(d.code == diagnostic.code and d.span.line == diagnostic.span.line for d in after.diagnostics):
            actions.append(TextAction(f"{diagnostic.code}: add `# specc: ignore[{diagnostic.code}]` on line {diagnostic.span.line}",
                                      new_text, diagnostic, "quickfix"))
    return actions


_IGNORE = re.compile(r"#\s*specc:\s*ignore\[(?P<keys>[^\]]*)\]")


def with_ignore_comment(text: str, line: int, code: str) -> str | None:
    """`text` with `code` added to line `line`'s `# specc: ignore[...]` (or a new one at its end)."""
    from ..suppress import comment_start

    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    current = lines[line - 1]
    body, ending = (current[:-1], "\r") if current.endswith("\r") else (current, "")
    existing = _IGNORE.search(body)
    if existing:
        keys = [k.strip() for k in existing.group("keys").split(",") if k.strip()]
        if code in keys:
            return None
        body = body[:existing.start("keys")] + ", ".join([*keys, code]) + body[existing.end("keys"):]
    elif comment_start(body) is not None:  # the directive must open the line's comment to count
        start = comment_start(body) or 0
        body = body[:start] + f"# specc: ignore[{code}] " + body[start:]
    else:
        body = body.rstrip() + f"  # specc: ignore[{code}]"
    lines[line - 1] = body + ending
    return "\n".join(lines)


# ---------------------------------------------------------------- where the cursor is


@dataclass(frozen=True)
class Place:
    """The cursor's place in a block-style YAML spec.

    `path` is the mapping (or list) the cursor is in; `key` the key on the cursor's line, if
    any; `role` is "key" (on or typing a key), "value" (on a key's scalar value) or "item" (a
    list item's scalar); `word` the token under or before the cursor and its 1-based columns.
    """

    path: tuple
    key: str | None
    role: str
    word: str
    start: int
    end: int

    @property
    def value_path(self) -> tuple:
        """The path of the value at the cursor (the key's value, or the item)."""
        if self.role == "value" and self.key is not None:
            return (*self.path, self.key)
        return self.path


_KEY_AT = re.compile(r"""(?P<key>"[^"]*"|'[^']*'|[^\s#'"\-?:,\[\]{}][^#:]*?|-[^\s#:][^#:]*?)\s*:(?=\s|$)""")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")


def _strip_comment(text: str) -> str:
    from ..suppress import comment_start

    start = comment_start(text)
    return text if start is None else text[:start]


def _unquote(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'" else key


def place_at(text: str, line: int, column: int) -> Place:
    """The cursor's place at 1-based `line` and `column` (the column before which the cursor sits)."""
    lines = text.replace("\r\n", "\n").split("\n")
    stack: list[tuple[int, str, Any]] = []  # (column, "key" | "index", key or index)
    block_at: int | None = None  # inside a block scalar opened by a key at this column
    for number, raw in enumerate(lines[:max(line - 1, 0)], start=1):
        content = _strip_comment(raw).rstrip()
        indent = len(content) - len(content.lstrip(" "))
        if not content.strip():
            continue
        if block_at is not None:
            if indent > block_at:
                continue
            block_at = None
        if content.lstrip().startswith(("---", "...")) and indent == 0:
            stack.clear()
            continue
        opened = _enter(stack, content, indent)
        if opened is not None:
            block_at = opened
    current = lines[line - 1] if 0 < line <= len(lines) else ""
    content = _strip_comment(current)
    before = current[:column - 1]
    indent = len(content) - len(content.lstrip(" ")) if content.strip() else len(before)
    if block_at is not None and indent > block_at:
        return Place(tuple(step for _, _, step in stack), None, "scalar", "", column, column)
    position = indent
    in_item = False
    while content[position:position + 2] == "- " or (content[position:] == "-" and position < len(content)):
        _push_index(stack, position)
        in_item = True
        position += 1
        while position < len(content) and content[position] == " ":
            position += 1
    while stack and stack[-1][0] >= position and not (in_item and stack[-1][1] == "index"):
        stack.pop()
    path = tuple(step for _, _, step in stack)
    match = _KEY_AT.match(content, position)
    if match and (column - 1) > match.end("key"):  # the cursor is after `key:`
        key = _unquote(match.group("key"))
        value_start = match.end() + 1
        while value_start - 1 < len(content) and content[value_start - 1] == " ":
            value_start += 1
        value = content[value_start - 1:].rstrip()
        word = value if column - 1 >= value_start - 1 else ""
        return Place(path, key, "value", _unquote(word.split(" ", 1)[-1] if word.startswith("!") else word),
                     value_start, value_start + len(value))
    if match:
        return Place(path, _unquote(match.group("key")), "key", _unquote(match.group("key")),
                     match.start("key") + 1, match.end("key") + 1)
    rest = content[position:].rstrip()
    role = "item" if in_item and rest and not rest.endswith(":") else "key"
    if in_item and not rest:
        role = "item-or-key"
    return Place(path, None, role, _unquote(rest), position + 1, position + 1 + len(rest))


def _push_index(stack: list, column: int) -> None:
    index = 0
    while stack and (stack[-1][0] > column or (stack[-1][0] == column and stack[-1][1] == "index")):
        popped = stack.pop()
        if popped[0] == column and popped[1] == "index":
            index = popped[2] + 1
    stack.append((column, "index", index))


def _enter(stack: list, content: str, indent: int) -> int | None:
    """Update `stack` for one line above the cursor; the column of a key opening a block scalar, if any."""
    position = indent
    while content[position:position + 2] == "- " or content[position:] == "-":
        _push_index(stack, position)
        position += 1
        while position < len(content) and content[position] == " ":
            position += 1
    match = _KEY_AT.match(content, position)
    if not match:
        while stack and stack[-1][0] > position:
            stack.pop()
        return None
    while stack and stack[-1][0] >= position:  # an index this line opened sits left of its key
        stack.pop()
    stack.append((position, "key", _unquote(match.group("key"))))
    rest = content[match.end():].strip()
    if _BLOCK_SCALAR.match(rest):
        return position
    return None


# ---------------------------------------------------------------- the schema at a path


@dataclass(frozen=True)
class SchemaFacts:
    """What the schema says about one place: types, allowed values, description, overlay notes."""

    types: tuple[str, ...] = ()
    values: tuple[Any, ...] = ()
    description: str | None = None
    notes: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    found: bool = False


class SchemaIndex:
    """Walks the vendored request schema (with specc's overlay) and the spec's own schema."""

    def __init__(self, schemas: Any) -> None:
        from ..schema import SchemaSet
        from ..spec_schema import spec_schema_document

        self.defs: dict[str, Any] = schemas.defs
        self.request_name: str = schemas.request_name
        self.spec_document = spec_schema_document(schemas) if isinstance(schemas, SchemaSet) else {}
        self.notes = _overlay_notes(schemas)

    def facts(self, path: tuple) -> SchemaFacts:
        """What the schema says at `path` (spec keys at the top, `request` into the request schema)."""
        if path[:1] == ("request",):
            root = ({"$ref": f"#/$defs/{self.request_name}"}, "")
            candidates = self._walk([root], path[1:], self.defs)
        else:
            document = self.spec_document
            candidates = self._walk([(document, "")], path, document.get("$defs", {}))
            if path[:1] == ("request",):
                return SchemaFacts()
        return self._summarize(candidates)

    def _walk(self, candidates: list[tuple[Any, str]], steps: tuple, defs: dict[str, Any]) -> list[tuple[Any, str]]:
        current = self._expand(candidates, defs)
        for step in steps:
            following: list[tuple[Any, str]] = []
            for schema, pointer in current:
                if isinstance(step, int) or step == "*":
                    items = schema.get("items")
                    if isinstance(items, dict):
                        following.append((items, pointer + "/items"))
                else:
                    properties = schema.get("properties") or {}
                    if step in properties:
                        following.append((properties[step], f"{pointer}/properties/{step}"))
                    elif isinstance(schema.get("additionalProperties"), dict):
                        following.append((schema["additionalProperties"], pointer + "/additionalProperties"))
            current = self._expand(following, defs)
        return current

    def _expand(self, candidates: list[tuple[Any, str]], defs: dict[str, Any], depth: int = 0) -> list[tuple[Any, str]]:
        """Follow `$ref`s and spread `anyOf`/`oneOf`/`allOf` into their alternatives."""
        out: list[tuple[Any, str]] = []
        for schema, pointer in candidates:
            if not isinstance(schema, dict) or depth > 20:
                continue
            out.append((schema, pointer))
            ref = schema.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref[len("#/$defs/"):]
                if name in defs:
                    out.extend(self._expand([(defs[name], f"/$defs/{name}")], defs, depth + 1))
            for keyword in ("anyOf", "oneOf", "allOf"):
                for index, alternative in enumerate(schema.get(keyword) or []):
                    out.extend(self._expand([(alternative, f"{pointer}/{keyword}/{index}")], defs, depth + 1))
        return out

    def _summarize(self, candidates: list[tuple[Any, str]]) -> SchemaFacts:
        types: list[str] = []
        values: list[Any] = []
        properties: list[str] = []
        description = None
        notes: list[str] = []
        for schema, pointer in candidates:
            kind = schema.get("type")
            for name in (kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []):
                if name not in types:
                    types.append(name)
            for value in [*(schema.get("enum") or []), *([schema["const"]] if "const" in schema else [])]:
                if value not in values:
                    values.append(value)
            for name in schema.get("properties") or {}:
                if name not in properties:
                    properties.append(name)
            if description is None and isinstance(schema.get("description"), str):
                description = schema["description"]
            note = self.notes.get(pointer)
            if note and note not in notes:
                notes.append(note)
        return SchemaFacts(tuple(types), tuple(values), description, tuple(notes), tuple(properties), bool(candidates))


def _overlay_notes(schemas: Any) -> dict[str, str]:
    """JSON pointer (into `$defs`) -> the overlay's `why`, for the entries that set or merge there."""
    from ..schema import default_schema_dir

    path = default_schema_dir() / "overlay.yaml"
    try:
        from ..load import load_yaml_data

        entries = load_yaml_data(path.read_text("utf-8"), path, "overlay.yaml") or []
    except Exception:  # the overlay is optional for hover text; checking has already read it
        return {}
    notes: dict[str, str] = {}
    for entry in entries:
        for op in ("set", "merge"):
            if isinstance(entry, dict) and isinstance(entry.get(op), str) and isinstance(entry.get("why"), str):
                notes[entry[op].rstrip("/")] = " ".join(entry["why"].split())
    return notes


# ---------------------------------------------------------------- hover


def _is_model_path(path: tuple) -> bool:
    return any(len(path) == len(pattern) and all(p == "*" or p == step or (p == "*" and isinstance(step, int))
                                                  for p, step in zip(pattern, path)) for pattern in MODEL_PATHS) or (
        len(path) == 3 and path[:2] == ("request", "models") and isinstance(path[2], int))


def model_hover(catalog: Any, raw: str) -> str | None:
    """The catalog's facts about a model id (suffixes and `@preset` stripped by the catalog)."""
    if catalog is None or not raw:
        return None
    resolution = catalog.resolve(raw)
    info = getattr(resolution, "model", None) or catalog.get(raw)
    if info is None:
        close = catalog.closest(raw)
        return f"`{raw}` is not in the model catalog" + (f"; close: {', '.join(close)}" if close else "")
    lines = [f"**{info.id}**" + (f" ({info.name})" if info.name else "")]
    if info.context_length:
        lines.append(f"- context length: {info.context_length:,} tokens")
    if info.max_completion_tokens:
        lines.append(f"- max completion tokens: {info.max_completion_tokens:,}")
    prices = [f"{kind} ${_per_million(info.pricing.get(kind))}/M tokens" for kind in ("prompt", "completion")
              if _per_million(info.pricing.get(kind)) is not None]
    if prices:
        lines.append("- price: " + ", ".join(prices))
    if info.endpoints:
        lines.append("- providers: " + ", ".join(sorted({e.provider for e in info.endpoints if e.provider})))
    if info.input_modalities or info.output_modalities:
        lines.append(f"- modalities: {', '.join(info.input_modalities) or '?'} -> {', '.join(info.output_modalities) or '?'}")
    if info.supported_parameters:
        lines.append(f"- parameters: {', '.join(info.supported_parameters)}")
    return "\n".join(lines)


def _per_million(text: str | None) -> str | None:
    from ..catalog import price_per_token

    value = price_per_token(text)
    if value is None:
        return None
    return f"{value * 1_000_000:.4g}"


def field_hover(index: SchemaIndex, path: tuple) -> str | None:
    facts = index.facts(path)
    if not facts.found:
        return None
    from ..pointers import path_text

    lines = [f"**{path_text(tuple(path))}**" + (f": {' | '.join(facts.types)}" if facts.types else "")]
    if facts.values:
        lines.append("allowed: " + ", ".join(f"`{v}`" for v in facts.values))
    if facts.description:
        lines.append(facts.description.strip())
    for note in facts.notes:
        lines.append(f"specc's overlay: {note}")
    return "\n\n".join(lines)


def diagnostic_hover(diagnostic: Diagnostic) -> str:
    from ..about import rule_page_url
    from ..ruledocs import all_infos, find_info

    info = find_info(diagnostic.code, all_infos())
    summary = info.summary if info is not None else diagnostic.message
    try:
        link = f" ([{diagnostic.code}]({rule_page_url(diagnostic.code)}))"
    except Exception:
        link = ""
    return f"**{diagnostic.code} {diagnostic.rule}**{link}: {summary}"


def hover_text(index: SchemaIndex, catalog: Any, text: str, line: int, column: int,
               diagnostics: list[Diagnostic]) -> str | None:
    """Markdown for the cursor: the field's schema, a model id's catalog facts, and the rule of
    each diagnostic under the cursor."""
    place = place_at(text, line, column)
    parts = []
    if place.role in ("value", "item", "item-or-key") and _is_model_path(place.value_path) and place.word:
        found = model_hover(catalog, place.word)
        if found:
            parts.append(found)
    elif place.role == "key" and place.key is not None:
        found = field_hover(index, (*place.path, place.key))
        if found:
            parts.append(found)
    elif place.role == "value" and place.key is not None:
        found = field_hover(index, place.value_path)
        if found:
            parts.append(found)
    for diagnostic in diagnostics:
        if _covers(diagnostic.span, line, column):
            parts.append(diagnostic_hover(diagnostic))
    return "\n\n---\n\n".join(parts) if parts else None


def _covers(span: Span, line: int, column: int) -> bool:
    if span.line == 0:
        return False
    end_line, end_column = (span.end_line, span.end_column) if span.end_line else (span.line, span.column + 1)
    return (span.line, span.column) <= (line, column) <= (end_line, end_column)


# ---------------------------------------------------------------- completion


@dataclass(frozen=True)
class Completion:
    label: str
    kind: str  # "field" | "value" | "model" | "file"
    detail: str = ""
    insert: str | None = None


def completions(index: SchemaIndex, catalog: Any, spec: Path, root: Path | None, text: str,
                line: int, column: int) -> list[Completion]:
    """What may go at the cursor: field names of the mapping, enum values of the field, model ids,
    `extends`/`!file` paths."""
    place = place_at(text, line, column)
    value_path = place.value_path
    if place.role == "value" and place.key is not None:
        raw_line = text.replace("\r\n", "\n").split("\n")[line - 1]
        if place.path == () and place.key == "extends" or "!file" in raw_line[:column - 1]:
            return _path_completions(spec, root, place.word)
    if place.role in ("value", "item", "item-or-key") and _is_model_path(value_path):
        return _model_completions(catalog, place.word)
    if place.role in ("value", "item", "item-or-key"):
        facts = index.facts(value_path)
        values = [Completion(str(_yaml_scalar(v)), "value", "allowed value") for v in facts.values]
        if values or place.role == "value":
            return values
    if place.role in ("key", "item-or-key"):
        facts = index.facts(place.path)
        present = _sibling_keys(text, line, place)
        return [Completion(name, "field", _type_detail(index, (*place.path, name)), f"{name}: ")
                for name in facts.properties if name not in present]
    return []


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def _type_detail(index: SchemaIndex, path: tuple) -> str:
    facts = index.facts(path)
    return " | ".join(facts.types)


def _sibling_keys(text: str, line: int, place: Place) -> set[str]:
    """Keys already written in the cursor's mapping (lines whose key starts at its column, same path)."""
    lines = text.replace("\r\n", "\n").split("\n")
    found = set()
    for number, raw in enumerate(lines, start=1):
        lead = re.match(r"\s*(?:-\s+)*", raw)
        column = lead.end() if lead else 0
        if number == line or column != place.start - 1 or ":" not in raw:
            continue
        other = place_at(text, number, column + 1)
        if other.role == "key" and other.key is not None and other.path == place.path:
            found.add(other.key)
    return found


def _model_completions(catalog: Any, typed: str) -> list[Completion]:
    if catalog is None:
        return []
    base, _, _suffix = typed.partition(":")
    out = []
    for model_id in sorted(catalog.models):
        if typed and not model_id.startswith(base) and typed not in model_id:
            continue
        info = catalog.get(model_id)
        detail = f"{info.context_length:,} tokens" if info is not None and info.context_length else ""
        out.append(Completion(model_id, "model", detail))
        if typed and model_id == base:
            out.extend(Completion(model_id + suffix, "model", "routing shortcut") for suffix in SUFFIXES)
    return out


def _path_completions(spec: Path, root: Path | None, typed: str) -> list[Completion]:
    """Files beside the spec (and in folders under it) for `extends` and `!file`, inside the project."""
    folder = spec.parent
    typed_dir, _, _ = typed.rpartition("/")
    start = (folder / typed_dir).resolve() if typed_dir else folder.resolve()
    real_root = (root or folder).resolve()
    try:
        start.relative_to(real_root)
        entries = sorted(os.scandir(start), key=lambda e: e.name)
    except (ValueError, OSError):
        return []
    out = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        label = f"{typed_dir}/{entry.name}" if typed_dir else entry.name
        if entry.is_dir():
            out.append(Completion(label + "/", "file", "folder"))
        elif os.path.realpath(entry.path) != os.path.realpath(spec):
            out.append(Completion(label, "file", "file"))
    return out


# ---------------------------------------------------------------- definition


def definition_target(spec: Path, root: Path | None, text: str, line: int, column: int) -> Path | None:
    """The file an `extends` entry or a `!file` tag under the cursor names, when it exists inside the project."""
    place = place_at(text, line, column)
    raw_line = text.replace("\r\n", "\n").split("\n")[line - 1] if 0 < line <= text.count("\n") + 1 else ""
    target = None
    tag = re.search(r"!file\s+(?P<path>\"[^\"]*\"|'[^']*'|\S+)", _strip_comment(raw_line))
    if tag:
        target = _unquote(tag.group("path"))
    elif (place.path == () and place.key == "extends" and place.role == "value") or (place.path[:1] == ("extends",) and place.role in ("item", "item-or-key")):
        target = place.word
    if not target or "://" in target or os.path.isabs(target):
        return None
    resolved = (spec.parent / target).resolve()
    real_root = (root or spec.parent).resolve()
    try:
        resolved.relative_to(real_root)
    except ValueError:
        return None
    return resolved if resolved.is_file() else None


def project_root(spec: Path) -> Path:
    from ..files import find_project_root

    return find_project_root(spec.parent)


def severity_name(severity: Severity) -> str:
    return severity.value
