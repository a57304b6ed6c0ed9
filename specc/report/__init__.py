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
    """A text stream that redacts secrets from everything written through it, however it is cut.

    It redacts as one stream (`specc.secrets.StreamRedactor`): a secret split between two
    writes is still caught, so a little trailing text may wait for the next write or for
    `finish`. With `terminal=True` (the CLI's stdout and stderr) control characters are shown
    as visible escapes, so nothing a server sent can drive the terminal. Wrapping a
    ScrubbingWriter returns it unchanged: one stream, one redactor.
    """

    def __new__(cls, out: TextIO, terminal: bool = False) -> ScrubbingWriter:
        if isinstance(out, ScrubbingWriter):
            return out
        return super().__new__(cls)

    def __init__(self, out: TextIO, terminal: bool = False):
        if out is self:
            return
        from ..secrets import StreamRedactor

        self._out = out
        self._stream = StreamRedactor()
        self._terminal = terminal

    def write(self, text: str) -> int:
        self._emit(self._stream.feed(text))
        return len(text)

    def _emit(self, text: str) -> None:
        if text:
            if self._terminal:
                from ..secrets import neutralise_controls

                text = neutralise_controls(text)
            self._out.write(text)

    def finish(self) -> None:
        """Write what is held back (the end of the output, or of one piece of it); writing may go on."""
        self._emit(self._stream.finish())

    def isatty(self) -> bool:
        return bool(getattr(self._out, "isatty", lambda: False)())

    def flush(self) -> None:
        getattr(self._out, "flush", lambda: None)()

    def __getattr__(self, name: str):  # encoding, fileno, ...: the wrapped stream's
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._out, name)


def renderer(name: str) -> Callable[..., None]:
    """The `render` function of format `name` (imported on demand), writing through `ScrubbingWriter`."""
    import importlib

    render = importlib.import_module(f".{name}", __name__).render

    def scrubbed(report: LintReport, out: TextIO, **options: Any) -> None:
        writer = ScrubbingWriter(out)
        render(report, writer, **options)
        writer.finish()

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
