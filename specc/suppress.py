"""The last step of checking a file: apply the config's policy and the inline suppressions.

Inline suppressions are YAML comments, found in the raw text (no second parse):

    max_tokens: 100   # specc: ignore[OR401]              one line, by code ...
    debug: {echo_upstream_body: true}  # specc: ignore[debug-echo-without-stream]   ... or by name
    # specc: ignore-file[OR101, S102]                     anywhere: the whole file

A list is comma-separated codes or rule names (exact, not prefixes). A bare
`# specc: ignore` silences every suppressible diagnostic on its line, a bare
`# specc: ignore-file` every one in the file. A line suppression matches a
diagnostic that starts on that line, or whose key is on that line.

Suppressions apply to rule diagnostics (OR...), S-codes and W001. E- and X-codes
cannot be suppressed: a spec that does not load or compile must not look clean.

A suppression (or one entry of its list) that silences nothing is reported as
W001 `unused-suppression` (a warning), as is an entry naming an unknown rule or
an E-code. Entries naming a rule that is not enabled in this run are not
reported: another run (another `--select`) may need them. Suppressions in an
`extends` base are honoured for diagnostics positioned in that base, but only
the linted file's own suppressions are reported as unused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, Severity, Span
from .selection import EXTRA_CORE_CODES, UNUSED_SUPPRESSION, Policy, is_locked
from .yamlfast import MappingNode, ScalarNode, SequenceNode

if TYPE_CHECKING:
    from .load import Document

_DIRECTIVE = re.compile(r"#\s*specc:\s*(?P<kind>ignore-file|ignore)(?![\w-])(?:\[(?P<keys>[^\]]*)\])?")


@dataclass
class Suppression:
    """One `# specc: ignore...` comment; `keys` empty means "everything"."""

    span: Span
    file_wide: bool
    keys: tuple[str, ...]
    used: set[str] = field(default_factory=set)  # the keys that silenced something ("" for a bare one)

    def covers(self, diagnostic: Diagnostic) -> str | None:
        """The key that silences `diagnostic` ("" for a bare suppression), or None."""
        if not self.keys:
            return ""
        for key in self.keys:
            if key.upper() == diagnostic.code.upper() or key == diagnostic.rule:
                return key
        return None


def comment_start(line: str) -> int | None:
    """The index of the `#` that starts a YAML comment on `line`, or None.

    A `#` starts a comment at the start of a line or after whitespace, outside
    quotes. Quotes count only where a quoted scalar can begin (after a space,
    `:`, `-`, `[`, `{` or `,`), so `don't` in a plain scalar is not a quote.
    """
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if quote == '"' and char == "\\":
                index += 2
                continue
            if char == quote:
                quote = None
        elif char in "'\"" and (index == 0 or line[index - 1] in " \t:-[{,"):
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
        index += 1
    return None


def _lines_inside_scalars(node: Any) -> set[int]:
    """1-based numbers of the lines that lie inside a multi-line scalar (a `|` block, a wrapped string)."""
    inside: set[int] = set()
    stack = [node] if node is not None else []
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ScalarNode):
            first, last = current.start_mark.line + 1, current.end_mark.line + 1
            if current.end_mark.column == 0:
                last -= 1  # a block scalar ends at the start of the next line
            inside.update(range(first + 1, last + 1))
        elif isinstance(current, MappingNode):
            stack.extend(item for pair in current.value for item in pair)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
    return inside


def find_suppressions(text: str, path: str, node: Any = None) -> list[Suppression]:
    """Every suppression comment in `text` (the raw YAML of the file at display path `path`).

    With the file's composed `node`, lines inside multi-line scalars (a prompt in a `|`
    block that happens to hold `# specc: ...`) are not taken for comments.
    """
    found: list[Suppression] = []
    if "specc:" not in text:
        return found
    inside: set[int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if "specc:" not in line:
            continue
        if node is not None:
            inside = _lines_inside_scalars(node) if inside is None else inside
            if number in inside:
                continue
        start = comment_start(line)
        if start is None:
            continue
        match = _DIRECTIVE.match(line, start)
        if not match:
            continue
        keys = tuple(k.strip() for k in (match.group("keys") or "").split(",") if k.strip())
        span = Span(path, number, match.start() + 1, number, match.end() + 1)
        found.append(Suppression(span, match.group("kind") == "ignore-file", keys))
    return found


def _unused(suppression: Suppression, message: str, policy: Policy) -> Diagnostic:
    name = EXTRA_CORE_CODES[UNUSED_SUPPRESSION][0]
    info = policy.info(UNUSED_SUPPRESSION)
    severity = policy.severity(UNUSED_SUPPRESSION, name, info.severity if info is not None else Severity.WARNING)
    return Diagnostic(UNUSED_SUPPRESSION, name, severity, message, suppression.span)


class _Suppressions:
    """The suppressions of one check, indexed by file and line."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.own_path = doc.sources[0].path if doc.sources else doc.path
        self.by_file: dict[str, list[Suppression]] = {}
        for source in doc.sources:
            if source.text and source.path not in self.by_file:
                self.by_file[source.path] = find_suppressions(source.text, source.path, source.node)

    def own(self) -> list[Suppression]:
        return self.by_file.get(self.own_path, [])

    def silence(self, diagnostic: Diagnostic) -> bool:
        """Mark and return whether some suppression covers `diagnostic`."""
        candidates = [s for s in self.own() if s.file_wide]
        if diagnostic.path != self.own_path:
            candidates += [s for s in self.by_file.get(diagnostic.path, []) if s.file_wide]
        line_level = [s for s in self.by_file.get(diagnostic.path, []) if not s.file_wide]
        if line_level and diagnostic.span.line:
            lines = {diagnostic.span.line}
            if diagnostic.pointer is not None and any(s.span.line != diagnostic.span.line for s in line_level):
                lines.add(self.doc.span_of(diagnostic.pointer, key=True).line)
            candidates += [s for s in line_level if s.span.line in lines]
        silenced = False
        for suppression in candidates:
            key = suppression.covers(diagnostic)
            if key is not None:
                suppression.used.add(key)
                silenced = True
        return silenced


