"""Load a spec file: bytes → YAML nodes with marks → plain data, with `extends` and `!file` resolved.

Nothing here raises on bad input: every problem becomes a diagnostic with the
position of what caused it, and the caller decides what to do with a document
whose `data` is None.

The C composer (PyYAML's libyaml binding, see yamlfast.py) builds the node tree with
line/column marks; plain Python data is built from it by one walk that also
enforces the resource limits (depth, aliases, string length) and resolves the
include tags. The round-trip loader is ten times slower and is only used by
`--fix`, which must keep comments.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from .diagnostics import Diagnostic, Span, core
from .files import (DEFAULT_MAX_FILE_BYTES, LoadError, Unreadable, char_at, dependency_path, display_path,
                    escaping_link, find_project_root, join_surrogate_escapes, mark_position, not_read, read_capped, read_text, relative_to_root, resolve_inside)
from .jsonread import read_json
from .media import MEDIA_HANDLERS  # !data-url, !base64: local media as base64
from .positions import Pointer, Source, locate, node_span
from .yamlfast import (C_BOUNDS_NESTING, MAP, PLAIN, SEQ, STR, MappingNode, MarkedYAMLError, Node, NumberTooLong,
                       ReaderError, ScalarNode, SequenceNode, YAMLError, compose, compose_pure, could_nest_deeper, events_nest_deeper,
                       explicit_value,
                       plain_value)


@dataclass(frozen=True)
class Limits:
    """Resource bounds for hostile or accidental input; each has a documented default."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_depth: int = 100
    # No lower than the file limit: a string that fits in an accepted file is accepted (the live API
    # took a 3.7 MB inline base64 image); it still bounds what aliases and !file bring in.
    max_string_length: int = 4 * 1024 * 1024
    max_aliases: int = 500
    max_alias_expansion: int = 100_000  # nodes copied through aliases, all files together
    max_alias_characters: int = 4 * 1024 * 1024  # characters of strings copied through aliases, all files together
    max_extends_depth: int = 32
    max_files: int = 256  # files read through `extends` and `!file` for one spec


DEFAULT_LIMITS = Limits()

# Nesting the C composer survives with any stack (libyaml before 0.2.6, which does not stop at
# 1,000 levels itself, crashed past ~20,000 levels with 8 MiB).
C_SAFE_DEPTH = 5_000


@dataclass
class Document:
    """A loaded spec: its merged data (None when unusable), its sources for positions, its problems."""

    path: str
    data: dict[str, Any] | None
    sources: list[Source] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    root: Path | None = None
    # What could not be loaded, so that the rest is still checked (one run, every problem): the
    # pointers of includes that failed (E005; a stand-in is in their place), and whether a base
    # is missing (E003), in which case nothing can be said about what the spec lacks.
    absent: list[Pointer] = field(default_factory=list)
    base_missing: bool = False
    # False when no string of the spec (its includes and bases too) holds "{{": then compiling
    # fills nothing and need not walk the request (a tenth of a bulk lint). True when not known.
    braces: bool = True

    @property
    def text(self) -> str:
        return self.sources[0].text if self.sources else ""

    def span_of(self, pointer: Pointer, key: bool = False) -> Span:
        """Where the value (or, with `key=True`, the key) at `pointer` is written."""
        return locate(self.sources, tuple(pointer), key=key)


class _ExtendsCycle(LoadError):
    """Internal: a base spec leads back to a spec already being loaded."""


class _TooManyFiles(LoadError):
    """Internal: the spec pulls in more files than the limit; loading stops there."""


class AbsentText(str):
    """Stands, while loading, where a text include failed: found and replaced by "" afterwards."""


class AbsentData(dict[str, Any]):
    """Stands, while loading, where a data include (.json, .yaml) failed: replaced by {} afterwards."""


def _stand_in(tag: str, target: str) -> str | dict[str, Any]:
    data = tag == "!file" and target.strip().lower().endswith((".json", ".yaml", ".yml"))
    return AbsentData() if data else AbsentText()


# ---------------------------------------------------------------------------- nodes to data


IncludeHandler = Callable[["_Walker", ScalarNode], Any]


