"""The `specc` command line: argument parsing and exit codes over the library API.

Exit codes: 0 ok, 1 findings (or an API/expectation failure), 2 usage error or
internal bug, 3 network failure, 130 interrupted. Each command's module is
imported only when that command runs, so `specc --version` and `specc lint`
never pay for httpx or vcrpy.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, NoReturn, Sequence, TextIO

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_NETWORK, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(Exception):
    """A problem with how specc was called; reported as one line and exit 2."""


def _parse_var(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    name, value = text.split("=", 1)
    if not name.strip():
        raise argparse.ArgumentTypeError(f"empty variable name in {text!r}")
    return name.strip(), value


# Each command: (module, function, help). The module registers its own arguments with `add_arguments`.
COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("specc.commands.lint", "Check specs against OpenRouter's schema and the pitfall rules."),
    "compile": ("specc.commands.compile", "Print the JSON body a spec compiles to."),
    "schema": ("specc.commands.schema", "The schemas: vendor SOURCE, spec (regenerate the editor schema), path [--url] (where it is)."),
    "rules": ("specc.commands.rules", "List every rule and core code (code, name, severity, summary)."),
    "rule": ("specc.commands.rule", "Show one rule's documentation: specc rule CODE|NAME."),
    "models": ("specc.commands.models", "Pull, show and search the model catalog (models pull|show MODEL|search WORDS)."),
    "cost": ("specc.commands.cost", "The least and most a spec's request can cost on the endpoints it can reach (from the catalog)."),
    "send": ("specc.commands.send", "Send a spec to OpenRouter and print the answer (or --dry-run / --curl)."),
    "test": ("specc.commands.test", "Offline contract tests: each spec against its cassette (drift, response, expect)."),
    "server": ("specc.commands.server", "Run the language server over stdio (diagnostics, fixes, hover, completion)."),
    "completion": ("specc.commands.completion", "Print a shell completion script: specc completion bash|zsh|fish."),
    "init": ("specc.commands.init", "Set a repository up for specc (config, specs/, cassettes/, pre-commit, editor); never overwrites."),
}


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, as wide as the terminal, found without importing shutil.

    argparse builds a formatter for every argument it adds, and asks shutil for the width;
    importing shutil (with bz2, lzma and zlib) would add 2 ms to a cached `specc lint`.
    This is `shutil.get_terminal_size().columns`: $COLUMNS, else the terminal's, else 80.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            stream = sys.__stdout__
            columns = os.get_terminal_size(stream.fileno()).columns if stream is not None else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Parser(argparse.ArgumentParser):
    # `--record=MODE`, the spelling before `--record-mode` existed, is read as `--record-mode MODE`.
    VALUED_ALIASES = {"--record": "--record-mode"}

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        if args is not None:
            args = [part for arg in args for part in self._spelled_out(arg)]
        return super().parse_known_args(args, namespace)

    def _spelled_out(self, arg: str) -> list[str]:
        name, equals, value = arg.partition("=")
        return [self.VALUED_ALIASES[name], value] if equals and name in self.VALUED_ALIASES else [arg]

    def error(self, message: str) -> NoReturn:  # argparse exits 2 on its own; keep its message short
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, just that command is set up (and its module imported), so running
    one command never pays for importing or describing the others. `specc --help` lists them all."""
    parser = _Parser(prog="specc", description="Lint, compile, send and replay OpenRouter request specs.")
    parser.add_argument("--version", action="version", version=f"specc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        if only is None or name == only:
            command = sub.add_parser(name, help=help_text, description=help_text)
            command.set_defaults(_module=module_name)
            _command_module(module_name).add_arguments(command)
    return parser


def _command_module(name: str):
    import importlib

    return importlib.import_module(name)


def add_var_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--var", dest="vars", action="append", type=_parse_var, default=[], metavar="NAME=VALUE",
                        help="set a {{ NAME }} placeholder (repeatable); overrides the spec's vars")


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run specc; returns the exit code (the console script exits with it)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--version"]:  # the fast path pre-commit and scripts call most
        out.write(f"specc {__version__}\n")
        return EXIT_OK
    # Every byte any command writes passes `specc.secrets` here, whatever the code path (messages
    # naming a path, a --var value or a URL a user typed a key into included), redacted as one
    # stream per channel and with terminal control characters made visible.
    from .report import ScrubbingWriter

    out, err = ScrubbingWriter(out, terminal=True), ScrubbingWriter(err, terminal=True)
    try:
        # A ScrubbingWriter is the part of TextIO the commands use (write, flush, isatty).
        return _run(args_list, out, err)  # type: ignore[arg-type]
    finally:
        out.finish()
        err.finish()


def _run(args_list: list[str], out: TextIO, err: TextIO) -> int:
    parser = build_parser(only=args_list[0] if args_list and args_list[0] in COMMANDS else None)
    saved_streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err  # where argparse writes its usage errors and --help
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        sys.stdout, sys.stderr = saved_streams
    if not getattr(args, "command", None):
        parser.print_help(out)
        return EXIT_USAGE
    run: Callable = _command_module(args._module).run
    from .secrets import find_secrets, secrets_of_run

    # A command-line value that looks like a secret is redacted like the key in everything this run writes.
    suspects = [found for _, value in getattr(args, "vars", None) or () for found in find_secrets(value)]
    try:
        with secrets_of_run(suspects):
            return run(args, out, err)
    except UsageError as exc:
        err.write(f"specc: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.write("specc: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # an internal bug: one line, never a traceback (SPECC_DEBUG=1 shows it)
        if os.environ.get("SPECC_DEBUG"):
            raise
        from .secrets import scrub

        err.write(f"specc: internal error: {type(exc).__name__}: {scrub(str(exc))}\n"
                  "This is a bug in specc; set SPECC_DEBUG=1 to see the traceback, and please report it.\n")
        return EXIT_USAGE


def run_console() -> None:
    """The `specc` console script: `main`, then exit without tearing the interpreter down.

    A lint run leaves a hundred modules and their objects behind, and freeing them one by
    one at exit costs a few milliseconds, a tenth of a cached pre-commit run. Everything
    specc writes is done by then (files are written atomically before `main` returns), so
    the streams are flushed and the process ends with `os._exit`."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):
        pass  # the reader went away; nothing left to say to it
    os._exit(code)
