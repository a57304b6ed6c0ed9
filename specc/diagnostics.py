"""Diagnostics: plain data that every stage produces and every renderer consumes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any, Literal


class Severity(str, enum.Enum):
    """How bad a finding is; ordered so that `ERROR > WARNING > INFO`."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a file, 1-based lines and columns, end exclusive; `line == 0` means "the whole file"."""

    path: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0

    @classmethod
    def whole_file(cls, path: str) -> Span:
        return cls(path)


@dataclass(frozen=True, slots=True)
class Edit:
    """One step of a fix, at a JSON pointer into the request body.

    `set` puts `value` at the pointer (creating missing mappings, appending new keys),
    `delete` removes the key, `rename` renames the key in place to `value` (keeping its position).
    """

    op: Literal["set", "delete", "rename"]
    pointer: tuple
    value: Any = None


@dataclass(frozen=True, slots=True)
class Fix:
    """A mechanical, meaning-preserving change that `specc lint --fix` may apply."""

    description: str
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: what (code, rule), how bad (severity), why (message), where (span)."""

    code: str
    rule: str
    severity: Severity
    message: str
    span: Span
    pointer: tuple[str | int, ...] | None = None
    fix: Fix | None = field(default=None, compare=False)

    @property
    def path(self) -> str:
        return self.span.path

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.line, self.span.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of a diagnostic (used by `--format json` and the cache)."""
        return {
            "path": self.span.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
        }


# Codes of the core pipeline (issue 2). Rules carry their own codes in specc/rules/.
CORE_CODES: dict[str, tuple[str, str]] = {
    "E001": ("yaml-syntax", "The file is not valid YAML (or not UTF-8 text)."),
    "E002": ("unknown-spec-key", "A top-level key that the spec format does not define."),
    "E003": ("extends-error", "A base spec named in `extends` is missing, unreadable, outside the project, or cyclic."),
    "E004": ("unresolved-placeholder", "A `{{ name }}` placeholder that no var or environment variable resolves."),
    "E005": ("file-include-error", "A `!file` include that is missing, unreadable, outside the project, or unparsable."),
    "E006": ("not-a-spec", "The document is empty, not a mapping, or lacks `request:`."),
    "E007": ("resource-limit", "The input exceeds a safety limit (size, depth, aliases, string length)."),
    "E008": ("invalid-spec-value", "A spec key other than `request` has a value of the wrong type."),
    "S101": ("schema-violation", "The compiled body violates OpenRouter's request schema."),
    "S102": ("unknown-request-field", "A top-level request field that neither the schema nor specc's overlay knows."),
}


def core(code: str, message: str, span: Span, severity: Severity = Severity.ERROR,
         pointer: tuple[str | int, ...] | None = None) -> Diagnostic:
    """Build a diagnostic with one of the core codes."""
    return Diagnostic(code, CORE_CODES[code][0], severity, message, span, pointer)
