"""`specc lint PATH...`"""

from __future__ import annotations

import argparse

from ..cli import UsageError, add_var_argument
from ._output import check_output, is_stdout, write_output

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="spec files and folders (recursing into *.yaml, *.yml, *.json)")
    parser.add_argument("--format", default="text", choices=("text", "json", "github", "sarif", "junit"),
                        help="output format (default: text)")
    parser.add_argument("--fail-on", choices=("error", "warning"), default=None,
                        help="lowest severity that makes the exit code 1 (default: error)")
    parser.add_argument("--select", default=None, help="comma-separated rules to run (codes, prefixes or names)")
    parser.add_argument("--ignore", default=None, help="comma-separated rules to skip")
    parser.add_argument("--config", default=None, metavar="FILE", help="use this pyproject.toml or specc.toml")
    parser.add_argument("--quiet", "-q", action="store_true", help="only the diagnostics, no excerpts or summary")
    parser.add_argument("--statistics", action="store_true", help="count findings per rule")
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write the report to FILE (`-`: stdout)")
    parser.add_argument("--fix", action="store_true",
                        help="apply the safe mechanical fixes in place, then report what remains")
    parser.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; change nothing")
    parser.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                        help="check on N processes (default: the number of cores; 1 = in-process)")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the result cache in .specc_cache/ (also SPECC_NO_CACHE=1)")
    parser.add_argument("--specs-only", action="store_true",
                        help="skip named YAML files without a top-level `request:` key (for pre-commit)")
    parser.add_argument("--dependents", action="store_true",
                        help="also lint the specs that read a named file through extends, !file, !data-url or "
                             "!base64 (a named file that is no spec then stands for them)")
    parser.add_argument("--allow-empty", action="store_true",
                        help="exit 0 when the paths hold no spec at all (default: exit 2, as pytest does with no tests)")
    add_var_argument(parser)