class _Walker:
    """Builds plain data from one file's node tree, enforcing limits and resolving include tags."""

    def __init__(self, loader: "Loader", path: Path, display: str, recovers: bool = True):
        self.loader = loader
        self.path = path
        self.display = display
        # A spec's or base's own walker goes on past a failed include; the walker of an included
        # file does not, so that the problem is reported at the `!file` tag that pulled it in.
        self.recovers = recovers
        self.seen: set[int] = set()
        self.aliases = 0
        self.copying = False  # inside the copy of an aliased node: every node built is expansion
        self.max_depth = loader.limits.max_depth
        self.max_string_length = loader.limits.max_string_length
        self._real_dir: str | None = None

    def depends_on(self, target: str) -> None:
        """Record the file `target` (named relative to this file) as a dependency of the result, under
        the name a cache must watch: as named, so that a symlink retargeted is seen (see dependency_path)."""
        if self._real_dir is None:
            self._real_dir = os.path.realpath(self.path.parent)
        self.loader.files.append(dependency_path(self._real_dir, target))

    def span(self, node: Node) -> Span:
        return node_span(self.display, node)

    def fail(self, code: str, message: str, node: Node) -> LoadError:
        return LoadError(core(code, message, self.span(node)))

    def build(self, node: Node, depth: int = 0) -> Any:
        if depth > self.max_depth:
            raise self.fail("E007", f"nesting deeper than {self.max_depth} levels", node)
        if self.copying:
            return self.copy(node, depth)
        key = id(node)
        if key in self.seen:
            # An alias: the node is shared in the graph (a scalar as much as a collection). Every use
            # counts, and what it copies is bounded as it is built, before it can grow.
            self.aliases += 1
            limits = self.loader.limits
            if self.aliases > limits.max_aliases:
                raise self.fail("E007", f"more than {limits.max_aliases} alias uses", node)
            self.copying = True
            try:
                return self.copy(node, depth)
            finally:
                self.copying = False
        self.seen.add(key)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        return self.build_collection(node, depth)

    def copy(self, node: Node, depth: int) -> Any:
        """A node built again for an alias (later stages see a tree): each counts against the
        expansion limits, nodes and characters of strings, all files together."""
        loader, limits = self.loader, self.loader.limits
        loader.expanded += 1
        if loader.expanded > limits.max_alias_expansion:
            raise self.fail("E007", f"aliases expand to more than {limits.max_alias_expansion:,} nodes (an alias bomb?)", node)
        if not isinstance(node, ScalarNode):
            return self.build_collection(node, depth)
        value = self.scalar(node)
        if isinstance(value, str):
            loader.expanded_characters += len(value)
            if loader.expanded_characters > limits.max_alias_characters:
                raise self.fail("E007", f"aliases expand to more than {limits.max_alias_characters:,} characters "
                                "(a string anchored once and repeated)", node)
        return value

    def build_collection(self, node: Node, depth: int) -> Any:
        if isinstance(node, SequenceNode):
            if node.tag != SEQ:
                raise self.fail("E001", f"unsupported YAML tag {node.tag}", node)
            return [self.build(item, depth + 1) for item in node.value]
        if isinstance(node, MappingNode):
            if node.tag != MAP:
                raise self.fail("E001", f"unsupported YAML tag {node.tag}", node)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == PLAIN and key_node.value == "<<":
                    raise self.fail("E001", "YAML merge keys (<<) are not supported; use `extends:`", key_node)
                if not isinstance(key_node, ScalarNode):
                    raise self.fail("E001", "mapping keys must be plain scalars (JSON object keys are strings)", key_node)
                name = key_node.value
                if name in result:
                    raise self.fail("E001", f"duplicate key {name!r}", key_node)
                result[name] = self.build(value_node, depth + 1)
            return result
        raise self.fail("E001", f"unsupported YAML node {type(node).__name__}", node)

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == STR:
            value = node.value
            if len(value) <= self.max_string_length:  # the common case, answered without further tests
                if "{{" in value:
                    self.loader.braces = True
                return value
        elif tag == PLAIN:
            try:
                value = plain_value(node.value)
            except NumberTooLong as exc:
                raise self.fail("E007", str(exc), node) from None
        else:
            handler = self.loader.include_handlers.get(tag)
            if handler is not None:
                try:
                    return handler(self, node)
                except LoadError as exc:
                    if not self.recovers or exc.diagnostic.code != "E005" or isinstance(exc, _TooManyFiles):
                        raise
                    # A missing or broken include is reported, and the rest of the spec still checked.
                    self.loader.recovered.append(exc.diagnostic)
                    return _stand_in(tag, node.value)
            try:
                known, value = explicit_value(tag, node.value)
            except NumberTooLong as exc:
                raise self.fail("E007", str(exc), node) from None
            except ValueError as exc:
                raise self.fail("E001", f"{tag}: {exc}", node) from None
            if not known:
                raise self.fail("E001", f"unknown YAML tag {tag}", node)
        if isinstance(value, str):
            if "{{" in value:
                self.loader.braces = True
            if len(value) > self.max_string_length:
                raise self.fail("E007", f"string of {len(value):,} characters, over the {self.max_string_length:,} limit", node)
        elif isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise self.fail("E001", f"{node.value} is not a JSON number (NaN and infinity cannot be sent)", node)
        return value


