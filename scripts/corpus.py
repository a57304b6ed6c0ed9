"""Measure specc against the real recorded exchanges in ../shared/corpus (issue 14's figures).

    python scripts/corpus.py                 # the summary: false errors, contract passes, 400s and 404s explained
    python scripts/corpus.py --failures      # also every exchange that does not meet its status's bar
    python scripts/corpus.py --rules         # hits per rule by recorded status
    python scripts/corpus.py --calibration   # rewrite docs/calibration.md (every rule, opt-in ones too)

Each pair is tried as a new user would: the request wrapped as `request:` in a spec, the
exchange written as a vcrpy cassette beside it, `expect: {status: <recorded status>}` on
non-200s, then linted (without and with the shared catalog snapshot) and checked as
`specc test` does. `tests/corpus/` runs the same evaluation as a test.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
CATALOG_SNAPSHOT = SHARED / "catalog" / "models.chlnga-models-pie.2026-06-16.json"
CALIBRATION = REPO / "docs" / "calibration.md"
UNEXPLAINED = REPO / "tests" / "corpus" / "unexplained_refusals.txt"
ACCEPTED_STATUSES = (200, 401, 403, 429)
URI = "https://openrouter.ai/api/v1/chat/completions"
sys.path.insert(0, str(REPO))


@dataclass
class Pair:
    """One recorded exchange: the request body and the response as the corpus stores it."""

    name: str
    request: dict[str, Any]
    status: int
    stream: bool
    content_type: str
    body: str

    @property
    def is_no_endpoint(self) -> bool:
        return self.status == 404 and "No endpoints found" in self.body

    @property
    def category(self) -> str:
        """`accepted` (200, 401, 403, 429), `refused` (400), `no-endpoint` (404 "No endpoints found"), or `other`."""
        if self.status in ACCEPTED_STATUSES:
            return "accepted"
        if self.status == 400:
            return "refused"
        return "no-endpoint" if self.is_no_endpoint else "other"

    @property
    def provider_judged(self) -> bool:
        """False for a 404 "No endpoints found for <model>.": the model had no endpoint, no provider saw the request."""
        return not (self.status == 404 and "No endpoints found for " in self.body)


def corpus_pairs(folder: Path = CORPUS) -> list[Pair]:
    """Every pair in the corpus, by name; [] when the corpus is absent."""
    pairs = []
    for request_file in sorted((folder / "requests").glob("*.json")):
        response = json.loads((folder / "responses" / request_file.name).read_text("utf-8"))
        content_type = "text/event-stream" if response["stream"] else response["headers"].get("content-type", "")
        pairs.append(Pair(request_file.stem, json.loads(request_file.read_text("utf-8")), response["status"],
                          response["stream"], content_type, response["body"]))
    return pairs


@dataclass
class Outcome:
    """What specc said about one pair."""

    pair: Pair
    errors: list[str] = field(default_factory=list)          # lint errors without the catalog
    catalog_errors: list[str] = field(default_factory=list)  # lint errors with the shared catalog snapshot
    codes: set[str] = field(default_factory=set)             # every code that fired, with the catalog
    compiled_back: bool = True
    test_status: str = ""
    failed_checks: list[str] = field(default_factory=list)
    contract_problems: list[str] = field(default_factory=list)  # the response contract alone, whatever the lint said
    api_errors: list[str] = field(default_factory=list)         # errors the API reported after HTTP 200


def interaction_of(pair: Pair) -> Any:
    """The pair as the recorded interaction a cassette holds."""
    from specc.replay import Interaction

    return Interaction("POST", URI, json.dumps(pair.request).encode(), pair.status, "", {},
                       {"content-type": [pair.content_type]}, [pair.body.encode("utf-8")])


def contract_verdict(pair: Pair, schemas: Any) -> tuple[list[str], list[str]]:
    """(contract problems, errors the API reported after HTTP 200) for the pair's answer, as `specc test`
    judges them; independent of the lint verdict on the request."""
    from specc.contract import check_responses

    contract, [reported] = check_responses([interaction_of(pair)], schemas)
    problems = [] if contract.ok else contract.message.splitlines()
    return problems, [error.describe() for error in reported if not error.http]


def write_pair(pair: Pair, project: Path) -> Path:
    """The pair as a spec under `project/specs/` and its cassette under `project/cassettes/`; the spec's path."""
    from specc.compile import escape_placeholders
    from specc.replay import save_interactions

    spec: dict[str, Any] = {"request": escape_placeholders(pair.request)}  # braces in a prompt stay text
    if pair.status != 200:
        spec["expect"] = {"status": pair.status}
    path = project / "specs" / f"{pair.name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(spec, indent=1, ensure_ascii=False), "utf-8")
    save_interactions(project / "cassettes" / "specs" / f"{pair.name}.yaml", [interaction_of(pair)], "all")
    return path