def unused_diagnostics(suppressions: list[Suppression], policy: Policy) -> list[Diagnostic]:
    """W001 for each entry of the file's own suppressions that silenced nothing."""
    out: list[Diagnostic] = []
    for suppression in suppressions:
        directive = "ignore-file" if suppression.file_wide else "ignore"
        if not suppression.keys:
            if "" not in suppression.used:
                out.append(_unused(suppression, f"unused suppression: `specc: {directive}` silences nothing here", policy))
            continue
        for key in suppression.keys:
            if key in suppression.used:
                continue
            info = next((i for i in policy.infos if i.code.upper() == key.upper() or i.name == key), None)
            if info is None:
                out.append(_unused(suppression, f"suppression names an unknown rule {key!r}", policy))
            elif is_locked(info.code):
                out.append(_unused(suppression, f"{info.code} ({info.name}) cannot be suppressed: fix the spec", policy))
            elif info.code == UNUSED_SUPPRESSION or not policy.enabled(info.code):
                continue  # not checked in this run, so "unused" would be a guess
            else:
                out.append(_unused(suppression, f"unused suppression: no {info.code} ({info.name}) "
                                   f"{'in this file' if suppression.file_wide else 'on this line'}", policy))
    return out


def finish(diagnostics: list[Diagnostic], doc: Document | None, policy: Policy) -> list[Diagnostic]:
    """Apply select/ignore, per-file-ignores, severity overrides and inline suppressions to one file's findings."""
    spec_path = doc.path if doc is not None else (diagnostics[0].path if diagnostics else "")
    kept = [d for d in diagnostics if policy.enabled(d.code) and not policy.ignored_here(spec_path, d.code, d.rule)]
    kept = [d if is_locked(d.code) else d.with_severity(policy.severity(d.code, d.rule, d.severity)) for d in kept]
    if doc is None or not doc.sources:
        return kept
    suppressions = _Suppressions(doc)
    if not any(suppressions.by_file.values()):
        return kept
    kept = [d for d in kept if is_locked(d.code) or not suppressions.silence(d)]
    if policy.enabled(UNUSED_SUPPRESSION) and not policy.ignored_here(spec_path, UNUSED_SUPPRESSION, "unused-suppression"):
        unused = unused_diagnostics(suppressions.own(), policy)
        kept += [d for d in unused if not _names_unused_code(suppressions.own(), d.span.line)]
    return kept


def _names_unused_code(suppressions: list[Suppression], line: int) -> bool:
    """`# specc: ignore[W001]` on a line (or `ignore-file[W001]`) keeps that line's other entries quiet."""
    name = EXTRA_CORE_CODES[UNUSED_SUPPRESSION][0]
    return any((s.file_wide or s.span.line == line) and any(k.upper() == UNUSED_SUPPRESSION or k == name for k in s.keys)
               for s in suppressions)
