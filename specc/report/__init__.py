"""Renderers: diagnostics (plain data) in, text for a person or a machine out.

Each format is one module with `render(report: LintReport, out: TextIO, options) -> None`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..diagnostics import Diagnostic, Severity

FORMATS = ("text", "json", "github", "sarif", "junit")


@dataclass
class LintReport:
    """Everything a renderer needs about one run of `specc lint`."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    skipped: int = 0
    fixed: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def summary(self) -> dict[str, int]:
        return {"files": self.files, "skipped": self.skipped,
                "errors": self.count(Severity.ERROR), "warnings": self.count(Severity.WARNING)}


def renderer(name: str) -> Callable:
    """The `render` function of format `name` (imported on demand)."""
    import importlib

    return importlib.import_module(f".{name}", __name__).render
