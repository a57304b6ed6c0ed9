"""Lint many paths: find the spec files, check each, collect one report. The library side of `specc lint`."""

from __future__ import annotations

from .errors import SpeccError

import os

from .config import project_path  # noqa: F401  (lint's API since issue 18; lives with the config)
from .diagnostics import Diagnostic, Severity, by_place, with_message
from .files import DEFAULT_MAX_FILE_BYTES, EscapingLink, LinkGuard, not_read, project_root_of
from .report import LintReport

TYPE_CHECKING = False
if TYPE_CHECKING:  # the checker's modules are heavy; a cached run never imports them
    from typing import Callable, Iterable, Iterator, Mapping, Sequence

    from .cache import LintCache
    from .check import Checker, CheckResult
    from .config import Config
    from .schema import SchemaSet

YAML_SUFFIXES = (".yaml", ".yml")
# What folder discovery reads: YAML specs, and JSON specs (a JSON object with a top-level `request`).
SPEC_SUFFIXES = (*YAML_SUFFIXES, ".json")
# Folders that never hold a team's specs and are expensive to walk.
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox",
                          ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".specc_cache", "build", "dist"})


class PathError(SpeccError):
    """A path named on the command line does not exist."""


class Target:
    """A file to lint; `explicit` when named on the command line (then always linted as a spec);
    `unsure` when found in a folder and not yet read to see whether it is a spec at all;
    `refused` (a diagnostic) when it must not be read at all: a symlink in the project leading out."""

    __slots__ = ("path", "explicit", "unsure", "refused")

    def __init__(self, path: str, explicit: bool, unsure: bool = False, refused: Diagnostic | None = None) -> None:
        self.path = path
        self.explicit = explicit
        self.unsure = unsure
        self.refused = refused

    def __repr__(self) -> str:
        return f"Target({self.path!r}, explicit={self.explicit}, unsure={self.unsure}, refused={self.refused!r})"


class Discovery:
    """What `discover` found: the files to lint, and the YAML files in folders that are not specs."""

    def __init__(self) -> None:
        self.targets: list[Target] = []
        self.skipped_paths: list[str] = []

    @property
    def skipped(self) -> int:
        return len(self.skipped_paths)


def _excluded(path: str, patterns: Sequence[str], root: str | None) -> bool:
    from .config import matches_glob  # the one glob matcher, shared with per-file-ignores

    return matches_glob(path, tuple(patterns), root)


def _counts_as_skipped(path: str) -> bool:
    """A YAML file in a folder that is no spec is counted (it may be a spec gone wrong); a JSON one
    is not: JSON beside specs is data (the schemas they include, package.json), like a prompt."""
    return path.endswith(YAML_SUFFIXES)


def named_excluded(paths: Sequence[str], config: Config) -> tuple[list[str], list[str]]:
    """(the named paths to check, the named files `exclude` drops): with `force-exclude` (the
    default) a file named on the command line is excluded like a file found in a folder, because
    pre-commit names every staged file and an excluded one must not fail the commit."""
    if not (config.exclude and config.force_exclude):
        return list(paths), []
    kept: list[str] = []
    dropped: list[str] = []
    for path in paths:
        excluded = not os.path.isdir(path) and _excluded(path, config.exclude, config.root)
        (dropped if excluded else kept).append(path)
    return kept, dropped


