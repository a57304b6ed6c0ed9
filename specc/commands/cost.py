"""`specc cost SPEC...`: the least and most each spec's request can cost, from the model catalog; nothing is sent.

Exit codes: 0 every spec bounded (unknown figures are shown as `?`, not an error), 1 a
spec has errors, 2 usage (no catalog, an unreadable one, a bad path).
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

from ..cli import EXIT_FINDINGS, EXIT_OK, UsageError, add_var_argument

if TYPE_CHECKING:
    from ..cost import CostBound


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("specs", nargs="+", metavar="SPEC", help="spec files and folders")
    parser.add_argument("--format", default="text", choices=("text", "json", "markdown"),
                        help="output format (default: text)")
    parser.add_argument("--config", default=None, metavar="FILE", help="use this pyproject.toml or specc.toml")
    add_var_argument(parser)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..catalog import CatalogError, catalog_path, load_project_catalog
    from ..config import ConfigError
    from ..cost import cost_bound
    from ..lint import PathError, build_checker, discover
    from ..report import LintReport
    from ..report.text import render
    from .lint import load_run_config

    config = load_run_config(list(args.specs), args.config)
    try:
        catalog = load_project_catalog(config)
    except CatalogError as exc:
        raise UsageError(str(exc)) from None
    if catalog is None:
        raise UsageError(f"no model catalog at {catalog_path(config)}: run `specc models pull` "
                         "(with --endpoints for per-provider prices), or set `catalog` in [tool.specc]")
    try:
        targets = discover(args.specs, config.exclude, config.root).targets
    except PathError as exc:
        raise UsageError(str(exc)) from None
    if not targets:
        raise UsageError(f"no spec in {', '.join(args.specs)}")
    try:
        checker = build_checker(config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    code = EXIT_OK
    bounds: list[tuple[str, CostBound]] = []
    for target in targets:
        if target.refused is not None:
            render(LintReport(diagnostics=[target.refused], files=1), err)
            code = EXIT_FINDINGS
            continue
        result = checker.check_path(target.path, dict(args.vars))
        if result.has_errors or not result.bodies():
            render(LintReport(diagnostics=[d for d in result.diagnostics if d.severity.value == "error"], files=1), err)
            err.write(f"specc: {target.path} has errors; no cost bound\n")
            code = EXIT_FINDINGS
            continue
        for variant, body in result.bodies():  # a matrix spec: a bound for each variant
            bounds.append((variant.id if variant is not None else target.path, cost_bound(body, catalog)))
    if args.format == "json":
        out.write(json.dumps([{"spec": path, **bound.to_json()} for path, bound in bounds], indent=2) + "\n")
    else:
        for path, bound in bounds:
            out.write((_markdown if args.format == "markdown" else _text)(path, bound))
    return code


def _tokens(value: Any) -> str:
    return "?" if value is None else f"{value:,}"


def _per_million(price: float | None) -> str:
    from ..catalog import TOKENS_PER_PRICE_UNIT

    return "?" if price is None else f"${price * TOKENS_PER_PRICE_UNIT:.4g}/M"


def _cells(bound: "CostBound") -> list[list[str]]:
    from ..cost import usd

    return [[row.requested if row.model in (None, row.requested) else f"{row.requested} ({row.model})",
             row.provider or ("-" if row.model is None else "list price"),
             _per_million(row.prompt_price), _per_million(row.completion_price),
             f"{_tokens(row.completion_tokens)}{f' ({row.completion_source})' if row.completion_source else ''}",
             usd(row.least), usd(row.most)] for row in bound.rows]


HEADER = ["model", "endpoint", "prompt", "completion", "max output", "least", "most"]


def _summary(path: str, bound: "CostBound") -> str:
    images = f", {bound.prompt.images} image(s) at a nominal size" if bound.prompt.images else ""
    return (f"{path}: {bound.range_text()} per request "
            f"(prompt ~{bound.prompt.tokens:,} tokens estimated{images}; catalog of {bound.catalog_date})")


def _notes(bound: "CostBound") -> list[str]:
    notes = [f"unknown: {reason}" for reason in bound.unknowns]
    if bound.prompt.uncounted:
        notes.append(f"not counted in the prompt: {', '.join(sorted(set(bound.prompt.uncounted)))} part(s)")
    notes += [f"excluded by provider.max_price: {what}" for what in bound.excluded]
    return notes


def _text(path: str, bound: "CostBound") -> str:
    rows = [HEADER, *_cells(bound)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = [_summary(path, bound)]
    lines += ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines += [f"  {note}" for note in _notes(bound)]
    return "\n".join(lines) + "\n\n"


def _markdown(path: str, bound: "CostBound") -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    lines = [f"### {path}", "", _summary(path, bound).split(": ", 1)[1], "", line(HEADER),
             line(["---"] * len(HEADER)), *map(line, _cells(bound))]
    lines += [""] + [f"- {note}" for note in _notes(bound)] if _notes(bound) else []
    return "\n".join(lines) + "\n\n"
