"""The comparison table of a matrix spec's send (`specc send SPEC` on a matrix spec):
one row per variant (`variants.VariantRun.row`), as aligned text, markdown, CSV or JSON."""

from __future__ import annotations

import csv
import json
from typing import Any, Sequence, TextIO

from ..variants import COLUMNS
from .answer import money

FORMATS = ("text", "markdown", "csv", "json")
_HEADERS = {"variant": "variant", "model": "served model", "provider": "provider", "status": "status",
            "finish": "finish", "ttft_s": "ttft", "total_s": "total", "prompt_tokens": "prompt",
            "completion_tokens": "completion", "reasoning_tokens": "reasoning", "cost": "cost",
            "estimate": "estimate", "expect": "expect"}


def render(rows: Sequence[dict[str, Any]], out: TextIO, format: str = "text") -> None:
    """Write the table of `rows` in `format` (one of FORMATS)."""
    if format == "json":
        out.write(json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n")
        return
    if format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([["" if row[c] is None else row[c] for c in COLUMNS] for row in rows])
        return
    columns = [c for c in COLUMNS if any(row.get(c) is not None for row in rows)] or ["variant"]
    cells = [[_cell(c, row.get(c)) for c in columns] for row in rows]
    headers = [_HEADERS[c] for c in columns]
    if format == "markdown":
        out.write("| " + " | ".join(headers) + " |\n")
        out.write("|" + "|".join("---:" if _numeric(c) else "---" for c in columns) + "|\n")
        for line in cells:
            out.write("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |\n")
        return
    widths = [max(len(h), *(len(line[i]) for line in cells)) for i, h in enumerate(headers)]

    def aligned(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if _numeric(c) else v.ljust(w)
                         for v, w, c in zip(values, widths, columns)).rstrip()

    out.write(aligned(headers) + "\n")
    for line in cells:
        out.write(aligned(line) + "\n")


def _numeric(column: str) -> bool:
    return column in ("ttft_s", "total_s", "prompt_tokens", "completion_tokens", "reasoning_tokens", "cost")


def _cell(column: str, value: Any) -> str:
    if value is None:
        return "-"
    if column in ("ttft_s", "total_s"):
        return f"{value:.2f}s"
    if column == "cost" and isinstance(value, (int, float)):
        return "$" + money(value)
    return str(value)
