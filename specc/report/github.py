"""`--format github`: GitHub Actions workflow commands, shown as annotations on the pull request.

    ::error file=specs/a.yaml,line=3,col=5,endLine=3,endColumn=9,title=OR301 debug-echo-without-stream::message

Values are escaped as GitHub's toolkit does: `%`, CR and LF everywhere, and also
`:` and `,` inside properties. Severities map to `error`, `warning` and `notice`.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, Severity
from . import LintReport, relative_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic) -> str:
    """One workflow command for `diagnostic`; a whole-file diagnostic carries no line."""
    span = diagnostic.span
    properties: list[tuple[str, str | int]] = [("file", relative_path(span.path))]
    if span.line:
        properties += [("line", span.line), ("col", span.column)]
        if span.end_line:
            properties += [("endLine", span.end_line), ("endColumn", span.end_column)]
    properties.append(("title", f"{diagnostic.code} {diagnostic.rule}"))
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{_LEVELS[diagnostic.severity]} {props}::{escape_data(diagnostic.message)}"


def render(report: LintReport, out: TextIO, *, statistics: bool = False, **_: object) -> None:
    for diagnostic in report.diagnostics:
        out.write(annotation(diagnostic) + "\n")
    if statistics:  # plain lines are shown in the job log, not as annotations
        for count, code, rule in report.statistics():
            out.write(f"{count:>5}  {code:<6} {rule}\n")
