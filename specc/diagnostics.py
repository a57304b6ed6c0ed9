"""Diagnostics: plain data that every stage produces and every renderer consumes."""

from __future__ import annotations

import enum

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs a cached `specc lint` more than a millisecond; checkers still see it
    from typing import Any, Iterable, Literal, Self


class Severity(str, enum.Enum):
    """How bad a finding is; ordered so that `ERROR > WARNING > INFO`."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Record:
    """An immutable value with named fields: equal and hashed by value, shown by a readable repr,
    copied and pickled by calling its constructor again.

    What `@dataclass(frozen=True, slots=True)` generates, written once by hand: importing
    dataclasses (with inspect, ast and dis) would cost a cached `specc lint` a fifth of its time.
    A subclass names its fields in `__slots__`, in the order of its `__init__` parameters, and its
    `__init__` passes the values on to `_fill`; fields in `_not_compared` take no part in == and hash.
    """

    __slots__: tuple[str, ...] = ()
    _not_compared: frozenset[str] = frozenset()
    _compared: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._compared = tuple(name for name in cls.__slots__ if name not in cls._not_compared)

    def _fill(self, *values: Any) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._compared)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({fields})"

    def __reduce__(self) -> tuple[type[Self], tuple[Any, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.__slots__)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (as `dataclasses.replace`)."""
        return type(self)(**{**self.as_dict(), **changes})


class Span(Record):
    """A region of a file, 1-based lines and columns, end exclusive; `line == 0` means "the whole file"."""

    __slots__ = ("path", "line", "column", "end_line", "end_column")
    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(self, path: str, line: int = 0, column: int = 0, end_line: int = 0, end_column: int = 0) -> None:
        self._fill(path, line, column, end_line, end_column)

    @classmethod
    def whole_file(cls, path: str) -> Span:
        return cls(path)


class Edit(Record):
    """One step of a fix, at a JSON pointer into the request body.

    `set` puts `value` at the pointer (creating missing mappings, appending new keys),
    `delete` removes the key, `rename` renames the key in place to `value` (keeping its position).
    """

    __slots__ = ("op", "pointer", "value")
    op: Literal["set", "delete", "rename"]
    pointer: tuple[str | int, ...]
    value: Any

    def __init__(self, op: Literal["set", "delete", "rename"], pointer: tuple[str | int, ...],
                 value: Any = None) -> None:
        self._fill(op, pointer, value)


class Fix(Record):
    """A mechanical, meaning-preserving change that `specc lint --fix` may apply.

    A fix without edits is the lack of one, for a finding a rule usually fixes: its
    `description` says why this one cannot be, and `--fix`/`--diff` say so (never silently).
    Build it with `Fix.unavailable(reason)`."""

    __slots__ = ("description", "edits")
    description: str
    edits: tuple[Edit, ...]

    def __init__(self, description: str, edits: tuple[Edit, ...] = ()) -> None:
        self._fill(description, edits)

    @classmethod
    def unavailable(cls, reason: str) -> Fix:
        return cls(reason, ())


class Diagnostic(Record):
    """One finding: what (code, rule), how bad (severity), why (message), where (span)."""

    __slots__ = ("code", "rule", "severity", "message", "span", "pointer", "fix")
    _not_compared = frozenset({"fix"})  # the same finding, whether or not it comes with a fix
    code: str
    rule: str
    severity: Severity
    message: str
    span: Span
    pointer: tuple[str | int, ...] | None
    fix: Fix | None

    def __init__(self, code: str, rule: str, severity: Severity, message: str, span: Span,
                 pointer: tuple[str | int, ...] | None = None, fix: Fix | None = None) -> None:
        self._fill(code, rule, severity, message, span, pointer, fix)

    @property
    def path(self) -> str:
        return self.span.path

    def with_severity(self, severity: Severity) -> Diagnostic:
        return self.replace(severity=severity)

    def sort_key(self) -> tuple[str, int, int, str, str]:
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
    "E004": ("unresolved-placeholder", "A `{{ name }}` placeholder that no var, environment variable or default "
                                       "resolves, where the body is needed (compile, send, test)."),
    "E005": ("file-include-error", "A `!file` include that is missing, unreadable, outside the project, or unparsable."),
    "E006": ("not-a-spec", "The document is empty, not a mapping, or lacks `request:`."),
    "E007": ("resource-limit", "The input exceeds a safety limit (size, depth, aliases, string length)."),
    "E008": ("invalid-spec-value", "A spec key other than `request` has a value of the wrong type."),
    "E009": ("cassette-path", "A `cassette:` path no recording can be kept at: not a file name, a URL, absolute, "
                              "outside the project, or a folder."),
    "I001": ("placeholder-without-value", "Lint checked a placeholder whose value only the environment or `--var` "
                                          "gives as a string: compile, send and test need the value."),
    "E010": ("matrix-error", "A `matrix:` that gives no usable variants: a name that is neither a placeholder nor a "
                             "request path, an empty list, an unknown name in `exclude`, or more variants than "
                             "`max-variants`."),
    "S101": ("schema-violation", "The compiled body violates OpenRouter's request schema."),
    "S102": ("unknown-request-field", "A top-level request field that neither the schema nor specc's overlay knows."),
    "S103": ("value-newer-than-schema", "A value at an extension point (server tool, plugin id, engine, effort, "
                                        "...) that the vendored schema lacks and no known value is close to."),
}


def core(code: str, message: str, span: Span, severity: Severity = Severity.ERROR,
         pointer: tuple[str | int, ...] | None = None) -> Diagnostic:
    """Build a diagnostic with one of the core codes."""
    return Diagnostic(code, CORE_CODES[code][0], severity, message, span, pointer)


def by_place(found: Iterable[tuple[Diagnostic, str | None]]) -> list[tuple[Diagnostic, list[str]]]:
    """Each distinct finding (same code, message and span) once, as first found, with the sources
    (a spec, a variant) it came from, in order; a source given as None is not listed."""
    places: dict[tuple[str, str, str, int, int, int, int], tuple[Diagnostic, list[str]]] = {}
    for d, source in found:
        key = (d.code, d.message, d.span.path, d.span.line, d.span.column, d.span.end_line, d.span.end_column)
        sources = places.setdefault(key, (d, []))[1]
        if source is not None and source not in sources:
            sources.append(source)
    return list(places.values())


def with_message(d: Diagnostic, message: str) -> Diagnostic:
    """`d` saying `message` instead, everything else kept."""
    return Diagnostic(d.code, d.rule, d.severity, message, d.span, d.pointer, d.fix)
