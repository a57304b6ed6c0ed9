"""`specc compile SPEC [--var k=v]... [-o FILE]`; a matrix spec: `--variant ID` or `--all`."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..cli import EXIT_FINDINGS, EXIT_OK, UsageError, add_var_argument
from ._output import check_output, is_stdout, write_output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="the spec file")
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write the body to FILE instead of stdout (`-`: stdout)")
    add_var_argument(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--variant", "-k", default=None, metavar="ID",
                       help="of a matrix spec: the variant to print (its id, label or slug, or a part or glob of its id)")
    which.add_argument("--all", action="store_true",
                       help="of a matrix spec: every variant, one JSON line each ({\"variant\": id, \"body\": ...})")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import os

    from ..config import ConfigError
    from ..lint import build_checker
    from ..report import LintReport
    from ..report.text import render
    from .lint import load_run_config

    if not os.path.lexists(args.spec):
        raise UsageError(f"{args.spec}: no such file")
    if os.path.isdir(args.spec):
        raise UsageError(f"{args.spec} is a directory; compile takes one spec file")
    config = load_run_config([args.spec], None)
    check_output(args.output, config.root)  # before any work: a refused -o costs nothing
    try:
        checker = build_checker(config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    result = checker.check_path(args.spec, dict(args.vars))
    if result.is_abstract and not result.has_errors:
        raise UsageError(abstract_refusal(args.spec, "compiled"))
    if result.has_errors or not result.bodies():
        errors = [d for d in result.diagnostics if d.severity.value == "error"]
        render(LintReport(diagnostics=errors, files=1), err)
        return EXIT_FINDINGS
    text = _chosen_text(result, args)
    if not is_stdout(args.output):
        write_output(args.output, text, config.root)
    else:
        out.write(text)
    return EXIT_OK


def abstract_refusal(spec: str, what: str) -> str:
    """The usage error for a base only (`abstract: true`) given where a complete spec belongs."""
    return (f"{spec} is a base (`abstract: true`): it is never {what} on its own; "
            "name a spec that extends it")


def _chosen_text(result, args: argparse.Namespace) -> str:
    """The body to print: the spec's, or the chosen variants' of a matrix spec."""
    import json

    from ..compile import to_json

    if not result.variants:
        if args.variant or args.all:
            raise UsageError(f"{args.spec} has no matrix: --variant and --all are for matrix specs")
        return to_json(result.body)
    if args.all:
        return "".join(json.dumps({"variant": v.id, "body": v.body}, ensure_ascii=False) + "\n" for v in result.variants)
    ids = "\n  ".join(v.id for v in result.variants)
    if not args.variant:
        raise UsageError(f"{args.spec} is a matrix spec of {len(result.variants)} variants: pick one with "
                         f"--variant ID, or print all with --all:\n  {ids}")
    from ..matrix import select

    chosen = select(result.variants, args.variant)
    if len(chosen) != 1:
        what = "no variant" if not chosen else f"{len(chosen)} variants"
        raise UsageError(f"--variant {args.variant!r} matches {what} of {args.spec}:\n  {ids}")
    return to_json(chosen[0].body)
