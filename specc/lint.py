"""Lint many paths: find the spec files, check each, collect one report. The library side of `specc lint`."""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Sequence

from .config import Config
from .diagnostics import Severity
from .report import LintReport

if TYPE_CHECKING:  # the checker's modules are heavy; a cached run never imports them
    from .cache import LintCache
    from .check import Checker, CheckResult

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
    skipped_paths: list[str] = field(default_factory=list)  # YAML files in folders that are not specs

    @property
    def skipped(self) -> int:
        return len(self.skipped_paths)


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


def discover(paths: Iterable[str], exclude: Sequence[str] = (), root: str | None = None,
             known_spec: Callable[[str], bool | None] | None = None) -> Discovery:
    """Expand files and folders into spec files, in a stable order; count non-spec YAML as skipped.

    `known_spec(path)` may answer from a cache whether an unchanged file is a spec (None: look).
    """
    found = Discovery()
    seen: set[str] = set()
    for raw in paths:
        if os.path.isdir(raw):
            for path in _walk(raw):
                if path in seen or _excluded(path, exclude, root):
                    continue
                seen.add(path)
                answer = known_spec(path) if known_spec else None
                if answer if answer is not None else looks_like_spec(path):
                    found.targets.append(Target(path, explicit=False))
                else:
                    found.skipped_paths.append(path)
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


def looks_like_spec(path: str) -> bool:
    """Whether a YAML file holds a top-level `request:` (read from its head; unreadable files count as specs)."""
    from .load import is_spec_text

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return True  # a FIFO would block the read; the loader refuses it with a diagnostic
        with open(path, "rb") as handle:
            head = handle.read(256 * 1024)
    except OSError:
        return True  # let the loader report why it cannot be read
    return is_spec_text(head.decode("utf-8", errors="replace"))


def lint_paths(paths: Sequence[str], checker: "Checker", cli_vars: Mapping[str, str] | None = None) -> tuple[LintReport, list["CheckResult"]]:
    """Check every spec under `paths`, keeping whole results (for `--fix`); raises PathError."""
    from .catalog import catalog_notes

    config = checker.config
    discovery = discover(paths, config.exclude, config.root)
    report = LintReport(skipped=discovery.skipped)
    report.notes = catalog_notes(checker.catalog, config, checker.rules)
    results = [checker.check_path(target.path, cli_vars) for target in discovery.targets]
    report.files = len(results)
    for result in results:
        report.diagnostics.extend(result.diagnostics)
    return report, results


def lint_report(paths: Sequence[str], config: Config, make_checker: Callable[[], "Checker"],
                cli_vars: Mapping[str, str] | None = None, jobs: int = 1,
                cache: "LintCache | None" = None) -> LintReport:
    """The report for `paths`: cached results where nothing changed, the rest checked on `jobs` cores.

    The checker is built (`make_checker()`) only when some file needs checking, so a re-run
    over an unchanged tree never loads the schema, the rules or their dependencies.
    """
    from .batch import from_cached, to_cached

    def known_spec(path: str) -> bool | None:
        entry = cache.get(path) if cache is not None else None
        return entry.is_spec if entry is not None else None

    discovery = discover(paths, config.exclude, config.root, known_spec if cache is not None else None)
    report = LintReport(skipped=discovery.skipped, files=len(discovery.targets))
    report.paths = [target.path for target in discovery.targets]
    rows: dict[str, list] = {}
    if cache is not None:
        for target in discovery.targets:
            entry = cache.get(target.path)
            if entry is not None:
                rows[target.path] = entry.diagnostics
    missing = [target.path for target in discovery.targets if target.path not in rows]
    notes = cache.notes() if cache is not None else None
    if missing or notes is None:
        from .batch import check_many
        from .catalog import catalog_notes

        checker = make_checker()
        notes = catalog_notes(checker.catalog, config, checker.rules)
        for outcome in check_many(checker, missing, cli_vars, jobs):
            rows[outcome.path] = to_cached(outcome.diagnostics)
            if cache is not None:
                cache.put(outcome.path, True, outcome.files, rows[outcome.path])
    if cache is not None:
        for path in discovery.skipped_paths:  # remember non-specs too, so the next walk need not read them
            if cache.get(path) is None:
                cache.put(path, False, (), [])
        cache.set_notes(notes)
        cache.save()
    report.notes = notes
    for target in discovery.targets:
        report.diagnostics.extend(from_cached(rows[target.path]))
    return report


def open_cache(config: Config, paths: Sequence[str], cli_vars: Mapping[str, str] | None) -> "LintCache":
    """The cache for this run, in `.specc_cache/` at the project root, keyed by everything but the files.

    The key covers specc's own code and schema files by their stat signatures, so editing
    specc (or refreshing the schema, or the catalog) starts a fresh cache.
    """
    import dataclasses
    import sys

    from . import __version__
    from .cache import LintCache, files_signature, run_key
    from .files import find_project_root

    root = Path(config.root) if config.root else find_project_root(Path(paths[0]) if paths else Path.cwd())
    package = Path(__file__).resolve().parent
    own_files = sorted(str(p) for p in package.rglob("*.py"))
    schema_dir = Path(config.schema_dir) if config.schema_dir else None
    if schema_dir is None:
        from importlib import resources

        packaged = Path(str(resources.files("specc"))) / "schemas"
        schema_dir = packaged if packaged.is_dir() else package.parent / "schemas"
    schema_files = sorted(str(p) for p in schema_dir.glob("*") if p.is_file()) if schema_dir.is_dir() else []
    key = run_key([
        __version__, sys.version_info[:2], dataclasses.asdict(config), sorted((cli_vars or {}).items()),
        files_signature(own_files + schema_files + [str(root / config.catalog)]),
    ])
    return LintCache.open(root, key)


def exit_code(report: LintReport, fail_on: str) -> int:
    """0 when nothing at or above `fail_on`, else 1."""
    threshold = Severity(fail_on)
    return 1 if any(d.severity >= threshold for d in report.diagnostics) else 0


def build_checker(config: Config, schema_dir: str | None = None) -> "Checker":
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
    from .check import Checker

    return Checker(schemas=schemas, rules=rules, config=config, catalog=catalog)