def discover(paths: Iterable[str], exclude: Sequence[str] = (), root: str | None = None,
             known_spec: Callable[[str], bool | None] | None = None, look: bool = True) -> Discovery:
    """Expand files and folders into spec files, in a stable order; count non-spec YAML as skipped.

    `known_spec(path)` may answer from a cache whether an unchanged file is a spec (None: look).
    With `look=False`, a walked file nobody answered for is kept as a target marked `unsure`,
    for the checker to read (and skip if it is no spec) in a worker, rather than read here.
    """
    found = Discovery()
    seen: set[str] = set()
    guards = Guards(root)
    for raw in paths:
        guard = guards.of(raw)
        if os.path.isdir(raw):
            try:
                real_folder = guard.folder(raw)
            except EscapingLink as linked_out:  # a linked folder: its files are outside the project
                if raw not in seen:
                    seen.add(raw)
                    found.targets.append(Target(raw, explicit=True, refused=not_read(raw, linked_out)))
                continue
            for path, escape in _walk(raw, real_folder, guard):
                if path in seen or (exclude and _excluded(path, exclude, root)):
                    continue
                seen.add(path)
                if escape is not None:  # never read, not even its head: linted as a spec that cannot be read
                    found.targets.append(Target(path, explicit=False, refused=not_read(path, escape)))
                    continue
                answer = known_spec(path) if known_spec else None
                if answer is None and not look:
                    found.targets.append(Target(path, explicit=False, unsure=True))
                elif answer if answer is not None else looks_like_spec(path):
                    found.targets.append(Target(path, explicit=False))
                elif _counts_as_skipped(path):
                    found.skipped_paths.append(path)
        elif os.path.lexists(raw):
            if raw not in seen:
                seen.add(raw)
                found.targets.append(Target(raw, explicit=True, refused=guards.refusal(raw)))
        else:
            raise PathError(f"{raw}: no such file or directory")
    return found


class Guards:
    """The LinkGuard of each project root the paths of one run lie in (`root`: one for all)."""

    def __init__(self, root: str | None = None) -> None:
        self.root = root
        self._roots: dict[str, str] = {}  # folder -> its project root
        self._guards: dict[str, LinkGuard] = {}

    def of(self, path: str) -> LinkGuard:
        root = self.root
        if root is None:
            folder = os.path.dirname(path) or os.curdir
            root = self._roots.get(folder)
            if root is None:
                root = self._roots[folder] = project_root_of(path)
        guard = self._guards.get(root)
        if guard is None:
            guard = self._guards[root] = LinkGuard(root)
        return guard

    def refusal(self, path: str) -> Diagnostic | None:
        """The diagnostic for a file that must not be read (a link leading out), or None."""
        try:
            self.of(path).check(path)
        except EscapingLink as escape:
            return not_read(path, escape)
        return None


