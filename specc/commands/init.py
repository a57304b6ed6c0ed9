"""`specc init [DIR]`: set up a repository for specc (see specc/init.py); `--dry-run` writes nothing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..cli import EXIT_FINDINGS, EXIT_OK, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the repository to set up (default: .)")
    parser.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")
    parser.add_argument("--repo", help="the repository the pre-commit entry names (default: where specc came from)")
    parser.add_argument("--rev", help="the revision it pins (default: the commit specc was installed from, else its release tag)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..about import AboutError
    from ..init import PROBLEM, Pin, apply_init, default_pin, describe, plan_init

    root = Path(args.dir)
    if not root.is_dir():
        raise UsageError(f"not a folder: {args.dir}")
    try:
        pin = default_pin()
    except AboutError as exc:
        if not (args.repo and args.rev):
            raise UsageError(f"{exc} (or pass --repo and --rev)") from None
        pin = Pin(args.repo, args.rev)
    if args.repo or args.rev:
        pin = Pin(args.repo or pin.repo, args.rev or pin.rev, "" if args.rev else pin.note)
    steps = plan_init(root, pin)
    if not args.dry_run:
        apply_init(root, steps)
    out.write(describe(steps, args.dry_run))
    return EXIT_FINDINGS if any(step.action == PROBLEM for step in steps) else EXIT_OK
