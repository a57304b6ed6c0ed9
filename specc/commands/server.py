"""`specc server`: the language server over stdio (needs `pip install "specc[server]"`)."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..cli import EXIT_OK, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default and only transport)")
    parser.add_argument("--debounce", type=int, default=15, metavar="MS",
                        help="wait this long after a change before checking (default: 15)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.debounce < 0:
        raise UsageError("--debounce must be 0 or more milliseconds")
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        raise UsageError('the language server needs pygls: pip install "specc[server]"') from None
    from ..server.lsp import serve

    serve(args.debounce)
    return EXIT_OK