def _split(value: str | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(part.strip() for part in value.split(",") if part.strip())


def only_specs(paths: list[str], root: str | None = None) -> tuple[list[str], int]:
    """Drop named files that are not specs (folders are kept: discovery already skips those). A link
    leading out of the project is kept unread: the lint says why it is refused."""
    import os

    from ..lint import Guards, looks_like_spec

    guards = Guards(root)
    kept = [path for path in paths
            if not os.path.isfile(path) or guards.refusal(path) is not None or looks_like_spec(path)]
    return kept, len(paths) - len(kept)


def say_excluded(excluded: list[str], err: TextIO) -> None:
    from ..secrets import scrub

    shown = ", ".join(excluded[:5]) + (f" and {len(excluded) - 5} more" if len(excluded) > 5 else "")
    err.write(scrub(f"specc: not checked, excluded by [tool.specc] exclude: {shown} "
                    "(set force-exclude = false to check named files anyway)\n"))


def with_dependents(paths: list[str], config, cache, err: TextIO, quiet: bool) -> tuple[list[str], int]:
    """`paths` and the specs that read any named file; a named file that is no spec but is read by
    specs stands for them and is not linted itself (returned: how many such files were dropped)."""
    import os

    from ..dependents import find_dependents
    from ..lint import looks_like_spec
    from ..secrets import scrub

    found = find_dependents([path for path in paths if os.path.isfile(path)], config, cache)
    if not found.readers:
        return paths, 0
    named = {os.path.abspath(path) for path in paths}
    extra = [spec for spec in found.specs() if os.path.abspath(spec) not in named]
    stand_ins = {given for given in found.readers if not looks_like_spec(given)}
    if not quiet:
        for given, specs in found.readers.items():
            count = f"{len(specs)} spec{'s' if len(specs) != 1 else ''}"
            err.write(scrub(f"specc: {given} is read by {count}: {', '.join(specs)}\n"))
    return [path for path in paths if path not in stand_ins] + extra, len(stand_ins)


def load_run_config(paths: list[str], config_path: str | None, **overrides):
    """The config for a run: the named file, or the nearest one to the first path; CLI values win."""
    import os

    from ..config import ConfigError, find_config_path, load_config

    try:
        if config_path:
            from pathlib import Path  # messages name the file as pathlib spells it, as they always have

            source = Path(config_path)
            if not source.is_file():
                raise UsageError(f"config file not found: {config_path}")
            config = load_config(source)
        else:
            config = load_config(find_config_path(paths[0] if paths else os.getcwd()))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    changes = {k: v for k, v in overrides.items() if v is not None}
    _check_flags(changes)
    return config.replace(**changes) if changes else config


def _check_flags(changes: dict) -> None:
    """Rule selectors given as flags are checked on their own, so an error names the flag, not the file."""
    flags = {key: changes[key] for key in ("select", "ignore") if key in changes}
    if flags:
        from ..config import Config, ConfigError
        from ..rules import registry
        from ..selection import Policy

        try:
            Policy.build(Config(**flags, source="command line"), registry())
        except ConfigError as exc:
            raise UsageError(str(exc)) from None


MAX_FIX_PASSES = 10  # a fix can uncover another (or wait for an overlapping one); stop eventually


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import os

    from ..lint import PathError, lint_paths, named_excluded
    from ..report import LintReport

    config = load_run_config(args.paths, args.config, fail_on=args.fail_on,
                             select=_split(args.select), ignore=_split(args.ignore))
    check_output(args.output, config.root)  # before any work: a refused -o costs nothing
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (one per core) or more")
    usual = not (args.fix or args.diff)
    cache = None
    if usual:
        from ..lint import open_cache

        use_cache = config.cache and not args.no_cache and not os.environ.get("SPECC_NO_CACHE")
        cache = open_cache(config, args.paths, dict(args.vars)) if use_cache and args.paths else None
        if cache is not None and cache.disabled is not None:
            from ..secrets import scrub

            err.write(scrub(f"specc: warning: the result cache is off for this run: {cache.disabled}\n"))
            cache = None
    paths, _ = with_dependents(args.paths, config, cache, err, args.quiet) if args.dependents else (args.paths, 0)
    paths, excluded = named_excluded(paths, config)
    if excluded and not args.quiet:
        say_excluded(excluded, err)
    paths, not_specs = only_specs(paths, config.root) if args.specs_only else (paths, 0)

    if usual:
        # The usual run: cached results where nothing changed, the rest on every core.
        from ..lint import lint_report

        try:
            report = lint_report(paths, config, lambda: _checker(config), dict(args.vars),
                                 jobs=args.jobs, cache=cache) if paths else LintReport()
        except PathError as exc:
            raise UsageError(str(exc)) from None
        report.skipped += not_specs
        if not report.files and not args.allow_empty:
            return _nothing_found(args.paths, report.skipped, len(excluded), err)
        return _render(report, args, config, out, err)

    checker = _checker(config)

    def lint() -> tuple[LintReport, list]:
        try:
            return lint_paths(paths, checker, dict(args.vars)) if paths else (LintReport(), [])
        except PathError as exc:
            raise UsageError(str(exc)) from None

    if args.diff:
        found, results = lint()
        if not results and not args.allow_empty:
            return _nothing_found(args.paths, found.skipped + not_specs, len(excluded), err)
        return _show_diff(results, out, err)
    fixed, unwritable = _fix_until_stable(lint, err) if args.fix else (0, 0)
    report, results = lint()
    report.skipped += not_specs
    if not report.files and not args.allow_empty:
        return _nothing_found(args.paths, report.skipped, len(excluded), err)
    report.fixed = fixed
    report.paths = [result.path for result in results]
    code = _render(report, args, config, out, err)
    # Fixes asked for and not written are findings left in place, whatever their severity.
    return max(code, 1) if unwritable else code


def _nothing_found(paths: list[str], skipped: int, excluded: int, err: TextIO) -> int:
    from ..cli import EXIT_USAGE
    from ..lint import nothing_found
    from ..secrets import scrub

    err.write(scrub(f"specc: {nothing_found(paths, skipped, excluded)}\n"))
    return EXIT_USAGE


def _checker(config):
    from ..config import ConfigError
    from ..lint import build_checker

    try:
        return build_checker(config, strict_placeholders=False)  # lint needs no secret nor environment
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _render(report, args: argparse.Namespace, config, out: TextIO, err: TextIO) -> int:
    from ..lint import exit_code
    from ..report import renderer

    render = renderer(args.format)
    options = {"quiet": args.quiet, "statistics": args.statistics}
    if not is_stdout(args.output):
        import io

        buffer = io.StringIO()
        render(report, buffer, color=False, **options)
        write_output(args.output, buffer.getvalue(), config.root)
    else:
        render(report, out, **options)
    if not args.quiet:  # on stderr, so the report itself (json, sarif, ...) stays the same with or without a catalog
        from ..secrets import scrub

        for note in report.notes:
            err.write(scrub(f"specc: {note}\n"))
    return exit_code(report, config.fail_on)


def _fix_until_stable(lint, err: TextIO) -> tuple[int, int]:
    """Apply fixes, re-lint, repeat while something changes; returns how many findings were fixed
    and how many files could not be written."""
    from ..atomic import UnsafeTarget
    from ..fix import plan_fixes
    from ..secrets import scrub

    fixed = 0
    refused: set[str] = set()  # files that cannot be written: said once, not planned again
    for _ in range(MAX_FIX_PASSES):
        plans = [plan for result in lint()[1] if result.path not in refused and (plan := plan_fixes(result, result.path))]
        changed = [plan for plan in plans if plan.changed]
        for plan in changed:
            try:
                plan.write()
            except OSError as exc:  # a hard-linked spec, a read-only folder...: the file is left as it was
                refused.add(plan.path)
                why = f"the file {exc.reason}" if isinstance(exc, UnsafeTarget) else exc.strerror or str(exc)
                err.write(scrub(f"{plan.display}: not fixed: {why}\n"))
                continue
            fixed += len(plan.applied)
        changed = [plan for plan in changed if plan.path not in refused]
        if not changed:
            _say_not_fixed(plans, err)
            break
    return fixed, len(refused)


def _say_not_fixed(plans: list, err: TextIO) -> None:
    """Each finding a fix was expected for and none applies to, with the reason (never silently)."""
    from ..secrets import scrub

    for plan in plans:
        for diagnostic, reason in plan.skipped:
            span = diagnostic.span
            err.write(scrub(f"{span.path}:{span.line}:{span.column}: {diagnostic.code} not fixed: {reason}\n"))


def _show_diff(results: list, out: TextIO, err: TextIO) -> int:
    """`--diff`: the first pass of fixes as a unified diff; exit 1 when there is something to fix."""
    from ..fix import plan_fixes
    from ..secrets import scrub

    plans = [plan for result in results if (plan := plan_fixes(result, result.path))]
    changed = [plan for plan in plans if plan.changed]
    for plan in changed:
        out.write(scrub(plan.diff()))
    _say_not_fixed(plans, err)
    count = sum(len(plan.applied) for plan in changed)
    err.write(f"{count} fix{'es' if count != 1 else ''} would be applied"
              f" to {len(changed)} file{'s' if len(changed) != 1 else ''}.\n")
    return 1 if changed else 0