def checkers(project: Path, every_rule: bool = False) -> tuple[Any, Any]:
    """A checker with the default selection, and the same with the shared catalog snapshot.

    `every_rule`: the catalog checker runs the opt-in rules too (for the calibration table;
    they are `info`, so the error figures do not change).
    """
    from specc.catalog import Catalog, parse_models_response
    from specc.config import Config
    from specc.lint import build_checker

    config = Config(root=str(project))
    plain = build_checker(config)
    catalog = None
    if CATALOG_SNAPSHOT.is_file():
        payload = json.loads(CATALOG_SNAPSHOT.read_text("utf-8"))
        catalog = Catalog.build(parse_models_response(payload), "2026-06-16", source=CATALOG_SNAPSHOT.name)
    with_catalog = build_checker(config)
    if every_rule:
        from specc.check import Checker
        from specc.rules import all_rules

        with_catalog = Checker(schemas=plain.schemas, rules=[rule() for rule in all_rules()], config=config)
    with_catalog.catalog = catalog
    return plain, with_catalog


def evaluate(pairs: list[Pair], every_rule: bool = False) -> Iterator[Outcome]:
    """Lint and contract-check every pair in a scratch project (`every_rule`: see `checkers`)."""
    from specc.contract import check_spec

    with tempfile.TemporaryDirectory(prefix="specc-corpus-") as scratch:
        project = Path(scratch)
        (project / "pyproject.toml").write_text("[project]\nname = 'corpus'\n", "utf-8")
        plain, with_catalog = checkers(project, every_rule)
        for pair in pairs:
            path = write_pair(pair, project)
            outcome = Outcome(pair)
            result = plain.check_path(path)
            outcome.errors = [f"{d.code} {d.message}" for d in result.diagnostics if d.severity.value == "error"]
            outcome.compiled_back = (result.body is not None
                                     and json.dumps(result.body) == json.dumps(pair.request))
            cataloged = with_catalog.check_path(path)
            outcome.catalog_errors = [f"{d.code} {d.message}" for d in cataloged.diagnostics
                                      if d.severity.value == "error"]
            outcome.codes = {d.code for d in cataloged.diagnostics}
            tested = check_spec(result, plain.schemas)
            outcome.test_status = tested.status
            outcome.failed_checks = [f"{c.name}: {c.message.splitlines()[0]}" for c in tested.checks if not c.ok]
            outcome.contract_problems, outcome.api_errors = contract_verdict(pair, plain.schemas)
            yield outcome


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """The figures the issue asks for, as counts."""
    accepted = [o for o in outcomes if o.pair.status != 400]
    refused = [o for o in outcomes if o.pair.status == 400]
    no_endpoint = [o for o in outcomes if o.pair.is_no_endpoint]
    return {
        "pairs": len(outcomes),
        "false_errors": sum(1 for o in accepted if o.errors),
        "not_refused": len(accepted),
        "compile_mismatches": sum(1 for o in outcomes if not o.compiled_back),
        "test_passes": sum(1 for o in outcomes if o.test_status == "passed"),
        "refused": len(refused),
        "refused_explained": sum(1 for o in refused if o.catalog_errors),
        "no_endpoint": len(no_endpoint),
        "no_endpoint_explained": sum(1 for o in no_endpoint if o.catalog_errors),
        "contract_passes": sum(1 for o in outcomes if not o.contract_problems),
        "api_errors_reported": sum(1 for o in outcomes if o.api_errors),
    }


