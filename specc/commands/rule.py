"""`specc rule CODE|NAME`: one rule's documentation page (from its docstring)."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..cli import EXIT_OK, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("key", metavar="CODE|NAME", help="a rule code (OR301) or name (debug-echo-without-stream)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..ruledocs import all_infos, find_info, rule_page
    from ..suggest import did_you_mean

    infos = all_infos()
    info = find_info(args.key, infos)
    if info is None:
        choices = [i.code for i in infos] + [i.name for i in infos]
        raise UsageError(f"no rule {args.key!r}{did_you_mean(args.key, choices)}; `specc rules` lists them")
    out.write(rule_page(info))
    return EXIT_OK