def _walk(folder: str, real_folder: str, guard: LinkGuard) -> Iterator[tuple[str, EscapingLink | None]]:
    """The YAML and JSON files under `folder` in name order, a folder's own files before its subfolders'
    (as `os.walk` gives them, sorted), skipping `SKIPPED_DIRS`, hidden folders and links to folders;
    each with the EscapingLink it is (a symlink leading out of the project), or None."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=_name)
    except OSError:
        return  # unreadable: as os.walk, skip it
    subfolders = []
    for entry in entries:
        if _is_dir(entry):
            if entry.name not in SKIPPED_DIRS and not entry.name.startswith(".") and not _is_symlink(entry):
                subfolders.append(entry)
        elif entry.name.endswith(SPEC_SUFFIXES):
            try:
                guard.check_entry(real_folder, entry)  # no system call unless the scan found a link
            except EscapingLink as escape:
                yield entry.path, escape
            else:
                yield entry.path, None
    for subfolder in subfolders:
        yield from _walk(subfolder.path, os.path.join(real_folder, subfolder.name), guard)


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def looks_like_spec(path: str) -> bool:
    """Whether a YAML file holds a top-level `request:` (read from its head; unreadable files count as specs)."""
    from .load import looks_like_spec as head_says_spec

    return head_says_spec(path)


def lint_paths(paths: Sequence[str], checker: Checker, cli_vars: Mapping[str, str] | None = None) -> tuple[LintReport, list[CheckResult]]:
    """Check every spec under `paths`, keeping whole results (for `--fix`); raises PathError."""
    from .catalog import catalog_notes
    from .schema import schema_notes

    config = checker.config
    discovery = discover(paths, config.exclude, config.root)
    report = LintReport(skipped=discovery.skipped)
    report.notes = catalog_notes(checker.catalog, config, checker.rules) + schema_notes(checker.schemas, config)
    results = [checker.check_path(target.path, cli_vars) for target in discovery.targets]  # the loader refuses links out
    report.files = len(results)
    report.diagnostics = once_per_place([(result.path, result.diagnostics) for result in results])
    return report, results


def lint_report(paths: Sequence[str], config: Config, make_checker: Callable[[], Checker],
                cli_vars: Mapping[str, str] | None = None, jobs: int = 1,
                cache: LintCache | None = None) -> LintReport:
    """The report for `paths`: cached results where nothing changed, the rest checked on `jobs` cores (0: all).

    The checker is built (`make_checker()`) only when some file needs checking, so a re-run
    over an unchanged tree never loads the schema, the rules or their dependencies.
    """
    from .cache import PausedGC

    found: dict[str, list[Diagnostic]] = {}  # path -> its diagnostics

    def known_spec(path: str) -> bool | None:
        """The cache's answer for an unchanged file (and its diagnostics, kept for the report)."""
        entry = cache.get(path)  # type: ignore[union-attr]
        if entry is None:
            return None
        found[path] = entry.diagnostics
        return entry.is_spec

    with PausedGC():  # the walk and the cache's answers allocate much, all of it acyclic
        # look=False: whether a new file is a spec is seen by the worker that reads it anyway.
        discovery = discover(paths, config.exclude, config.root, known_spec if cache is not None else None, look=False)
        for target in discovery.targets:
            if target.refused is not None:  # never read, hashed or cached: said again on every run
                found[target.path] = [target.refused]
        if cache is not None:
            for target in discovery.targets:
                if target.explicit and target.refused is None:  # not walked: ask the cache here (a named non-spec is linted as a spec)
                    entry = cache.get(target.path)
                    if entry is not None and entry.is_spec:
                        found[target.path] = entry.diagnostics
    missing = [target.path for target in discovery.targets if target.path not in found]
    unsure = {target.path for target in discovery.targets if target.unsure}
    not_specs: set[str] = set()
    notes = cache.notes() if cache is not None else None
    if missing or notes is None:
        from .batch import check_many
        from .catalog import catalog_notes
        from .schema import schema_notes

        checker = make_checker()
        notes = catalog_notes(checker.catalog, config, checker.rules) + schema_notes(checker.schemas, config)
        for outcome in check_many(checker, missing, cli_vars, jobs, snapshots=cache is not None, unsure=unsure):
            found[outcome.path] = outcome.diagnostics
            if not outcome.is_spec:
                not_specs.add(outcome.path)
            if cache is not None:
                cache.put(outcome.path, outcome.is_spec, outcome.snapshot, outcome.diagnostics)
    targets = [target for target in discovery.targets if target.path not in not_specs]
    if cache is not None:  # the non-specs the workers found are remembered too (`put` above)
        cache.set_notes(notes)
        cache.save()
    skipped = sum(1 for path in not_specs if _counts_as_skipped(path))
    report = LintReport(skipped=discovery.skipped + skipped, files=len(targets))
    report.paths = [target.path for target in targets]
    report.notes = notes
    report.diagnostics = once_per_place([(target.path, found[target.path]) for target in targets])
    return report


def once_per_place(per_spec: Sequence[tuple[str, Sequence[Diagnostic]]]) -> list[Diagnostic]:
    """The run's diagnostics, a problem that lives in another file (a base) reported once, at its
    place there, saying which specs it affects; each spec's own problems as they are.

    Checked through five specs that extend it, a problem in a base would otherwise be printed,
    annotated and counted five times."""
    out = []
    for d, affected in by_place((d, spec_path if d.span.path != spec_path else None)
                                for spec_path, diagnostics in per_spec for d in diagnostics):
        if len(affected) > 1:  # reached through one spec only, it was said once already, as it is
            shown = ", ".join(affected[:5]) + (f" and {len(affected) - 5} more" if len(affected) > 5 else "")
            d = with_message(d, f"{d.message} (affects {len(affected)} specs extending it: {shown})")
        out.append(d)
    return out


