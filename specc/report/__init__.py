"""Renderers: diagnostics (plain data) in, text for a person or a machine out.

Each format is one module with `render(report: LintReport, out: TextIO, **options) -> None`;
`renderer(name)` returns it wrapped so that everything it writes goes through
`specc.secrets.scrub`, whatever the format (messages, source excerpts, paths).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

from ..diagnostics import Diagnostic, Severity

FORMATS = ("text", "json", "github", "sarif", "junit")


@dataclass
class LintReport:
    """Everything a renderer needs about one run of `specc lint`."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    skipped: int = 0
    fixed: int = 0
    paths: list[str] = field(default_factory=list)  # every file linted, clean or not (for junit)
    notes: list[str] = field(default_factory=list)  # said once per run, after the report (catalog skipped or stale)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def summary(self) -> dict[str, int]:
        return {"files": self.files, "skipped": self.skipped,
                "errors": self.count(Severity.ERROR), "warnings": self.count(Severity.WARNING)}

    def statistics(self) -> list[tuple[int, str, str]]:
        """(count, code, rule) per rule, most frequent first."""
        counts: dict[tuple[str, str], int] = {}
        for d in self.diagnostics:
            counts[(d.code, d.rule)] = counts.get((d.code, d.rule), 0) + 1
        return sorted(((n, code, rule) for (code, rule), n in counts.items()), key=lambda item: (-item[0], item[1]))


class ScrubbingWriter:
    """A text stream that scrubs secrets from every write before passing it on (renderers write whole lines)."""

    def __init__(self, out: TextIO):
        self._out = out

    def write(self, text: str) -> int:
        from ..secrets import scrub

        return self._out.write(scrub(text))

    def isatty(self) -> bool:
        return bool(getattr(self._out, "isatty", lambda: False)())

    def flush(self) -> None:
        getattr(self._out, "flush", lambda: None)()

    def __getattr__(self, name: str):  # encoding, fileno, ...: the wrapped stream's
        return getattr(self._out, name)


def renderer(name: str) -> Callable[..., None]:
    """The `render` function of format `name` (imported on demand), writing through `ScrubbingWriter`."""
    import importlib

    render = importlib.import_module(f".{name}", __name__).render

    def scrubbed(report: LintReport, out: TextIO, **options: Any) -> None:
        render(report, out if isinstance(out, ScrubbingWriter) else ScrubbingWriter(out), **options)

    return scrubbed


def relative_path(path: str, base: Path | None = None) -> str:
    """`path` relative to `base` (the cwd) with forward slashes when it lies inside, else as given."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.resolve().relative_to((base or Path.cwd()).resolve())
        except (ValueError, OSError):
            return candidate.as_posix()
    return candidate.as_posix()
