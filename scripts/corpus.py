"""Measure specc against the real recorded exchanges in ../shared/corpus (issue 14's figures).

    python scripts/corpus.py                 # the summary: false errors, contract passes, 400s and 404s explained
    python scripts/corpus.py --failures      # also every exchange that does not meet its status's bar
    python scripts/corpus.py --rules         # hits per rule by recorded status

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
    from specc.replay import save_interactions

    spec: dict[str, Any] = {"request": pair.request}
    if pair.status != 200:
        spec["expect"] = {"status": pair.status}
    path = project / "specs" / f"{pair.name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(spec, indent=1, ensure_ascii=False), "utf-8")
    save_interactions(project / "cassettes" / "specs" / f"{pair.name}.yaml", [interaction_of(pair)], "all")
    return path


def checkers(project: Path) -> tuple[Any, Any]:
    """A checker with every rule selected, and the same with the shared catalog snapshot."""
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
    with_catalog.catalog = catalog
    return plain, with_catalog


def evaluate(pairs: list[Pair]) -> Iterator[Outcome]:
    """Lint and contract-check every pair in a scratch project."""
    from specc.contract import check_spec

    with tempfile.TemporaryDirectory(prefix="specc-corpus-") as scratch:
        project = Path(scratch)
        (project / "pyproject.toml").write_text("[project]\nname = 'corpus'\n", "utf-8")
        plain, with_catalog = checkers(project)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--failures", action="store_true", help="list every pair that misses its bar")
    parser.add_argument("--rules", action="store_true", help="hits per rule by recorded status")
    args = parser.parse_args(argv)
    pairs = corpus_pairs()
    if not pairs:
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    outcomes = list(evaluate(pairs))
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
