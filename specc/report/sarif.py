"""`--format sarif`: SARIF 2.1.0, for GitHub code scanning and editors.

One run; `tool.driver.rules` describes every code that appears in the results
(with the rule's docstring as markdown help), and each result points at the
file by a relative URI with forward slashes and at the span by a region
(SARIF columns are 1-based and the end column is exclusive, as in specc).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..diagnostics import Diagnostic, Severity
from . import LintReport, relative_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Sequence, TextIO

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/specc/"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    shown = relative_path(path)
    if Path(shown).is_absolute():
        return Path(shown).as_uri()
    return quote(shown, safe="/")


def _descriptor(info: Any) -> dict[str, Any]:
    summary = info.summary or info.name
    why = info.rule.section("Why") if info.rule else ""
    doc = info.doc() or summary
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": why or summary},
        "help": {"text": doc, "markdown": f"**{info.code} {info.name}**\n\n{doc}"},
        "defaultConfiguration": {"level": _LEVELS[info.severity]},
        "properties": {"fixable": info.fixable, "tags": ["specc", "openrouter"]},
    }


def _result(diagnostic: Diagnostic, index: int) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": _uri(diagnostic.span.path)}}
    span = diagnostic.span
    if span.line:
        region = {"startLine": span.line, "startColumn": max(span.column, 1)}
        if span.end_line >= span.line and span.end_line:
            region.update(endLine=span.end_line, endColumn=max(span.end_column, 1))
        location["region"] = region
    return {
        "ruleId": diagnostic.code,
        "ruleIndex": index,
        "level": _LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [{"physicalLocation": location}],
    }


def sarif_log(report: LintReport, infos: Sequence[Any] | None = None) -> dict[str, Any]:
    """The SARIF document for `report`; `infos` (selection.CodeInfo) describe the codes, default: all known."""
    from ..selection import CodeInfo, code_infos

    if infos is None:
        from ..rules import all_rules

        infos = code_infos(all_rules())
    known = {info.code: info for info in infos}
    used: list[str] = []
    for diagnostic in report.diagnostics:
        if diagnostic.code not in used:
            used.append(diagnostic.code)
    used.sort()
    described = [known.get(code) or CodeInfo(code, next(d.rule for d in report.diagnostics if d.code == code),
                                              Severity.WARNING, "") for code in used]
    index = {code: i for i, code in enumerate(used)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "specc",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(info) for info in described],
            }},
            "results": [_result(d, index[d.code]) for d in report.diagnostics],
        }],
    }


def render(report: LintReport, out: TextIO, *, rules: Sequence[Any] | None = None, **_: object) -> None:
    out.write(json.dumps(sarif_log(report, rules), indent=2, ensure_ascii=False) + "\n")