# ---------------------------------------------------------------------------- include tags


def include_file(walker: _Walker, node: ScalarNode) -> Any:
    """`!file path`: the text of a file; `.json`/`.yaml`/`.yml` files are parsed as data."""
    loader, span = walker.loader, walker.span(node)
    target = node.value.strip()
    if not target:
        raise LoadError(core("E005", "!file needs a path", span))
    path = resolve_inside(loader.root, walker.path.parent, target, "!file", span, "E005")
    walker.depends_on(target)  # a dependency of the result (the lint cache re-checks it), even if missing
    loader.count_file(span, "E005")
    text = loader.read_text(path, target, code="E005", span=span)
    suffix = path.suffix.lower()
    if suffix == ".json":
        if "{{" in text or "\\u" in text:  # a JSON string may spell braces as \u007b
            loader.braces = True
        try:
            return read_json(text, max_depth=loader.limits.max_depth)
        except ValueError as exc:
            raise LoadError(core("E005", f"!file {target}: invalid JSON: {exc}", span)) from None
    if suffix in (".yaml", ".yml"):
        if path in loader.including:
            raise LoadError(core("E005", f"!file {target} includes itself (cycle)", span))
        try:
            inner = loader.compose(text, display=target, error_span=span)
        except LoadError as exc:
            raise LoadError(core("E005", f"!file {target}: {exc.diagnostic.message}", span)) from None
        if inner is None:
            return None
        loader.including.add(path)
        try:
            return _Walker(loader, path, target, recovers=False).build(inner)
        except LoadError as exc:
            raise LoadError(core("E005", f"!file {target}: {exc.diagnostic.message}", span)) from None
        finally:
            loader.including.discard(path)
    if "{{" in text:
        loader.braces = True
    return text


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


DEFAULT_INCLUDE_HANDLERS: dict[str, IncludeHandler] = {"!file": include_file, **MEDIA_HANDLERS}


# ---------------------------------------------------------------------------- the loader


def _character_span(text: str, offset: int, display: str, in_bytes: bool) -> Span:
    """The one-character span at `offset` into `text` (a UTF-8 byte offset when `in_bytes`)."""
    if in_bytes:
        offset = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "replace"))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Span(display, line, column, line, column + 1)


