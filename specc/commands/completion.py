"""`specc completion bash|zsh|fish`: print a shell completion script.

The script is static, generated from specc's own argument parser by shtab: pressing TAB runs no
Python at all, and nothing is imported on a normal run (bench/completion_startup.py measures
this against argcomplete, which runs specc and builds every command's parser on each TAB).
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..cli import EXIT_OK

SHELLS = ("bash", "zsh", "fish")
# argument metavars/dests that name files or folders: completed as paths by the shell
FILE_ARGS = {"PATH", "SPEC", "FILE", "SOURCE", "paths", "spec", "config", "output", "source"}
DIR_ARGS = {"DIR", "dir"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, help="the shell to print the script for")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    out.write(completion_script(args.shell))
    return EXIT_OK


def completion_script(shell: str) -> str:
    """The completion script for `shell`, covering every command, option and choice."""
    import shtab

    from ..cli import build_parser

    parser = build_parser()
    _mark_paths(parser, shtab)
    script: str = shtab.complete(parser, shell=shell)
    return script if script.endswith("\n") else script + "\n"


def _mark_paths(parser: argparse.ArgumentParser, shtab: Any) -> None:
    """Tell shtab which arguments are paths (shtab reads an action's `complete` attribute)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _mark_paths(sub, shtab)
        elif action.choices is None and action.nargs != 0:
            names = {str(action.metavar), action.dest}
            if names & DIR_ARGS:
                action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]
            elif names & FILE_ARGS:
                action.complete = shtab.FILE  # type: ignore[attr-defined]