# ---------------------------------------------------------------------------- verdicts and calibration

CATEGORIES = ("accepted", "refused", "no-endpoint", "other")


def explaining_errors(outcome: Outcome) -> list[str]:
    """The error findings that explain a refusal: what the request alone shows, plus the catalog's errors.

    On a 400 that a provider answered, the model existed then, so `unknown-model` (a model the
    later catalog snapshot no longer lists) cannot be the reason and is left out there.
    """
    if outcome.pair.category == "refused":
        return outcome.errors + [e for e in outcome.catalog_errors if e not in outcome.errors
                                 and not e.startswith("OR117 ")]
    return outcome.catalog_errors


def unexplained_listed(path: Path = UNEXPLAINED) -> dict[str, str]:
    """The committed list of refusals no rule can explain: `name  # why`, one a line."""
    listed = {}
    if path.is_file():
        for line in path.read_text("utf-8").splitlines():
            name, _, why = line.partition("#")
            if name.strip():
                listed[name.strip()] = why.strip()
    return listed


def verdict_problems(outcomes: list[Outcome], listed: dict[str, str]) -> list[str]:
    """Every pair that misses its status's bar (tests/corpus/test_lint_verdicts.py asserts there are none).

    accepted (200, 401, 403, 429): no lint error (request alone), and 200s compile back identical;
    400: an error explains it, or it is listed; 404 no-endpoint: a catalog error explains it, or it is listed.
    A listed pair that is explained after all is a problem too, so the list stays honest.
    """
    problems = []
    for o in outcomes:
        name, category = o.pair.name, o.pair.category
        if category == "accepted":
            if o.errors:
                problems.append(f"{name} [{o.pair.status}]: lint error on an accepted request: {o.errors[0]}")
            if o.pair.status == 200 and not o.compiled_back:
                problems.append(f"{name} [200]: does not compile back to the recorded body")
        elif category in ("refused", "no-endpoint"):
            explained = bool(explaining_errors(o))
            if not explained and name not in listed:
                problems.append(f"{name} [{o.pair.status}]: {category} but no error rule explains it and it is "
                                f"not listed in {UNEXPLAINED.relative_to(REPO)}")
            if explained and name in listed:
                problems.append(f"{name} [{o.pair.status}]: listed as unexplained, but {explaining_errors(o)[0]}")
    known = {o.pair.name for o in outcomes}
    problems += [f"{name}: listed as unexplained but not in the corpus" for name in listed if name not in known]
    return problems


def rule_hits(outcomes: list[Outcome]) -> dict[str, collections.Counter]:
    """For each code that fired (with the catalog): how many pairs of each category drew it."""
    hits: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for o in outcomes:
        for code in o.codes:
            hits[code][o.pair.category] += 1
    return hits


