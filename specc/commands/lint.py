"""`specc lint PATH...`"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..cli import EXIT_USAGE, UsageError, add_var_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="spec files and folders (recursing into *.yaml, *.yml)")
    parser.add_argument("--format", default="text", choices=("text", "json", "github", "sarif", "junit"),
                        help="output format (default: text)")
    parser.add_argument("--fail-on", choices=("error", "warning"), default=None,
                        help="lowest severity that makes the exit code 1 (default: error)")
    parser.add_argument("--select", default=None, help="comma-separated rules to run (codes, prefixes or names)")
    parser.add_argument("--ignore", default=None, help="comma-separated rules to skip")
    parser.add_argument("--config", default=None, metavar="FILE", help="use this pyproject.toml or specc.toml")
    parser.add_argument("--quiet", "-q", action="store_true", help="only the diagnostics, no excerpts or summary")
    parser.add_argument("--statistics", action="store_true", help="count findings per rule")
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write the report to FILE")
    parser.add_argument("--specs-only", action="store_true",
                        help="skip named YAML files without a top-level `request:` key (for pre-commit)")
    add_var_argument(parser)


def _split(value: str | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(part.strip() for part in value.split(",") if part.strip())


def only_specs(paths: list[str]) -> tuple[list[str], int]:
    """Drop named files that are not specs (folders are kept: discovery already skips those)."""
    import os

    from ..load import is_spec_text

    kept: list[str] = []
    for path in paths:
        if os.path.isfile(path):
            try:
                with open(path, "rb") as handle:
                    head = handle.read(256 * 1024).decode("utf-8", errors="replace")
            except OSError:
                head = "request:"  # unreadable: let the loader say why
            if not is_spec_text(head):
                continue
        kept.append(path)
    return kept, len(paths) - len(kept)


def load_run_config(paths: list[str], config_path: str | None, **overrides):
    """The config for a run: the named file, or the nearest one to the first path; CLI values win."""
    from dataclasses import replace

    from ..config import ConfigError, find_config_file, load_config

    try:
        source = Path(config_path) if config_path else find_config_file(Path(paths[0]) if paths else Path.cwd())
        if config_path and not source.is_file():
            raise UsageError(f"config file not found: {config_path}")
        config = load_config(source)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    changes = {k: v for k, v in overrides.items() if v is not None}
    _check_flags(changes)
    return replace(config, **changes) if changes else config


def _check_flags(changes: dict) -> None:
    """Rule selectors given as flags are checked on their own, so an error names the flag, not the file."""
    from ..config import Config, ConfigError
    from ..rules import all_rules
    from ..selection import Policy

    flags = {key: changes[key] for key in ("select", "ignore") if key in changes}
    if flags:
        try:
            Policy.build(Config(**flags, source="command line"), all_rules())
        except ConfigError as exc:
            raise UsageError(str(exc)) from None


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..config import ConfigError
    from ..lint import PathError, build_checker, exit_code, lint_paths
    from ..report import LintReport, renderer

    config = load_run_config(args.paths, args.config, fail_on=args.fail_on,
                             select=_split(args.select), ignore=_split(args.ignore))
    try:
        checker = build_checker(config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    paths, not_specs = only_specs(args.paths) if args.specs_only else (args.paths, 0)
    try:
        report, _ = lint_paths(paths, checker, dict(args.vars)) if paths else (LintReport(), [])
    except PathError as exc:
        raise UsageError(str(exc)) from None
    report.skipped += not_specs
    render = renderer(args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            render(report, handle, quiet=args.quiet, statistics=args.statistics)
    else:
        render(report, out, quiet=args.quiet, statistics=args.statistics)
    return exit_code(report, config.fail_on)
