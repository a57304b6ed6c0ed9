"""Renderers: diagnostics (plain data) in, text for a person or a machine out.

Each format is one module with `render(report: LintReport, out: TextIO, **options) -> None`;
`renderer(name)` returns it wrapped so that everything it writes goes through
`specc.secrets.scrub`, whatever the format (messages, source excerpts, paths).
"""

from __future__ import annotations

from ..diagnostics import Severity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, Callable, TextIO

    from ..diagnostics import Diagnostic

FORMATS = ("text", "json", "github", "sarif", "junit")


class LintReport:
    """Everything a renderer needs about one run of `specc lint`."""

    def __init__(self, diagnostics: list[Diagnostic] | None = None, files: int = 0, skipped: int = 0,
                 fixed: int = 0, paths: list[str] | None = None, notes: list[str] | None = None) -> None:
        self.diagnostics = diagnostics if diagnostics is not None else []
        self.files = files
        self.skipped = skipped
        self.fixed = fixed
        self.paths = paths if paths is not None else []  # every file linted, clean or not (for junit)
        self.notes = notes if notes is not None else []  # said once per run, after the report (catalog skipped or stale)

    def __repr__(self) -> str:
        return (f"LintReport(files={self.files}, skipped={self.skipped}, fixed={self.fixed},"
                f" diagnostics={self.diagnostics!r}, notes={self.notes!r})")

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
    from pathlib import Path

    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.resolve().relative_to((base or Path.cwd()).resolve())
        except (ValueError, OSError):
            return candidate.as_posix()
    return candidate.as_posix()