def calibration_table(outcomes: list[Outcome]) -> str:
    """docs/calibration.md: every rule's hits on the corpus, by what the live API did (Markdown)."""
    from specc.rules import all_rules
    from specc.selection import code_infos

    infos = {info.code: info for info in code_infos(all_rules())}
    totals = collections.Counter(o.pair.category for o in outcomes)
    hits = rule_hits(outcomes)
    figures = summary(outcomes)
    errors_on_accepted = [code for code in sorted(hits) if hits[code]["accepted"] and code in infos
                          and infos[code].severity.value == "error"]
    lines = [
        "# Calibration against real traffic",
        "",
        "Generated by `python scripts/corpus.py --calibration` from the shared corpus of recorded",
        "OpenRouter exchanges (every rule selected, opt-in ones too, with the catalog snapshot",
        f"`{CATALOG_SNAPSHOT.name}`); a test fails while this file is out of date.",
        "",
        f"Pairs: {figures['pairs']}: {totals['accepted']} accepted (200, 401, 403, 429), {totals['refused']} refused "
        f"(400), {totals['no-endpoint']} no-endpoint (404 'No endpoints found'), {totals['other']} other.",
        "",
        f"- Lint errors on requests the live API did not refuse (request alone): {figures['false_errors']} of "
        f"{figures['not_refused']}.",
        f"- 400s explained by an error: {sum(1 for o in outcomes if o.pair.category == 'refused' and explaining_errors(o))}"
        f" of {totals['refused']}; 404 no-endpoint explained with the catalog: "
        f"{sum(1 for o in outcomes if o.pair.category == 'no-endpoint' and explaining_errors(o))} of "
        f"{totals['no-endpoint']}.",
        "- Error rules with hits on accepted requests: " + (", ".join(
            f"{code} ({hits[code]['accepted']}{', needs the catalog' if infos[code].needs_catalog else ''})"
            for code in errors_on_accepted) or "none") + ".",
        "- Catalog rules are judged against a snapshot taken months after most recordings: their hits on",
        "  accepted requests are models retired or changed since (see each rule's page).",
        "",
        "| Code | Name | Severity | Accepted | Share of accepted | Refused 400 | No-endpoint 404 | Other |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for code in sorted(hits):
        info = infos.get(code)
        name = f"`{info.name}`" if info else ""
        severity = info.severity.value if info else ""
        if info and info.opt_in:
            severity += " (opt-in)"
        if info and info.needs_catalog:
            severity += " (catalog)"
        row = hits[code]
        share = f"{100 * row['accepted'] / totals['accepted']:.1f}%" if totals["accepted"] else "-"
        lines.append(f"| {code} | {name} | {severity} | {row['accepted']} | {share} | {row['refused']} | "
                     f"{row['no-endpoint']} | {row['other']} |")
    silent = sorted(code for code in infos if code not in hits and infos[code].rule is not None)
    lines += ["", f"Rules that fired on no pair: {', '.join(silent) or 'none'}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--failures", action="store_true", help="list every pair that misses its bar")
    parser.add_argument("--rules", action="store_true", help="hits per rule by recorded status")
    parser.add_argument("--calibration", action="store_true", help=f"rewrite {CALIBRATION.relative_to(REPO)}")
    args = parser.parse_args(argv)
    pairs = corpus_pairs()
    if not pairs:
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    outcomes = list(evaluate(pairs, every_rule=args.calibration))
    figures = summary(outcomes)
    print(f"false errors (lint error on a request the API did not refuse): "
          f"{figures['false_errors']} of {figures['not_refused']}")
    print(f"compile mismatches: {figures['compile_mismatches']} of {figures['pairs']}")
    print(f"specc test passes: {figures['test_passes']} of {figures['pairs']}")
    print(f"response contract passes (whatever the lint said): {figures['contract_passes']} of {figures['pairs']}; "
          f"answers the API reported as an error after HTTP 200: {figures['api_errors_reported']}")
    print(f"400s explained by an error: {figures['refused_explained']} of {figures['refused']}")
    print(f"404 no-endpoint explained (with catalog): {figures['no_endpoint_explained']} of {figures['no_endpoint']}")
    if args.failures:
        for o in outcomes:
            if o.pair.status != 400 and o.errors:
                print(f"FALSE ERROR {o.pair.name} [{o.pair.status}]: {o.errors[0]}")
            if o.contract_problems:
                print(f"CONTRACT {o.pair.name} [{o.pair.status}]: {o.contract_problems[0][:300]}")
            if o.test_status != "passed":
                print(f"TEST {o.test_status.upper()} {o.pair.name} [{o.pair.status}]: {'; '.join(o.failed_checks)[:300]}")
    if args.rules:
        hits: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for o in outcomes:
            for code in o.codes:
                hits[code][o.pair.status] += 1
        for code in sorted(hits):
            print(code, dict(sorted(hits[code].items())))
    if args.calibration:
        from specc.atomic import write_text_atomic

        CALIBRATION.parent.mkdir(exist_ok=True)
        write_text_atomic(CALIBRATION, calibration_table(outcomes))
        print(f"wrote {CALIBRATION.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
