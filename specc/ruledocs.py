"""Rule documentation generated from the code: listings, one rule's page, the README table.

Everything here reads `selection.CodeInfo` (rules and core codes alike), whose
text comes from the rule docstrings, so the docs cannot drift from the rules.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from .selection import CodeInfo, is_locked

README_START = "<!-- rules:start -->"
README_END = "<!-- rules:end -->"


def all_infos() -> list[CodeInfo]:
    """Every code specc can report: the core codes, then the rules."""
    from .rules import all_rules
    from .selection import code_infos

    return code_infos(all_rules())


def find_info(key: str, infos: Sequence[CodeInfo]) -> CodeInfo | None:
    """Look a code up by code (any case) or name."""
    return next((i for i in infos if i.code.upper() == key.strip().upper() or i.name == key.strip()), None)


def as_json(infos: Iterable[CodeInfo]) -> list[dict[str, Any]]:
    return [{"code": i.code, "name": i.name, "severity": i.severity.value, "summary": i.summary,
             "fixable": i.fixable, "needs_catalog": i.needs_catalog, "opt_in": i.opt_in, "core": i.core} for i in infos]


def text_table(infos: Sequence[CodeInfo]) -> str:
    """Aligned columns: code, name, severity, `fix` when fixable, summary."""
    width = max((len(i.name) for i in infos), default=4)
    lines = [f"{i.code:<6} {i.name:<{width}} {i.severity.value:<7} {'fix' if i.fixable else '   '} {i.summary}"
             + (f" (opt-in: --select {i.code})" if i.opt_in else "") for i in infos]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(infos: Sequence[CodeInfo]) -> str:
    """The README's rule table (generated; edit the rule docstrings instead)."""
    rows = ["| Code | Name | Severity | Fix | What it checks |", "|---|---|---|---|---|"]
    for i in infos:
        flags = "yes" if i.fixable else ""
        summary = i.summary + (" *(needs the model catalog)*" if i.needs_catalog else "")
        summary += f" *(opt-in: `--select {i.code}`)*" if i.opt_in else ""
        rows.append(f"| {i.code} | `{i.name}` | {i.severity.value} | {flags} | {_cell(summary)} |")
    return "\n".join(rows) + "\n"


def rule_page(info: CodeInfo) -> str:
    """One code's page: a header line, then the docstring (summary, Why, Example, Fix, Source)."""
    facts = [info.severity.value, "fixable with --fix" if info.fixable else "not auto-fixable"]
    if info.needs_catalog:
        facts.append("needs the model catalog")
    if info.opt_in:
        facts.append(f"opt-in: runs only with --select {info.code}")
    if getattr(info.rule, "checks_partial_specs", False):
        facts.append("also checks bases")
    if info.core:
        facts.append("core code; always reported, cannot be suppressed" if is_locked(info.code) else "core code")
    header = f"{info.code} {info.name} ({', '.join(facts)})"
    return f"{header}\n{'=' * len(header)}\n\n{info.doc().strip()}\n"


def replace_readme_table(readme: str, table: str) -> str:
    """`readme` with the text between the rules markers replaced by `table`; ValueError if a marker is missing."""
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README lacks the {README_START} / {README_END} markers")
    return readme[: start + len(README_START)] + "\n" + table + readme[end:]
