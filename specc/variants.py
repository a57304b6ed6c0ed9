"""Sending the variants of a matrix spec side by side (issue 19): bounded concurrency, and one
comparison row per variant.

`run_variants` runs a caller's `send_one(job)` for each job on at most `concurrency` threads
(each send is I/O bound; httpx clients are not shared between threads) and reports each
finished run to `on_done` as it lands. A row is plain data; `report/comparison.py` renders
the table as text, markdown, CSV or JSON.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

COLUMNS = ("variant", "model", "provider", "status", "finish", "ttft_s", "total_s", "prompt_tokens",
           "completion_tokens", "reasoning_tokens", "cost", "estimate", "expect")


@dataclass
class VariantRun:
    """One variant's send: its exit code, result (None when nothing was sent), expect outcomes,
    and what it would have printed on stderr (kept, so that runs in parallel do not interleave)."""

    variant_id: str
    code: int
    result: Any = None
    expect: list[Any] = field(default_factory=list)
    messages: str = ""
    estimate: str = ""

    def row(self) -> dict[str, Any]:
        """The comparison table's row: who served it, how it ended, tokens, cost, timing, expect."""
        data = self.result.summary() if self.result is not None else {}
        failed = [o.name for o in self.expect if not o.ok]
        expect = None
        if failed:
            expect = f"fail: {', '.join(failed)}"
        elif self.expect:
            expect = f"pass ({len(self.expect)})"
        failure = self.result.failure if self.result is not None else None
        status = self.result.status if self.result is not None else None
        return {
            "variant": self.variant_id,
            "model": data.get("model"),
            "provider": data.get("provider"),
            "status": status if status is not None else (failure.kind if failure is not None else "not sent"),
            "finish": data.get("finish_reason") or (failure.kind if failure is not None else None),
            "ttft_s": _seconds(data.get("time_to_first_token")),
            "total_s": _seconds(data.get("latency")),
            "prompt_tokens": data.get("prompt_tokens"),
            "completion_tokens": data.get("completion_tokens"),
            "reasoning_tokens": data.get("reasoning_tokens"),
            "cost": data.get("cost"),
            "estimate": self.estimate or None,
            "expect": expect,
        }


def _seconds(value: Any) -> float | None:
    return round(value, 3) if isinstance(value, (int, float)) else None


def run_variants(jobs: Sequence[Any], send_one: Callable[[Any], VariantRun], concurrency: int = 4,
                 on_done: Callable[[VariantRun, int], None] | None = None) -> list[VariantRun]:
    """Run `send_one` for every job, at most `concurrency` at a time; the runs in the jobs' order.

    On Ctrl-C, the variants not started are cancelled and those running are let finish (their
    recordings are written whole); KeyboardInterrupt is raised again once they have."""
    runs: dict[int, VariantRun] = {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="specc-variant") as pool:
        futures: dict[Future, int] = {pool.submit(send_one, job): index for index, job in enumerate(jobs)}
        try:
            for done, future in enumerate(as_completed(futures), start=1):
                run = future.result()
                runs[futures[future]] = run
                if on_done is not None:
                    on_done(run, done)
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            raise
    return [runs[index] for index in sorted(runs)]


def worst_code(codes: Sequence[int]) -> int:
    """One exit code for the variants: interrupted (130) over network failure (3) over findings (1)."""
    for code in (130, 3, 2, 1):
        if code in codes:
            return code
    return 0
