"""OR1xx (routing, fallbacks, presets, suffixes) and OR2xx (reasoning) rules.

Case files live in tests/rules/cases/<CODE>/: every `fail_*.yaml` has a golden
`fail_*.expected` beside it (one `line:col CODE message` per diagnostic of that
code), every `pass_*.yaml` must draw no diagnostic of that code. Both kinds must
load and compile cleanly (no E-codes), so a typo in a fixture cannot make a case
pass vacuously.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc.diagnostics import Severity
from specc.rules import RuleContext, all_rules, rule_by_code_or_name

from ._harness import CASES, apply_edits, lint_case
from conftest import run_cli

FAMILY_RULES = [rule for rule in all_rules() if rule.code.startswith(("OR1", "OR2")) and not rule.needs_catalog]
FAMILY_CODES = {rule.code for rule in FAMILY_RULES}
EXPECTED_CODES = {f"OR1{n:02d}" for n in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16)} | {
    f"OR20{n}" for n in range(1, 7)}


def test_family_is_complete():
    assert FAMILY_CODES == EXPECTED_CODES
    for code in EXPECTED_CODES:
        assert list((CASES / code).glob("fail_*.yaml")), f"{code} has no fail case"
        assert list((CASES / code).glob("pass_*.yaml")), f"{code} has no pass case"


@pytest.mark.parametrize("path", sorted(CASES.glob("OR*/pass_*left_to_schema.yaml")),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_warning_rules_leave_invalid_values_to_the_schema_error(path, checker):
    """A warning at the spot of a schema error would replace it (check.drop_schema_duplicates): the error must stay."""
    result = lint_case(checker, path)
    assert [d.severity for d in result.diagnostics if d.code == "S101"] == [Severity.ERROR]


@pytest.mark.parametrize("code, case", [
    ("OR106", "fail_negative.yaml"),
    ("OR106", "fail_not_integer.yaml"),
])
def test_error_rule_replaces_the_schema_error_it_explains(code, case, checker):
    result = lint_case(checker, CASES / code / case)
    assert [d.code for d in result.diagnostics if d.code in (code, "S101")] == [code]


# ---------------------------------------------------------------------------- real traffic and example specs


# ---------------------------------------------------------------------------- fixes


@pytest.mark.parametrize("code, case, expected", [
    ("OR103", "fail_route_fallback.yaml", {"provider": {"sort": {"partition": "model"}}}),
    ("OR103", "fail_route_null.yaml", {}),
    ("OR203", "fail_true.yaml", {"reasoning": {}}),
    ("OR203", "fail_false_with_reasoning.yaml", {"reasoning": {"effort": "high", "exclude": True}}),
])
def test_fix_gives_the_documented_equivalent(code, case, expected, checker, schemas):
    result = lint_case(checker, CASES / code / case)
    fixes = [d.fix for d in result.diagnostics if d.code == code]
    assert fixes and all(fixes), "every finding of this case carries a fix"
    fixed = apply_edits(result.body, [edit for fix in fixes for edit in fix.edits])
    untouched = {key: value for key, value in result.body.items() if key not in ("route", "include_reasoning")}
    assert fixed == {**untouched, **expected}
    assert list(rule_by_code_or_name(code)().check(RuleContext(body=fixed))) == []
    assert list(schemas.errors(schemas.request_name, fixed)) == []


@pytest.mark.parametrize("code, case", [
    ("OR103", "fail_route_sort_with_sort.yaml"),  # an existing provider.sort: merging is not certain
    ("OR203", "fail_false_with_exclude.yaml"),  # reasoning.exclude already says something else
    ("OR203", "fail_true_with_reasoning.yaml"),  # `reasoning: {}` would not be the whole story
])
def test_no_fix_when_not_certain(code, case, checker):
    result = lint_case(checker, CASES / code / case)
    fixes = [d.fix for d in result.diagnostics if d.code == code]
    assert len(fixes) == 1 and (fixes[0] is None or not fixes[0].edits)  # no edits (maybe the reason there are none)


def test_lint_fix_applies_these_fixes(tmp_path):
    """Through the real `specc lint --fix`: the fixed files no longer draw the rules, nor any schema error."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    for code, case in (("OR103", "fail_route_fallback.yaml"), ("OR203", "fail_false_with_reasoning.yaml")):
        (tmp_path / f"{code}.yaml").write_text((CASES / code / case).read_text())
    run_cli("lint", "--fix", ".", cwd=tmp_path)
    after = run_cli("lint", "--format", "json", ".", cwd=tmp_path)
    assert json.loads(after.out)["diagnostics"] == []
    assert "route" not in (tmp_path / "OR103.yaml").read_text()
    assert "exclude: true" in (tmp_path / "OR203.yaml").read_text()


# ---------------------------------------------------------------------------- robustness

_scalars = st.one_of(st.none(), st.booleans(), st.integers(-20, 20), st.floats(allow_nan=False),
                     st.sampled_from(["openai/o3", "openai/gpt-5.6:nitro", "anthropic/claude-opus-4.6", "@preset/x",
                                      "a@preset/b", ":", "", "fallback", "none", "xhigh", "max", "price", "web",
                                      "auto-router", "openrouter:web_search", "json_schema", "DeepInfra"]))
_keys = st.sampled_from(["model", "models", "provider", "plugins", "tools", "reasoning", "reasoning_effort",
                         "include_reasoning", "verbosity", "route", "fallbacks", "preset", "top_k", "logit_bias",
                         "response_format", "sort", "by", "only", "order", "ignore", "id", "type", "effort",
                         "max_tokens", "enabled", "exclude", "mode", "context", "cost_quality_tradeoff", "cost_tier",
                         "require_parameters"])
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                         st.dictionaries(_keys, inner, max_size=5)), max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.dictionaries(_keys, _values, max_size=8))
def test_rules_never_raise_on_odd_bodies(body):
    """Bodies that break the schema every way (strings for lists, lists for objects): rules look before they index."""
    for rule in FAMILY_RULES:
        for finding in rule().check(RuleContext(body=body)):
            assert finding.message and isinstance(finding.pointer, tuple)
