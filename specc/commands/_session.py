"""What `specc send` does around the send itself: `--record`, `--replay` and the `expect:` block.

`SendSession.open` prepares the cassette transport (or none); `send` performs the
request through it; `finish` writes the recording and checks the spec's
expectations, turning a failed expectation into exit 1.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..cli import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_NETWORK, EXIT_OK, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--record`, `--record-mode once|new|all` (`--record=MODE` is read as it) and `--replay`.

    `--record` takes no value, so `specc send --record SPEC` never reads the spec path as a mode
    (pytest-recording's `--record-mode` is the convention people know)."""
    from ..replay import RECORD_MODES

    group = parser.add_mutually_exclusive_group()
    group.add_argument("--record", action="store_const", const="once", default=None, dest="record",
                       help="record the exchange into the spec's cassette, mode once (never overwrites one)")
    group.add_argument("--record-mode", choices=RECORD_MODES, dest="record", metavar="MODE",
                       help="record with this mode: once, new (add what the cassette does not answer), "
                            "all (re-record); --record=MODE means the same")
    group.add_argument("--replay", action="store_true",
                       help="answer from the spec's cassette; no network, no key needed")


@dataclass
class SendSession:
    """One send of a checked spec: its cassette transport (if any) and the result."""

    checked: Any
    mode: str | None = None          # replay, once, new, all, or None (plain live send)
    path: Path | None = None
    transport: Any = None
    result: Any = field(default=None, init=False)
    expect_outcomes: list = field(default_factory=list, init=False)  # filled by `finish`

    @classmethod
    def open(cls, args: argparse.Namespace, checked: Any, request: Any, variant: Any = None) -> "SendSession":
        """Raises UsageError for an unusable or missing cassette, or one `once` must not overwrite.
        `variant` (of a matrix spec) has its own cassette."""
        mode = "replay" if getattr(args, "replay", False) else getattr(args, "record", None)
        if mode is None:
            return cls(checked)
        from ..contract import cassette_for
        from ..replay import CassetteError, open_transport
        from ..send import BASE_URL_ENV

        try:
            path = cassette_for(checked, variant=variant)
            # with no base URL chosen, a replay answers whatever server the cassette was recorded against
            chosen = getattr(args, "base_url", None) or os.environ.get(BASE_URL_ENV)
            transport = open_transport(path, mode, any_host=mode == "replay" and not chosen)
        except CassetteError as exc:
            raise UsageError(str(exc)) from None
        cassette = transport.cassette  # a replay's transport holds the loaded cassette (or open_transport raised)
        if mode == "replay" and cassette is not None and not cassette.find(request.method, request.url,
                                                                           request.json_bytes(), transport.any_host):
            raise UsageError(_no_match(transport.cassette, request, transport.any_host))
        return cls(checked, mode, path, transport)

    def send(self, request: Any, options: Any, **callbacks: Any) -> Any:
        from ..send import make_client, send

        client = make_client(options, self.transport) if self.transport is not None else None
        extra: dict[str, Any] = {"sleep": lambda seconds: None} if self.mode == "replay" else {}  # recorded waits are not waited again
        self.result = send(request, options, client=client, **callbacks, **extra)
        return self.result

    def finish(self, code: int, err: TextIO) -> int:
        """Write the recording, check `expect:`; the exit code, made 1 by a failed expectation."""
        if self.result is None:
            if self.transport is not None:
                from ..replay import release_recording

                release_recording(self.transport)
            return code
        if self.mode in ("once", "new", "all") and self.path is not None:
            from ..replay import CassetteError, finish_recording

            try:
                err.write(f"specc: {finish_recording(self.transport, self.path, self.mode, self.result)}\n")
            except CassetteError as exc:
                err.write(f"specc: error: {exc}\n")
                code = code or EXIT_FINDINGS
        expect = self.checked.spec.expect if self.checked.spec is not None else None
        if expect is None or self.result.status is None:
            return code
        from ..expect import evaluate

        failure = self.result.failure
        reported = ({"code": failure.code, "message": failure.api_message or ""}
                    if failure is not None and failure.kind in ("api", "stream", "error") else None)
        outcomes = evaluate(expect, self.result.status, self.result.response, reported)
        self.expect_outcomes = outcomes
        failed = [o for o in outcomes if not o.ok]
        for outcome in failed:
            err.write(f"specc: expect {outcome.name} failed: {outcome.message}\n")
        err.write(f"specc: expect: {len(outcomes) - len(failed)} of {len(outcomes)} passed\n")
        return (code or EXIT_FINDINGS) if failed else code


def exit_code(result: Any) -> int:
    """The exit code a send ends with: 0 answered, 130 interrupted, 3 network, 1 any other failure."""
    failure = result.failure
    if failure is None:
        return EXIT_OK
    if failure.kind == "interrupted":
        return EXIT_INTERRUPTED
    return EXIT_NETWORK if failure.kind == "network" else EXIT_FINDINGS


def _no_match(cassette: Any, request: Any, any_host: bool) -> str:
    """Why the cassette cannot answer: the URLs it holds, or what changed in the body."""
    from ..contract import format_diff, json_diff
    from ..replay import same_endpoint

    same_url = [i for i in cassette.interactions if i.method == request.method and (
        i.uri == request.url or any_host and same_endpoint(i.uri, request.url))]
    if not same_url:
        urls = sorted({f"{i.method} {i.uri}" for i in cassette.interactions})
        return (f"{cassette.path}: no recorded interaction for {request.method} {request.url} "
                f"(the cassette holds: {', '.join(urls) or 'nothing'}); pass the --base-url it was recorded with")
    recorded = same_url[-1].request_json()
    lines = format_diff(json_diff(recorded, request.body)) if recorded is not None else ["(not JSON)"]
    return (f"{cassette.path}: no recorded interaction has this body; what changed since the recording:\n  "
            + "\n  ".join(lines) + "\nre-record on purpose with --record=all (or --record=new)")
