"""`specc test PATH...`: offline contract tests of specs against their cassettes.

For each spec: drift (compiled body vs recorded request), response contract
(recorded answer vs the vendored schema) and the spec's `expect:` block. Runs
with the network blocked: any attempt to connect fails the run and says so.
Exit 0 only when every check passed; 1 otherwise; 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from ..cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, add_var_argument

FORMATS = ("text", "json", "junit")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="spec files or folders")
    add_var_argument(parser)
    parser.add_argument("--config", default=None, metavar="FILE", help="use this pyproject.toml or specc.toml")
    parser.add_argument("--require-cassettes", action="store_true",
                        help="a spec without a cassette (or a cassette without a spec) fails the run")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--allow-empty", action="store_true",
                        help="exit 0 when the paths hold no spec at all (default: exit 2, as pytest does with no tests)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..config import ConfigError
    from ..contract import FAILED, Check, SpecOutcome, check_variants, find_orphans
    from ..lint import PathError, build_checker, discover, named_excluded
    from ..offline import NetworkBlocked, offline
    from ..report import ScrubbingWriter
    from ._progress import Progress
    from .lint import load_run_config, say_excluded

    # redacted here too, for callers that run the command without the CLI's writers
    out, err = ScrubbingWriter(out), ScrubbingWriter(err)  # type: ignore[assignment]
    config = load_run_config(args.paths, args.config)
    paths, excluded = named_excluded(args.paths, config)
    if excluded:
        say_excluded(excluded, err)
    try:
        discovery = discover(paths, config.exclude, config.root)
    except PathError as exc:
        raise UsageError(str(exc)) from None
    if not discovery.targets and not args.allow_empty:
        from ..lint import nothing_found

        err.write(f"specc: {nothing_found(args.paths, discovery.skipped, len(excluded))}\n")
        return EXIT_USAGE
    try:
        checker = build_checker(config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    progress = Progress(err, len(discovery.targets), min_total=2) if args.format == "text" else None
    outcomes: list[SpecOutcome] = []
    claimed: set[Path] = set()
    bases = 0  # `abstract: true`: checked by lint, never a test
    with offline() as attempts:
        for number, target in enumerate(discovery.targets):
            if progress:
                progress.show(number, target.path)
            try:
                result = checker.check_path(target.path, dict(args.vars))
                if result.is_abstract and not result.has_errors:
                    bases += 1
                    continue
                found = check_variants(result, checker.schemas, args.require_cassettes)  # one per variant
            except NetworkBlocked as exc:
                found = [SpecOutcome(target.path, FAILED, [Check("offline", False, _offline_message(str(exc)))])]
            for outcome in found:
                if outcome.cassette:
                    claimed.add(Path(outcome.cassette).resolve())
            outcomes.extend(found)
    if progress:
        progress.clear()
    if bases and not outcomes and not args.allow_empty:
        err.write(f"specc: nothing to test under {' '.join(args.paths)}: only {bases} base spec(s) "
                  "(`abstract: true`); pass --allow-empty if that is fine\n")
        return EXIT_USAGE
    orphans = find_orphans(args.paths, claimed)
    failed = any(o.status == FAILED for o in outcomes) or bool(attempts) or (args.require_cassettes and orphans)
    {"text": _text, "json": _json, "junit": _junit}[args.format](outcomes, orphans, attempts, out, bases)
    return EXIT_FINDINGS if failed else EXIT_OK


def _offline_message(detail: str) -> str:
    return f"specc test runs offline and something tried to use the network: {detail}"


def _summary(outcomes: list, orphans: list[str], bases: int = 0) -> dict[str, Any]:
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in ("passed", "failed", "skipped")}
    return {"specs": len(outcomes), **counts, "bases": bases, "orphans": orphans}


def _text(outcomes: list, orphans: list[str], attempts: list[str], out: TextIO, bases: int = 0) -> None:
    for outcome in outcomes:
        if outcome.status == "passed":
            out.write(f"PASS {outcome.path}\n")
            continue
        if outcome.status == "skipped":
            out.write(f"SKIP {outcome.path}: {outcome.checks[0].message}\n")
            continue
        out.write(f"FAIL {outcome.path}\n")
        for check in outcome.checks:
            if check.ok:
                continue
            span = check.span
            where = f"{span.path}:{span.line}:{span.column}: " if span and span.line else ""
            first, *rest = check.message.splitlines() or [""]
            out.write(f"  {where}{check.name}: {first}\n")
            for line in rest:
                out.write(f"    {line}\n")
    for orphan in orphans:
        out.write(f"ORPHAN {orphan}: a cassette without a spec (delete it, or move it beside its renamed spec)\n")
    for attempt in attempts:
        out.write(f"NETWORK {_offline_message(attempt)}\n")
    summary = _summary(outcomes, orphans)
    out.write(f"\n{summary['passed']} passed, {summary['failed']} failed, {summary['skipped']} skipped"
              f"{f', {bases} base spec(s) not tested' if bases else ''}"
              f"{f', {len(orphans)} orphan cassette(s)' if orphans else ''}\n")


def _json(outcomes: list, orphans: list[str], attempts: list[str], out: TextIO, bases: int = 0) -> None:
    document = {"results": [o.to_dict() for o in outcomes],
                "summary": {**_summary(outcomes, orphans, bases), "network_attempts": attempts}}
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _junit(outcomes: list, orphans: list[str], attempts: list[str], out: TextIO, bases: int = 0) -> None:
    from xml.etree import ElementTree

    from ..report.junit import _xml_text

    summary = _summary(outcomes, orphans)
    counts = {"tests": str(len(outcomes)), "failures": str(summary["failed"]), "errors": "0",
              "skipped": str(summary["skipped"])}
    root = ElementTree.Element("testsuites", {"name": "specc", **counts})
    suite = ElementTree.SubElement(root, "testsuite", {"name": "specc test", **counts})
    for outcome in outcomes:
        shown = _xml_text(outcome.path)
        case = ElementTree.SubElement(suite, "testcase", {"classname": "specc.test", "name": shown, "file": shown})
        if outcome.status == "skipped":
            ElementTree.SubElement(case, "skipped", {"message": _xml_text(outcome.checks[0].message)})
        for check in outcome.checks:
            if not check.ok:
                failure = ElementTree.SubElement(case, "failure", {
                    "type": check.name, "message": _xml_text(check.message.splitlines()[0] if check.message else "")})
                failure.text = _xml_text(f"{check.name}: {check.message}")
    ElementTree.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n")
