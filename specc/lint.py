"""Lint many paths: find the spec files, check each, collect one report. The library side of `specc lint`."""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from .catalog import catalog_notes
from .check import Checker, CheckResult
from .config import Config
from .diagnostics import Severity
from .load import is_spec_text
from .report import LintReport

YAML_SUFFIXES = (".yaml", ".yml")
# Folders that never hold a team's specs and are expensive to walk.
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox",
                          ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".specc_cache", "build", "dist"})


class PathError(Exception):
    """A path named on the command line does not exist."""


@dataclass
class Target:
    """A file to lint; `explicit` when named on the command line (then always linted as a spec)."""

    path: str
    explicit: bool


@dataclass
class Discovery:
    targets: list[Target] = field(default_factory=list)
    skipped: int = 0


def _excluded(path: str, patterns: Sequence[str], root: str | None) -> bool:
    if not patterns:
        return False
    candidates = {Path(path).as_posix()}
    if root:
        try:
            candidates.add(Path(path).resolve().relative_to(root).as_posix())
        except ValueError:
            pass
    return any(fnmatch.fnmatch(c, p) or fnmatch.fnmatch(c, p.rstrip("/") + "/*") for c in candidates for p in patterns)


def discover(paths: Iterable[str], exclude: Sequence[str] = (), root: str | None = None) -> Discovery:
    """Expand files and folders into spec files, in a stable order; count non-spec YAML as skipped."""
    found = Discovery()
    seen: set[str] = set()
    for raw in paths:
        if os.path.isdir(raw):
            for path in _walk(raw):
                if path in seen or _excluded(path, exclude, root):
                    continue
                seen.add(path)
                if _looks_like_spec(path):
                    found.targets.append(Target(path, explicit=False))
                else:
                    found.skipped += 1
        elif os.path.lexists(raw):
            if raw not in seen:
                seen.add(raw)
                found.targets.append(Target(raw, explicit=True))
        else:
            raise PathError(f"{raw}: no such file or directory")
    return found


def _walk(folder: str) -> Iterator[str]:
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(YAML_SUFFIXES):
                yield os.path.join(current, name)


def _looks_like_spec(path: str) -> bool:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return True  # a FIFO would block the read; the loader refuses it with a diagnostic
        with open(path, "rb") as handle:
            head = handle.read(256 * 1024)
    except OSError:
        return True  # let the loader report why it cannot be read
    return is_spec_text(head.decode("utf-8", errors="replace"))


def lint_paths(paths: Sequence[str], checker: Checker, cli_vars: Mapping[str, str] | None = None) -> tuple[LintReport, list[CheckResult]]:
    """Check every spec under `paths`; raises PathError for a path that does not exist."""
    config = checker.config
    discovery = discover(paths, config.exclude, config.root)
    report = LintReport(skipped=discovery.skipped)
    report.notes = catalog_notes(checker.catalog, config, checker.rules)
    results = [checker.check_path(target.path, cli_vars) for target in discovery.targets]
    report.files = len(results)
    for result in results:
        report.diagnostics.extend(result.diagnostics)
    return report, results


def exit_code(report: LintReport, fail_on: str) -> int:
    """0 when nothing at or above `fail_on`, else 1."""
    threshold = Severity(fail_on)
    return 1 if any(d.severity >= threshold for d in report.diagnostics) else 0


def build_checker(config: Config, schema_dir: str | None = None) -> Checker:
    """The checker for a run: schema set built once, rules selected by the config."""
    from .rules import all_rules
    from .schema import SchemaSet
    from .selection import selected_rules

    schemas = SchemaSet.load(Path(schema_dir or config.schema_dir) if (schema_dir or config.schema_dir) else None)
    rules = [rule() for rule in selected_rules(all_rules(), config)]
    catalog = None
    if any(rule.needs_catalog for rule in rules):  # the catalog rules run only with the project's catalog
        from .catalog import CatalogError, load_project_catalog
        from .config import ConfigError

        try:
            catalog = load_project_catalog(config)
        except CatalogError as exc:
            raise ConfigError(str(exc)) from None
    return Checker(schemas=schemas, rules=rules, config=config, catalog=catalog)
