"""`specc compile SPEC [--var k=v]... [-o FILE]`"""

from __future__ import annotations

import argparse
from typing import TextIO

from ..cli import EXIT_FINDINGS, EXIT_OK, UsageError, add_var_argument
from ._output import check_output, is_stdout, write_output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="the spec file")
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write the body to FILE instead of stdout (`-`: stdout)")
    add_var_argument(parser)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import os

    from ..compile import to_json
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
    if result.has_errors or result.body is None:
        errors = [d for d in result.diagnostics if d.severity.value == "error"]
        render(LintReport(diagnostics=errors, files=1), err)
        return EXIT_FINDINGS
    text = to_json(result.body)
    if not is_stdout(args.output):
        write_output(args.output, text, config.root)
    else:
        out.write(text)
    return EXIT_OK


def abstract_refusal(spec: str, what: str) -> str:
    """The usage error for a base only (`abstract: true`) given where a complete spec belongs."""
    return (f"{spec} is a base (`abstract: true`): it is never {what} on its own; "
            "name a spec that extends it")
