"""Latency of `specc server`: the time from a change to a 10 KB spec to its diagnostics.

Starts the server over stdio with a real client (pygls), opens a ~10 KB spec (a long
conversation), then changes it repeatedly, alternating a valid and an invalid value, and
times each change notification to the diagnostics published for that change. The first
check (cold: schema, rules) is reported apart. The figure includes the server's debounce.

    python bench/lsp_latency.py [--changes 40] [--debounce 15]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path


def ten_kb_spec(temperature: str) -> str:
    lines = ["name: long-thread", "request:", "  model: openai/gpt-4o", f"  temperature: {temperature}",
             "  max_tokens: 800", "  provider:", "    sort: price", "  messages:",
             "    - role: system", "      content: You are a support assistant. Answer briefly and cite the policy."]
    turn = 0
    while sum(len(line) + 1 for line in lines) < 10_000:
        role = "user" if turn % 2 == 0 else "assistant"
        lines += [f"    - role: {role}", f"      content: \"Turn {turn}: " + "the customer asks about storage quotas and billing cycles. " * 3 + "\""]
        turn += 1
    return "\n".join(lines) + "\n"


async def measure(changes: int, debounce: int) -> tuple[float, list[float], int]:
    folder = Path(tempfile.mkdtemp(prefix="specc-lsp-bench-"))
    (folder / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
    spec = folder / "spec.yaml"
    text = ten_kb_spec("0.2")
    spec.write_text(text)
    uri = from_fs_path(str(spec))
    client = LanguageClient("bench", "1")
    published: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait((time.perf_counter(), params))

    await client.start_io(sys.executable, "-m", "specc", "server", "--debounce", str(debounce))
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    client.initialized(types.InitializedParams())

    async def next_for(version: int) -> float:
        while True:
            at, params = await published.get()
            if params.uri == uri and params.version == version:
                return at

    start = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)))
    first = (await next_for(1)) - start
    timings = []
    for version in range(2, changes + 2):
        new_text = ten_kb_spec("hot" if version % 2 else "0.3")
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)]))
        timings.append((await next_for(version)) - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return first, timings, len(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--debounce", type=int, default=15, help="the server's --debounce (ms)")
    args = parser.parse_args()
    first, timings, size = asyncio.run(measure(args.changes, args.debounce))
    ordered = sorted(timings)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    print(f"spec: {size:,} bytes; debounce {args.debounce} ms; {len(timings)} changes")
    print(f"first diagnostics after open: {first * 1e3:.1f} ms")
    print(f"after a change: median {statistics.median(timings) * 1e3:.1f} ms, p90 {p90 * 1e3:.1f} ms, "
          f"max {ordered[-1] * 1e3:.1f} ms (budget: 50 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
