"""`specc rules`: every code specc can report, with its severity and a one-line summary."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..cli import EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", default="text", choices=("text", "json", "markdown"),
                        help="text columns, JSON, or the README's markdown table (default: text)")
    parser.add_argument("--markdown", dest="format", action="store_const", const="markdown",
                        help="same as --format markdown")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    from ..ruledocs import all_infos, as_json, markdown_table, text_table

    infos = all_infos()
    if args.format == "json":
        out.write(json.dumps(as_json(infos), indent=2) + "\n")
    elif args.format == "markdown":
        out.write(markdown_table(infos))
    else:
        out.write(text_table(infos))
    return EXIT_OK
