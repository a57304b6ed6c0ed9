"""`--format json`: one object with every diagnostic and a summary, for scripts."""

from __future__ import annotations

import json

from . import LintReport

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO


def render(report: LintReport, out: TextIO, **_: object) -> None:
    document = {
        "diagnostics": [d.to_dict() for d in report.diagnostics],
        "summary": report.summary(),
    }
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
