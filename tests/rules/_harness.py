"""What every rule family's tests share: the case files, linting one, golden lines, applying fixes.

Case files live in tests/rules/cases/<CODE>/: every `fail_*.yaml` has a golden
`fail_*.expected` beside it (one `line:col CODE message` per diagnostic of that code),
every `pass_*.yaml` must draw no diagnostic of that code (tests/rules/test_cases.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

CASES = Path(__file__).parent / "cases"


def case_files(codes: Iterable[str], prefix: str) -> list[Path]:
    """The `fail` or `pass` case files of `codes`, in a stable order."""
    return sorted(path for code in sorted(codes) for path in (CASES / code).glob(f"{prefix}_*.yaml"))


def lint_case(checker, path: Path):
    """Check a case file, naming it relative to the cases folder (as the goldens do)."""
    return checker.check_path(path, display=path.relative_to(CASES).as_posix())


def golden_lines(result, code: str) -> list[str]:
    return [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in result.diagnostics if d.code == code]


def apply_edits(body: dict, edits) -> dict:
    """Apply a fix's `set`/`delete`/`rename` edits to a copy of the body (`set` creates missing
    mappings on its way, as `specc lint --fix` does)."""
    body = json.loads(json.dumps(body))
    for edit in edits:
        target = body
        for step in edit.pointer[:-1]:
            if isinstance(target, dict) and step not in target and edit.op == "set":
                target[step] = {}
            target = target[step]
        key = edit.pointer[-1]
        if edit.op == "set":
            target[key] = edit.value
        elif edit.op == "rename":
            assert edit.value not in target, "a rename must not overwrite a key"
            target[edit.value] = target.pop(key)
        else:
            assert edit.op == "delete"
            del target[key]
    return body
