"""`specc send SPEC` on a matrix spec: every variant (or those `--variant` picks), side by side.

The variants are sent `--concurrency` at a time with the same retry policy as one spec,
each recorded into (or replayed from) its own cassette, and a comparison table is printed
at the end (`--format text|markdown|csv|json`); progress goes to stderr while they run.
The exit code is the worst of the variants' (see `variants.worst_code`).
"""

from __future__ import annotations

import argparse
import io
import json
from typing import Any, TextIO

from ..cli import EXIT_INTERRUPTED, EXIT_OK, UsageError


def send_variants(args: argparse.Namespace, checked: Any, config: Any, api_key: str, base_url: str,
                  out: TextIO, err: TextIO) -> int:
    from ..matrix import select
    from ..report.comparison import render
    from ..send import SendOptions, curl_command, prepare_request
    from ..variants import VariantRun, run_variants, worst_code
    from ._progress import Progress
    from ._session import SendSession, exit_code
    from ..report.answer import failure_text, request_text, retry_line

    chosen = select(checked.variants, args.variant)
    if not chosen:
        ids = "\n  ".join(v.id for v in checked.variants)
        raise UsageError(f"--variant {args.variant!r} matches no variant of {args.spec}:\n  {ids}")
    requests = [(variant, prepare_request(variant.body, api_key, base_url, checked.spec, config)) for variant in chosen]
    estimates = _estimates(chosen, config)
    if args.dry_run or args.curl:
        for variant, request in requests:
            out.write(f"# {variant.id}\n")
            if args.curl:
                out.write(curl_command(request))
                continue
            out.write(request_text(request) + "\n")
            if variant.id in estimates:
                err.write(f"specc: {variant.id}: cost {estimates[variant.id]}\n")
        return EXIT_OK
    options = SendOptions(base_url=base_url, retries=args.retries, deadline=args.deadline,
                          connect_timeout=args.connect_timeout, read_timeout=args.read_timeout,
                          backoff_base=args.backoff)
    # Every cassette is opened before anything is sent: a refused one costs no request.
    jobs = [(variant, request, SendSession.open(args, checked, request, variant)) for variant, request in requests]

    def send_one(job: tuple[Any, Any, Any]) -> VariantRun:
        variant, request, session = job
        messages = io.StringIO()

        def on_retry(attempt: Any, number: int) -> None:
            messages.write(retry_line(attempt, number, options.retries))

        result = session.send(request, options, on_retry=on_retry)
        code = exit_code(result)
        if result.failure is not None:
            messages.write(failure_text(result.failure) + "\n")
        code = session.finish(code, messages)
        return VariantRun(variant.id, code, result, session.expect_outcomes, messages.getvalue(),
                          estimates.get(variant.id, ""))

    progress = Progress(err, len(jobs))

    def done(run: VariantRun, finished: int) -> None:
        status = run.result.status if run.result is not None and run.result.status is not None else "no answer"
        progress.show(finished, run.variant_id)
        progress.line(f"specc: [{finished}/{len(jobs)}] {run.variant_id}: {status}")

    try:
        runs = run_variants(jobs, send_one, args.concurrency, done)
    except KeyboardInterrupt:
        progress.clear()
        err.write("specc: interrupted; the variants not started were not sent\n")
        return EXIT_INTERRUPTED
    progress.clear()
    for run in runs:
        for line in run.messages.splitlines():
            err.write(f"specc: [{run.variant_id}] {line.removeprefix('specc: ')}\n")
    if args.json:
        out.write(json.dumps([{"variant": run.variant_id, "response": run.result.response if run.result else None}
                              for run in runs], indent=2, ensure_ascii=False) + "\n")
    else:
        render([run.row() for run in runs], out, args.format)
    return worst_code([run.code for run in runs])


def _estimates(variants: list[Any], config: Any) -> dict[str, str]:
    """Each variant's cost bound from the project's catalog ("$0.0001 to $0.02"); none without one."""
    from ..cost import estimates

    found = estimates([variant.body for variant in variants], config)
    if found is None:
        return {}
    return {variant.id: bound.range_text() for variant, bound in zip(variants, found[0])}
