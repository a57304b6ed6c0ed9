"""`--format text`: `path:line:col: CODE message`, a source excerpt with a caret, a summary."""

from __future__ import annotations

import os

from ..diagnostics import Severity
from . import LintReport, ScrubbingWriter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from ..diagnostics import Diagnostic

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def use_color(out: TextIO | ScrubbingWriter) -> bool:
    """Colour on a terminal only, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(out, "isatty", lambda: False)())


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


# An excerpt reads a file only down to the last line it shows, keeping at most this much of a
# line (200 characters are shown) and never reading further into a file than the largest one a
# spec may be configured to: a file refused by its size is not read whole to show its first line.
_MAX_EXCERPT_LINE_BYTES = 64 * 1024
_MAX_EXCERPT_FILE_BYTES = 64 * 1024 * 1024


def read_lines(path: str, cache: dict[str, list[str]], upto: int) -> list[str]:
    """The first `upto` lines of `path` (fewer when it is shorter), read once per report."""
    if path not in cache:
        cache[path] = []
        if upto < 1:
            return cache[path]
        # Only regular files: opening a FIFO blocks for ever, a device never ends.
        from ..files import Unreadable, read_first_lines

        try:
            cache[path] = read_first_lines(path, upto, _MAX_EXCERPT_LINE_BYTES, _MAX_EXCERPT_FILE_BYTES)
        except (Unreadable, ValueError):
            pass
    return cache[path]


def excerpt(diagnostic: Diagnostic, lines: list[str], color: bool) -> list[str]:
    """The offending line with carets under the span, ending in `severity[rule]`."""
    span = diagnostic.span
    if span.line < 1 or span.line > len(lines):
        return []
    source = lines[span.line - 1].expandtabs(1)
    if len(source) > 200:
        source = source[:197] + "..."
    start = max(span.column - 1, 0)
    end = span.end_column - 1 if span.end_line == span.line and span.end_column > span.column else len(source.rstrip())
    width = max(1, min(end, len(source)) - start)
    gutter = " " * len(str(span.line))
    label = f"{diagnostic.severity.value}[{diagnostic.rule}]"
    carets = _paint("^" * width + " " + label, _COLORS[diagnostic.severity], color)
    return [f"{gutter} |", f"{span.line} | {source}", f"{gutter} | {' ' * start}{carets}"]


def headline(diagnostic: Diagnostic, color: bool = False) -> str:
    span = diagnostic.span
    where = f"{span.path}:{span.line}:{span.column}" if span.line else f"{span.path}:1:1"
    code = _paint(diagnostic.code, _COLORS[diagnostic.severity] + ";1", color)
    message = " ".join(diagnostic.message.splitlines())  # one line per finding, whatever the message holds
    return f"{where}: {code} {message}"


def _mask_secrets(line: str) -> str:
    from ..secrets import REDACTED, find_secrets

    for found in sorted(set(find_secrets(line)), key=len, reverse=True):
        line = line.replace(found, REDACTED)
    return line


def summary_line(report: LintReport) -> str:
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    files = f"{report.files} file{'s' if report.files != 1 else ''}"
    skipped = f", {report.skipped} non-spec file{'s' if report.skipped != 1 else ''} skipped" if report.skipped else ""
    if not report.diagnostics:
        return f"All checks passed: {files} linted{skipped}."
    return (f"Found {errors} error{'s' if errors != 1 else ''} and {warnings} warning{'s' if warnings != 1 else ''}"
            f" in {files}{skipped}.")


def render(report: LintReport, out: TextIO, *, color: bool | None = None, quiet: bool = False,
           statistics: bool = False, **_: object) -> None:
    scrubbed = ScrubbingWriter(out)  # callers that import this renderer directly get scrubbing too
    try:
        _render(report, scrubbed, color=color, quiet=quiet, statistics=statistics)
    finally:
        scrubbed.finish()


def _render(report: LintReport, out: ScrubbingWriter, *, color: bool | None, quiet: bool, statistics: bool) -> None:
    paint = use_color(out) if color is None else color
    cache: dict[str, list[str]] = {}
    last_line: dict[str, int] = {}  # per file, the last line an excerpt shows: no more of it is read
    for d in report.diagnostics:
        last_line[d.span.path] = max(last_line.get(d.span.path, 0), d.span.line)
    # The excerpt of a file OR801 fired in never shows what OR801 flags (any line of it).
    holding_secrets = {d.span.path for d in report.diagnostics if d.code == "OR801"}
    for diagnostic in report.diagnostics:
        out.write(headline(diagnostic, paint) + "\n")
        if not quiet:
            for line in excerpt(diagnostic, read_lines(diagnostic.span.path, cache, last_line[diagnostic.span.path]), paint):
                out.write((_mask_secrets(line) if diagnostic.span.path in holding_secrets else line) + "\n")
    if statistics and report.diagnostics:
        counts: dict[tuple[str, str], int] = {}
        for d in report.diagnostics:
            counts[(d.code, d.rule)] = counts.get((d.code, d.rule), 0) + 1
        for (code, rule), n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            out.write(f"{n:>5}  {code:<6} {rule}\n")
    if report.fixed:
        out.write(f"Fixed {report.fixed} finding{'s' if report.fixed != 1 else ''}.\n")
    if not quiet or report.diagnostics:
        out.write(summary_line(report) + "\n")
