"""How far `specc.cost.estimate_prompt` is from the real prompt token counts of ../shared/corpus.

    python scripts/token_estimate_error.py            # the error distribution, overall and per group
    python scripts/token_estimate_error.py --json     # the same figures as JSON

Every recorded exchange whose response reports `usage.prompt_tokens` (a JSON body, or the
last usage chunk of a stream) is measured: relative error = (estimate - actual) / actual,
so +0.2 means the estimate is 20% too high. Shown: the median of the error, the median and
90th percentile of its absolute value, the share within +-25%, and the share whose actual
count is below `PromptEstimate.low` (where a lint warning built on the low figure could be wrong).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))


@dataclass(frozen=True)
class Sample:
    name: str
    client: str       # the corpus prefix: which client library recorded it
    family: str       # the model's author, e.g. "openai"
    tools: bool       # whether the request defines tools (providers render them their own way)
    estimate: int
    low: int
    actual: int

    @property
    def error(self) -> float:
        return (self.estimate - self.actual) / self.actual


def _usage(response: dict[str, Any]) -> dict[str, Any] | None:
    """The `usage` of a recorded response: the JSON body's, or a stream's last chunk that has one."""
    body = response.get("body")
    if not isinstance(body, str):
        return None
    if response.get("stream"):
        found = None
        for line in body.splitlines():
            if line.startswith("data: ") and '"usage"' in line:
                try:
                    chunk = json.loads(line[6:])
                except ValueError:
                    continue
                if isinstance(chunk, dict) and isinstance(chunk.get("usage"), dict):
                    found = chunk["usage"]
        return found
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data.get("usage") if isinstance(data, dict) and isinstance(data.get("usage"), dict) else None


def samples(folder: Path = CORPUS) -> list[Sample]:
    """Every exchange with a real, positive `usage.prompt_tokens`, with the estimate of its request."""
    from specc.cost import estimate_prompt

    found = []
    for path in sorted((folder / "responses").glob("*.json")):
        usage = _usage(json.loads(path.read_text("utf-8")))
        actual = usage.get("prompt_tokens") if usage else None
        if not isinstance(actual, int) or isinstance(actual, bool) or actual <= 0:
            continue
        body = json.loads((folder / "requests" / path.name).read_text("utf-8"))
        estimate = estimate_prompt(body)
        model = body.get("model") if isinstance(body.get("model"), str) else "?"
        found.append(Sample(path.stem, path.stem.split("__")[0], model.split("/")[0], bool(body.get("tools")),
                            estimate.tokens, estimate.low, actual))
    return found


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def figures(group: Iterable[Sample]) -> dict[str, Any]:
    """The error distribution of a group of samples."""
    group = list(group)
    errors = [s.error for s in group]
    if not errors:
        return {"n": 0}
    absolute = [abs(e) for e in errors]
    return {"n": len(errors), "median_error": statistics.median(errors),
            "median_abs_error": statistics.median(absolute), "p90_abs_error": _percentile(absolute, 0.9),
            "within_25pct": sum(a <= 0.25 for a in absolute) / len(errors),
            "actual_below_low": sum(s.actual < s.low for s in group) / len(errors),
            "median_abs_tokens": statistics.median(abs(s.estimate - s.actual) for s in group)}


def report(found: list[Sample]) -> dict[str, Any]:
    by_client: dict[str, list[Sample]] = {}
    by_family: dict[str, list[Sample]] = {}
    for sample in found:
        by_client.setdefault(sample.client, []).append(sample)
        by_family.setdefault(sample.family, []).append(sample)
    return {"all": figures(found),
            "by_tools": {"with tools": figures(s for s in found if s.tools),
                         "without tools": figures(s for s in found if not s.tools)},
            "by_client": {k: figures(v) for k, v in sorted(by_client.items())},
            "by_family": {k: figures(v) for k, v in sorted(by_family.items(), key=lambda kv: -len(kv[1]))}}


def _line(label: str, f: dict[str, Any]) -> str:
    if not f["n"]:
        return f"{label:<34} {0:>5}"
    return (f"{label:<34} {f['n']:>5} {f['median_error']:>+8.1%} {f['median_abs_error']:>8.1%} "
            f"{f['p90_abs_error']:>8.1%} {f['within_25pct']:>8.1%} {f['actual_below_low']:>8.1%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus folder (default: ../shared/corpus)")
    args = parser.parse_args(argv)
    if not (args.corpus / "responses").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    result = report(samples(args.corpus))
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    header = f"{'':<34} {'n':>5} {'median':>8} {'|med|':>8} {'|p90|':>8} {'±25%':>8} {'<low':>8}"
    print(header)
    print(_line("all", result["all"]))
    for title in ("by_tools", "by_client", "by_family"):
        print(f"\n{title.replace('_', ' ')}:")
        for name, f in result[title].items():
            if f["n"] >= 5:  # smaller groups say nothing
                print(_line(f"  {name}", f))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
