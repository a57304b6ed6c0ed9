"""Every rule against its case files, the real corpus and the example specs.

Adding a rule's cases is adding files under tests/rules/cases/<CODE>/; nothing here
names a family. Family-specific behaviour is tested in the family's own test file.
"""

from __future__ import annotations

import json

import pytest

from specc.diagnostics import Severity
from specc.rules import all_rules

from ._harness import CASES, case_files, golden_lines, lint_case
from conftest import SPECS, shared_path

RULES = all_rules()
CASE_CODES = sorted(path.name for path in CASES.iterdir() if path.is_dir())
REQUEST_ONLY_CODES = {rule.code for rule in RULES if not rule.needs_catalog}
ENV_TOKEN = "sk-proj-EXAMPLEfromTheEnvironmentOnly"


@pytest.fixture(autouse=True)
def _upstream_token(monkeypatch):
    """OR801's pass_env_placeholder.yaml fills a key-shaped value from the environment: not hard-coded."""
    monkeypatch.setenv("SPECC_TEST_UPSTREAM_TOKEN", ENV_TOKEN)


def test_every_request_only_rule_has_fail_and_pass_cases():
    for code in sorted(REQUEST_ONLY_CODES):
        assert list((CASES / code).glob("fail_*.yaml")), f"{code} has no fail case"
        assert list((CASES / code).glob("pass_*.yaml")), f"{code} has no pass case"
    assert set(CASE_CODES) <= {rule.code for rule in RULES}, "a cases folder names no rule"


@pytest.mark.parametrize("path", case_files(CASE_CODES, "fail"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fail_case_matches_golden(path, checker):
    result = lint_case(checker, path)
    assert not [d for d in result.diagnostics if d.code.startswith(("E", "X"))], result.diagnostics
    expected = path.with_suffix(".expected").read_text().splitlines()
    assert expected, "a fail case needs at least one expected diagnostic"
    assert golden_lines(result, path.parent.name) == expected


@pytest.mark.parametrize("path", case_files(CASE_CODES, "pass"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_pass_case_is_silent(path, checker):
    result = lint_case(checker, path)
    assert not [d for d in result.diagnostics if d.code.startswith(("E", "X"))], result.diagnostics
    assert golden_lines(result, path.parent.name) == []


def test_every_golden_has_its_case():
    for golden in CASES.glob("*/*.expected"):
        assert golden.with_suffix(".yaml").exists(), f"{golden} has no fail case beside it"


def _judged_and_accepted(response: dict) -> bool:
    return response["status"] != 400 and not (response["status"] == 404 and "No endpoints found for " in response["body"])


def test_no_rule_errs_on_real_corpus_requests(checker, tmp_path):
    """Every real request the live API accepted, wrapped as a spec, may draw warnings but no rule error.

    Left out: the 400s (what error rules are for, see tests/corpus/test_lint_verdicts.py) and the
    404s "No endpoints found for <model>." (the model had no endpoint at all, so no provider ever
    judged the request's content).
    """
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
    requests = [path for path in sorted(shared_path("corpus", "requests").glob("*.json"))
                if _judged_and_accepted(json.loads((path.parent.parent / "responses" / path.name).read_text()))]
    assert len(requests) > 50
    spec = tmp_path / "spec.json"
    errors = []
    for request in requests:
        spec.write_text(json.dumps({"request": json.loads(request.read_text())}))
        result = checker.check_path(spec, display=request.name)
        errors += [f"{request.name}: {d.code} {d.message}" for d in result.diagnostics
                   if d.code in REQUEST_ONLY_CODES and d.severity is Severity.ERROR]
    assert errors == []


def test_rules_are_silent_on_the_example_specs(checker):
    specs = sorted(SPECS.rglob("*.yaml"))
    assert specs, "specs/ holds the example specs"
    fired = [f"{path.relative_to(SPECS)}: {d.code} {d.message}" for path in specs
             for d in checker.check_path(path).diagnostics if d.code in REQUEST_ONLY_CODES]
    assert fired == []
