"""`specc send SPEC`: check the spec, send it, print the answer (stdout) and a summary (stderr).

Exit codes: 0 answered, 1 the spec has errors or the API answered with an error
(an HTTP error status, a mid-stream error, a body that is not OpenRouter's),
2 usage (no key, bad option), 3 network failure, 130 interrupted. Everything
written goes through `specc.secrets.scrub`.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any, TextIO

from ..cli import EXIT_FINDINGS, EXIT_OK, UsageError, add_var_argument
from ..report.answer import failure_text, request_text, retry_line, summary_line

from ..send import BASE_URL_ENV  # noqa: F401  (re-exported: the command's documented variable)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a non-negative number of seconds, got {text!r}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative number, got {text!r}")
    return value


def _positive(text: str) -> int:
    value = _count(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..send import SendOptions

    defaults = SendOptions()
    parser.add_argument("spec", metavar="SPEC", help="the spec file")
    add_var_argument(parser)
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help=f"API base URL (default: ${BASE_URL_ENV} or {defaults.base_url})")
    parser.add_argument("--config", default=None, metavar="FILE", help="use this pyproject.toml or specc.toml")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="print the full response (a stream: assembled) as JSON")
    shown.add_argument("--dry-run", action="store_true",
                       help="print the method, URL, headers (key redacted) and body; send nothing")
    shown.add_argument("--curl", action="store_true",
                       help="print an equivalent curl command (key read from $OPENROUTER_API_KEY); send nothing")
    parser.add_argument("--show-reasoning", action="store_true", help="also print reasoning (to stderr)")
    from ._session import add_arguments as add_cassette_arguments

    add_cassette_arguments(parser)
    parser.add_argument("--retries", type=_count, default=defaults.retries, metavar="N",
                        help=f"retries for 408/429/502/503 and connection failures (default: {defaults.retries})")
    parser.add_argument("--deadline", type=_seconds, default=defaults.deadline, metavar="SECONDS",
                        help=f"give up after this long in total, retries included (default: {defaults.deadline:g})")
    parser.add_argument("--connect-timeout", type=_seconds, default=defaults.connect_timeout, metavar="SECONDS",
                        help=f"connect timeout (default: {defaults.connect_timeout:g})")
    parser.add_argument("--read-timeout", type=_seconds, default=defaults.read_timeout, metavar="SECONDS",
                        help=f"longest silence while reading (default: {defaults.read_timeout:g})")
    parser.add_argument("--backoff", type=_seconds, default=defaults.backoff_base, metavar="SECONDS",
                        help=f"first retry's backoff ceiling, doubled each retry (default: {defaults.backoff_base:g})")
    from ..report.comparison import FORMATS as TABLE_FORMATS

    matrix = parser.add_argument_group("matrix specs", "a spec with `matrix:` sends every variant (or those picked)")
    matrix.add_argument("--variant", "-k", default=None, metavar="PATTERN",
                        help="send only the variants whose id is, contains or matches (glob) PATTERN")
    matrix.add_argument("--concurrency", type=_positive, default=4, metavar="N",
                        help="variants in flight at once (default: 4)")
    matrix.add_argument("--format", choices=TABLE_FORMATS, default="text",
                        help="the comparison table's format (default: text)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..config import ConfigError
    from ..lint import build_checker
    from ..report import ScrubbingWriter
    from ..report.text import render
    from ..report import LintReport
    from ..secrets import API_KEY_ENV
    from .lint import load_run_config

    # redacted here too, for callers that run the command without the CLI's writers
    out, err = ScrubbingWriter(out), ScrubbingWriter(err)  # type: ignore[assignment]
    if not os.path.lexists(args.spec):
        raise UsageError(f"{args.spec}: no such file")
    if os.path.isdir(args.spec):
        raise UsageError(f"{args.spec} is a directory; send takes one spec file")
    base_url = resolve_base_url(args.base_url)
    config = load_run_config([args.spec], args.config)
    try:
        checker = build_checker(config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    checked = checker.check_path(args.spec, dict(args.vars))
    if checked.is_abstract and not checked.has_errors:
        from .compile import abstract_refusal

        raise UsageError(abstract_refusal(args.spec, "sent"))
    if checked.has_errors or not checked.bodies() or checked.spec is None:
        errors = [d for d in checked.diagnostics if d.severity.value == "error"]
        render(LintReport(diagnostics=errors, files=1), err)
        err.write(f"specc: {args.spec} has errors; not sent\n")
        return EXIT_FINDINGS

    from ..send import SendOptions, curl_command, prepare_request

    api_key = os.environ.get(API_KEY_ENV, "")
    if not api_key.strip() and not (args.dry_run or args.curl or args.replay):
        raise UsageError(f"{API_KEY_ENV} is not set; export your OpenRouter key "
                         "(https://openrouter.ai/settings/keys) and try again. Nothing was sent.")
    api_key = api_key.strip()
    if api_key and not all(33 <= ord(c) < 127 for c in api_key):
        # never echo it: a control character would also make httpx quote the header (and the key) in its error
        raise UsageError(f"{API_KEY_ENV} contains spaces, control or non-ASCII characters; "
                         "copy the key again. Nothing was sent.")
    if checked.variants:
        from .send_variants import send_variants

        return send_variants(args, checked, config, api_key, base_url, out, err)
    if args.variant:
        raise UsageError(f"{args.spec} has no matrix: --variant is for matrix specs")
    assert checked.body is not None  # bodies() said so
    request = prepare_request(checked.body, api_key, base_url, checked.spec, config)
    if args.dry_run:
        out.write(request_text(request))
        _dry_run_cost(checked.body, config, err)
        return EXIT_OK
    if args.curl:
        out.write(curl_command(request))
        return EXIT_OK
    options = SendOptions(base_url=base_url, retries=args.retries, deadline=args.deadline,
                          connect_timeout=args.connect_timeout, read_timeout=args.read_timeout,
                          backoff_base=args.backoff)
    from ._session import SendSession

    session = SendSession.open(args, checked, request)
    return session.finish(_send_and_print(request, options, args, out, err, session), err)


def _dry_run_cost(body: dict[str, Any], config: Any, err: TextIO) -> None:
    """One `cost` line on stderr (stdout stays the exact request) when the project has a catalog;
    an unusable catalog only costs the line, never the dry run."""
    from ..cost import estimates

    found = estimates([body], config)
    if found is not None:
        [bound], label = found
        err.write(f"specc: cost {bound.range_text()} (prompt ~{bound.prompt.tokens} tokens "
                  f"estimated, {label}; `specc cost` for the endpoints)\n")


def resolve_base_url(flag: str | None) -> str:
    """The API base URL a command uses: `--base-url`, else $OPENROUTER_BASE_URL, else OpenRouter's
    (send and models pull alike); UsageError when it is not an http(s) URL."""
    return _base_url(flag or os.environ.get(BASE_URL_ENV) or None)


def _base_url(value: str | None) -> str:
    from urllib.parse import urlsplit

    from ..send import DEFAULT_BASE_URL

    if value is None:
        return DEFAULT_BASE_URL
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a bad port, as hostname does for `http://[::1`
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        usable = False
    if not usable:
        raise UsageError(f"--base-url / {BASE_URL_ENV} must be an http(s) URL, got {value!r}")
    return value


def _send_and_print(request: Any, options: Any, args: argparse.Namespace, out: TextIO, err: TextIO,
                    session: Any) -> int:

    printed = {"content": False, "ends_with_newline": True}

    def on_delta(kind: str, text: str) -> None:
        if args.json:
            return
        if kind == "content":
            if printed.get("reasoning_open"):  # end the reasoning's line before the answer starts
                err.write("\n")
                printed["reasoning_open"] = False
            out.write(text)
            out.flush()
            printed["content"] = True
            printed["ends_with_newline"] = text.endswith("\n")
        elif args.show_reasoning:
            err.write(text)
            err.flush()
            printed["reasoning_open"] = not text.endswith("\n")

    def on_retry(attempt: Any, number: int) -> None:
        err.write(retry_line(attempt, number, options.retries))
        err.flush()

    result = session.send(request, options, on_delta=on_delta, on_retry=on_retry)
    if args.json:
        if result.response is not None:  # nothing on stdout when nothing came back (a network failure)
            out.write(json.dumps(result.response, indent=2, ensure_ascii=False) + "\n")
    else:
        _print_answer(result, args, out, err, printed)
    if request.stream and not result.streamed and result.response is not None:
        content_type = (result.headers or {}).get("content-type") or "no content type"
        err.write(f"specc: note: the spec asks for a stream (stream: true) but the API answered with one "
                  f"body ({content_type!r}), not an event stream; shown as it came\n")
    failure = result.failure
    if failure is None:
        err.write(summary_line(result) + "\n")
        return EXIT_OK
    err.write(failure_text(failure) + "\n")
    if result.status == 200 and result.response:  # a stream cut short still says who served it and how far it got
        err.write(summary_line(result) + "\n")
    from ._session import exit_code

    return exit_code(result)


def _print_answer(result: Any, args: argparse.Namespace, out: TextIO, err: TextIO, printed: dict) -> None:
    """The answer's text; a stream's deltas were already printed as they arrived."""
    if not result.streamed:
        if result.reasoning and args.show_reasoning:
            err.write(result.reasoning.rstrip("\n") + "\n")
        if result.content:
            out.write(result.content)
            printed.update(content=True, ends_with_newline=result.content.endswith("\n"))
    if printed["content"] and not printed["ends_with_newline"]:
        out.write("\n")
    for call in result.tool_calls:
        function = call.get("function") or {}
        out.write(f"tool call {call.get('id') or ''}: {function.get('name')}({function.get('arguments') or ''})\n")
    out.flush()