class Loader:
    """Loads one spec (and what it pulls in). Cheap to create; create one per spec."""

    def __init__(self, root: Path, limits: Limits = DEFAULT_LIMITS,
                 include_handlers: dict[str, IncludeHandler] | None = None, texts: Mapping[str, str] | None = None):
        self.root = root
        self.texts = texts or {}  # real path -> text that stands for the file's content (editor buffers)
        self.limits = limits
        self.include_handlers = include_handlers or DEFAULT_INCLUDE_HANDLERS
        self.expanded = 0
        self.expanded_characters = 0
        self.files_read = 0
        self.including: set[Path] = set()
        self.files: list[str] = []
        self.recovered: list[Diagnostic] = []  # problems reported while loading went on
        self.base_missing = False
        self.braces = False  # some string read holds "{{": placeholders may need filling

    def read_text(self, path: Path, display: str, code: str, span: Span | None) -> str:
        """The text of a spec, base or `!file`: the one given in `texts` for it, else the file's."""
        text = self.texts.get(os.path.realpath(path)) if self.texts else None
        data = None if text is None else text.encode("utf-8", "surrogateescape")
        return read_text(path, display, self.limits, code=code, span=span, data=data)

    def count_file(self, span: Span, code: str) -> None:
        self.files_read += 1
        if self.files_read > self.limits.max_files:
            raise _TooManyFiles(core(code, f"more than {self.limits.max_files} files pulled in through extends/!file", span))

    def _compose_function(self, text: str) -> Callable[[str], Node | None]:
        """The C composer, unless the text nests deep enough to overflow its C stack.

        libyaml's composer recurses in C: before 0.2.6, which stops at 1,000 levels itself, tens
        of thousands of levels crash the process (a segfault, not a RecursionError). There, text
        that may nest past C_SAFE_DEPTH (`could_nest_deeper`: not a wide block document of 100,000
        messages) is measured exactly on the parser's events, and only text that really nests
        that deep is composed in pure Python, where a RecursionError becomes a diagnostic."""
        if (C_BOUNDS_NESTING or compose is compose_pure or not could_nest_deeper(text, C_SAFE_DEPTH)
                or not events_nest_deeper(text, C_SAFE_DEPTH)):
            return compose
        return compose_pure

    def compose(self, text: str, display: str, error_span: Span | None = None) -> Node | None:
        """Compose YAML text into nodes; a syntax error becomes a positioned E001."""
        if "\\u" in text and text.lstrip().startswith("{"):
            text = join_surrogate_escapes(text)
        function: Callable[[str], Node | None] = compose
        try:
            function = self._compose_function(text)
            return function(text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            if mark is not None and error_span is None:
                line, column = mark_position(text, mark.line, mark.column)
                span = Span(display, line, column, line, column + 1)
            else:
                span = error_span or Span.whole_file(display)
            if "expected a single document" in str(exc):
                problem = "more than one YAML document; a spec file holds exactly one"
            elif "maximum nesting depth" in problem:  # libyaml's own bound, 1,000 levels: a limit, not a typo
                limit = f"{self.limits.max_depth} levels" if self.limits.max_depth < 1000 else "the 1,000 levels libyaml reads"
                raise LoadError(core("E007", f"nesting deeper than {limit}", span)) from None
            elif "cannot start any token" in problem and mark is not None and char_at(text, mark) == "\t":
                problem += " (a tab); indent with spaces"
            raise LoadError(core("E001", f"YAML syntax error: {problem}", span)) from None
        except ReaderError as exc:  # a character YAML does not allow: say where, by line and column
            # libyaml counts UTF-8 bytes, PyYAML's reader characters
            span = error_span or _character_span(text, exc.position, display, in_bytes=function is not compose_pure)
            what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
            raise LoadError(core("E001", f"YAML error: a control character ({what}) is not allowed; "
                                 "write it as an escape in a double-quoted string", span)) from None
        except YAMLError as exc:
            raise LoadError(core("E001", f"YAML error: {exc}", error_span or Span.whole_file(display))) from None
        except RecursionError:
            raise LoadError(core("E007", "nesting deeper than the parser can follow", error_span or Span.whole_file(display))) from None

    def load_file(self, path: Path, display: str, stack: tuple[Path, ...], span: Span | None,
                  watched: str | None = None) -> tuple[Any, list[Source]]:
        """Load one spec file and its bases; return its merged data and its sources (highest first).
        `watched`: the name under which the cache watches the file (default: `path`)."""
        text = self.read_text(path, display, "E003" if stack else "E001", span)
        self.files.append(watched or str(path))
        node = self.compose(text, display)
        source = Source(display, node, text)
        if node is None:
            return None, [source]
        walker = _Walker(self, path, display)
        data = walker.build(node)
        if not isinstance(data, dict) or "extends" not in data:
            return data, [source]
        bases, base_sources = self._load_bases(data, node, path, display, stack)
        merged: dict[str, Any] = {}
        for base in bases:
            merged = deep_merge(merged, {k: v for k, v in base.items() if k not in NOT_INHERITED})
        own = {k: v for k, v in data.items() if k != "extends"}
        return deep_merge(merged, own), [source, *base_sources]

    def _load_bases(self, data: dict[str, Any], node: Node, path: Path, display: str,
                    stack: tuple[Path, ...]) -> tuple[list[dict[str, Any]], list[Source]]:
        value = data["extends"]
        entries = [value] if isinstance(value, str) else value
        extends_node = next(v for k, v in node.value if k.value == "extends")
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            self._base_missing(core("E003", "extends must be a path or a list of paths", node_span(display, extends_node)))
            return [], []
        path = path.resolve()  # so that a base extending this spec back is recognised as the same file
        if len(stack) >= self.limits.max_extends_depth:
            raise LoadError(core("E003", f"extends chain deeper than {self.limits.max_extends_depth}", node_span(display, extends_node)))
        bases: list[dict[str, Any]] = []
        sources: list[Source] = []
        for index, entry in enumerate(entries):
            entry_node = extends_node.value[index] if isinstance(extends_node, SequenceNode) else extends_node
            span = node_span(display, entry_node)
            base_path = resolve_inside(self.root, path.parent, entry, "extends", span, "E003")
            if base_path in stack or base_path == path:
                chain = " -> ".join(relative_to_root(p, self.root) for p in (*stack, path, base_path))
                raise _ExtendsCycle(core("E003", f"extends cycle: {chain}", span))
            watched = dependency_path(os.fspath(path.parent), entry)
            if not base_path.exists():
                self.files.append(watched)  # its appearing changes the result
                self._base_missing(core("E003", f"base spec not found: {entry}", span))
                continue
            self.count_file(span, "E003")
            base_display = display_path(base_path, display)
            try:
                base_data, base_sources = self.load_file(base_path, base_display, (*stack, path), span, watched)
            except _ExtendsCycle as cycle:
                if stack:
                    raise
                # Report a cycle at the linted spec's own `extends` entry, whichever file closes it.
                raise LoadError(core("E003", cycle.diagnostic.message, span)) from None
            except _TooManyFiles:
                raise
            except LoadError as exc:  # reported in the base, where it can be fixed; the spec is still checked
                self._base_missing(exc.diagnostic)
                continue
            if base_data is None:
                base_data = {}
            if not isinstance(base_data, dict):
                self._base_missing(core("E003", f"base spec {entry} is not a mapping", span))
                continue
            bases.append(base_data)
            sources = base_sources + sources  # later bases take precedence
        return bases, sources

    def _base_missing(self, problem: Diagnostic) -> None:
        self.recovered.append(problem)
        self.base_missing = True


def _absent_pointers(data: Any, pointer: Pointer = ()) -> list[Pointer]:
    """Where the stand-ins of failed includes are in `data`; each is replaced by its plain value."""
    found: list[Pointer] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(value, (AbsentText, AbsentData)):
            data[key] = "" if isinstance(value, AbsentText) else {}
            found.append((*pointer, key))
        elif isinstance(value, (dict, list)):
            found.extend(_absent_pointers(value, (*pointer, key)))
    return found


# Keys that name a spec rather than describe its request: a base never passes them on.
NOT_INHERITED = frozenset({"extends", "abstract", "matrix", "name", "description", "cassette"})


def deep_merge(base: Any, override: Any) -> Any:
    """Mappings merge recursively; lists and scalars in `override` replace."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = copy.deepcopy(base)  # the result never shares containers with its inputs
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return copy.deepcopy(override) if isinstance(override, (dict, list)) else override


def load_document(path: str | os.PathLike[str], root: Path | None = None, limits: Limits = DEFAULT_LIMITS,
                  include_handlers: dict[str, IncludeHandler] | None = None, display: str | None = None,
                  texts: Mapping[str, str] | None = None) -> Document:
    """Load the spec at `path` into a Document; never raises for bad input.

    `texts` maps real paths (`os.path.realpath`) to text that stands for those files, the
    spec's own, a base's or an include's (an editor's unsaved buffers); other files are read."""
    file_path = Path(path)
    display = display if display is not None else os.fspath(path)
    project_root = (root or find_project_root(file_path.parent if file_path.parent.as_posix() else Path.cwd())).resolve()
    loader = Loader(project_root, limits, include_handlers, texts)
    doc = Document(display, None, root=project_root)
    escape = escaping_link(os.fspath(file_path), os.fspath(project_root))
    if escape is not None:  # a committed link to ~/.ssh/... must not be read, let alone printed
        doc.diagnostics.append(not_read(display, escape))
        return doc
    try:
        # Absolute, not resolved: resolving costs a system call per folder level, and only
        # `extends` needs it (to recognise a cycle), so `_load_bases` resolves there.
        data, sources = loader.load_file(file_path.absolute(), display, (), None)
    except LoadError as exc:
        doc.diagnostics.append(exc.diagnostic)
        doc.files = loader.files
        # Keep what can be positioned: re-compose the spec itself for source excerpts.
        try:
            text = loader.read_text(file_path, display, "E001", None)
            doc.sources = [Source(display, None, text)]
        except LoadError:
            pass
        return doc
    doc.sources = sources
    doc.files = loader.files
    doc.braces = loader.braces
    if loader.recovered:
        doc.diagnostics.extend(loader.recovered)
        doc.base_missing = loader.base_missing
        doc.absent = _absent_pointers(data)
    if data is None:
        doc.diagnostics.append(core("E006", "empty spec: the file holds no YAML document", Span(display, 1, 1, 1, 1)))
        return doc
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        doc.diagnostics.append(core("E006", f"a spec must be a mapping with a `request:` key, not {kind}", doc.span_of(())))
        return doc
    doc.data = data
    return doc


def load_yaml_data(text: str, path: Path, display: str) -> Any:
    """Plain data from the YAML `text` of the file at `path`, typed and bounded as specs are.

    For specc's own YAML files (the schema overlay); raises LoadError on bad input."""
    loader = Loader(path.parent.resolve())
    node = loader.compose(text, display)
    return None if node is None else _Walker(loader, path, display, recovers=False).build(node)