def open_cache(config: Config, paths: Sequence[str], cli_vars: Mapping[str, str] | None) -> LintCache:
    """The cache for this run, in `.specc_cache/` at the project root, keyed by everything but the files.

    The key covers specc's own code and schema files by their stat signatures, so editing
    specc (or refreshing the schema, or the catalog) starts a fresh cache.
    """
    import sys

    from . import __version__
    from .cache import LintCache, salted_digest, signature
    from .files import project_root_of

    root = config.root or project_root_of(paths[0] if paths else os.getcwd())
    package = os.path.dirname(os.path.abspath(__file__))
    packaged_schemas = _default_schema_dir(package)
    schema_dir = project_path(config, config.schema_dir) or packaged_schemas
    key = [
        __version__, sys.version_info[:2], config.as_dict(),
        sorted((name, salted_digest(root, value)) for name, value in (cli_vars or {}).items()),
        _files_signature(package, ".py", recurse=True), _files_signature(schema_dir),
        # specc's overlay applies on any schema folder, the team's overlay after it
        _files_signature(packaged_schemas, ".yaml"), signature(project_path(config, config.overlay) or ""),
        signature(os.path.join(root, config.catalog)),
    ]
    # not config.limits(): that imports the loader, which a cached run never needs
    return LintCache.open(root, key, max_file_bytes=config.max_file_bytes or DEFAULT_MAX_FILE_BYTES)


def _default_schema_dir(package: str) -> str:
    """The schemas a wheel ships inside the package, or the checkout's (as `schema.default_schema_dir`)."""
    packaged = os.path.join(package, "schemas")
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(package), "schemas")


def _files_signature(folder: str, suffix: str = "", recurse: bool = False) -> list[list[str | int]]:
    """[path, mtime_ns, size] of each file in `folder` (and below it, with `recurse`) whose name
    ends in `suffix`: a cheap signature that changes when any of them is edited."""
    found: list[list[str | int]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if recurse and entry.name != "__pycache__":
                        found += _files_signature(entry.path, suffix, recurse)
                elif entry.name.endswith(suffix):
                    info = entry.stat()
                    found.append([entry.path, info.st_mtime_ns, info.st_size])
    except OSError:
        pass
    return sorted(found)


def nothing_found(paths: Sequence[str], skipped: int, excluded: int = 0) -> str:
    """What a run that found no spec under `paths` says (and exits 2 for, unless --allow-empty)."""
    shown = " ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    why = []
    if skipped:
        why.append(f"{skipped} YAML/JSON file{'s' if skipped != 1 else ''} without a top-level `request:`")
    if excluded:
        why.append(f"{excluded} excluded by [tool.specc] exclude")
    detail = f" ({', '.join(why)})" if why else ""
    return (f"no spec found under {shown or 'the paths given'}{detail}; pass --allow-empty "
            "if a run with nothing to check is fine")


def exit_code(report: LintReport, fail_on: str) -> int:
    """0 when nothing at or above `fail_on`, else 1."""
    threshold = Severity(fail_on)
    return 1 if any(d.severity >= threshold for d in report.diagnostics) else 0


def build_checker(config: Config, schema_dir: str | None = None, schemas: SchemaSet | None = None,
                  strict_placeholders: bool = True) -> Checker:
    """The checker for a run: schema set built once (or the given one), rules selected by the config.

    `strict_placeholders=False` is lint's: a placeholder whose value only the machine or the run
    gives is checked as a string (I001), not refused (E004); see `Checker`."""
    from pathlib import Path

    from .rules import LazyRule, registry
    from .schema import SchemaSet
    from .selection import selected_rules

    if schemas is None:
        folder = schema_dir or project_path(config, config.schema_dir)
        overlay = project_path(config, config.overlay)
        schemas = SchemaSet.load(Path(folder) if folder else None, Path(overlay) if overlay else None)
    # Each rule's module is imported on the first spec it may fire on (rules.registry).
    rules = [LazyRule(entry) for entry in selected_rules(registry(), config)]
    catalog = None
    if any(rule.needs_catalog for rule in rules):  # the catalog rules run only with the project's catalog
        from .catalog import CatalogError, load_project_catalog
        from .config import ConfigError

        try:
            catalog = load_project_catalog(config)
        except CatalogError as exc:
            raise ConfigError(str(exc)) from None
    from .check import Checker

    return Checker(schemas=schemas, rules=rules, config=config, catalog=catalog,
                   strict_placeholders=strict_placeholders)
