"""A fixed list of diagnostics that every format's golden file is rendered from."""

from __future__ import annotations

from specc.diagnostics import Diagnostic, Severity, Span
from specc.report import LintReport
from specc.selection import code_infos
from tests._fakes import FAKE_RULES

SECRET = "sk-or-v1-" + "0123456789abcdef" * 4

DIAGNOSTICS = [
    Diagnostic("E001", "yaml-syntax", Severity.ERROR, "YAML syntax error: found character '\\t' that cannot start any token",
               Span("specs/broken.yaml")),
    Diagnostic("S101", "schema-violation", Severity.ERROR,
               "request.temperature: 100% too high, expected <= 2: got 7\nsee the schema", Span("specs/a.yaml", 4, 16, 4, 17),
               ("request", "temperature")),
    Diagnostic("S102", "unknown-request-field", Severity.WARNING,
               "request field 'zzz' is not in OpenRouter's schema; the API passes it through unchecked",
               Span("specs/a.yaml", 6, 3, 6, 6), ("request", "zzz")),
    Diagnostic("OR990", "fake-max-tokens", Severity.INFO, f"max_tokens is deprecated (key {SECRET} <b>&</b>)",
               Span("specs/dir with space/b.yaml", 3, 3, 3, 13), ("request", "max_tokens")),
    Diagnostic("W001", "unused-suppression", Severity.WARNING, "unused suppression: no OR990 (fake-max-tokens) on this line",
               Span("specs/dir with space/b.yaml", 5, 18, 5, 41)),
]

PATHS = ["specs/a.yaml", "specs/broken.yaml", "specs/clean.yaml", "specs/dir with space/b.yaml"]


def sample_report() -> LintReport:
    return LintReport(diagnostics=list(DIAGNOSTICS), files=len(PATHS), paths=list(PATHS))


def sample_infos():
    return code_infos(FAKE_RULES)