SPEC_HEAD_BYTES = 256 * 1024  # how much of a file tells whether it is a spec


def spec_head(path: str | os.PathLike[str]) -> str | None:
    """The start of a file as text, enough for `is_spec_text`; None when it cannot be read
    (missing, a directory, a FIFO or device: never waited on)."""
    try:
        return read_capped(path, SPEC_HEAD_BYTES, head=True).decode("utf-8", errors="replace")
    except Unreadable:
        return None


def looks_like_spec(path: str) -> bool:
    """Whether a YAML file holds a top-level `request:` (read from its head); a file that cannot
    be read counts as a spec, so that the loader says why."""
    head = spec_head(path)
    return head is None or is_spec_text(head)


_FLOW_SPEC = re.compile(r"""\A\s*\{\s*(?:"request"|'request'|request)\s*:""")


def is_spec_text(text: str) -> bool:
    """Cheap test used when walking folders: does the YAML have a top-level `request:` key?

    Block style (`request:` at the start of a line) and a JSON-style document with a top-level
    `request` key are recognised; a BOM is ignored."""
    text = text.lstrip("\ufeff")
    for line in text.splitlines():
        if line.startswith(("request:", '"request":', "'request':")):
            return True
    if text.lstrip().startswith("{"):
        if _FLOW_SPEC.match(text):
            return True
        try:
            data = json.loads(text)
        except ValueError:
            return False
        return isinstance(data, dict) and "request" in data
    return False


_ABSTRACT = re.compile(r"""^(?:abstract|"abstract"|'abstract')[ \t]*:[ \t]*(?:true|True|TRUE)[ \t]*(?:#.*)?$""", re.M)
_FLOW_ABSTRACT = re.compile(r""""abstract"\s*:\s*true\b""")


def declares_abstract(text: str) -> bool:
    """Cheap test used when collecting tests: does the spec say `abstract: true` at its top level?
    (A base's flag is never inherited, so the file's own text decides.) Block style, and a
    JSON-style document's `"abstract": true`; the loaded spec's `abstract` agrees (a test holds it)."""
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return bool(_FLOW_ABSTRACT.search(text))
        return isinstance(data, dict) and data.get("abstract") is True
    return bool(_ABSTRACT.search(text))


_MATRIX = re.compile(r"""^(?:matrix|"matrix"|'matrix')[ \t]*:""", re.M)


def declares_matrix(text: str) -> bool:
    """Cheap test used when collecting tests: may the spec have a top-level `matrix:`? (A matrix is
    never inherited, so the file's own text decides.) A flow-style document (JSON, or YAML in
    braces) that says `matrix` anywhere may: the spec is then checked, and has one item if it has
    no variants after all."""
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith("{"):
        return "matrix" in text
    return bool(_MATRIX.search(text))
