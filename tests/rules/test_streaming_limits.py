"""OR3xx (streaming, debug and usage switches) and OR4xx (limits and value ranges) rules.

Case files live in tests/rules/cases/<CODE>/: every `fail_*.yaml` has a golden
`fail_*.expected` beside it (one `line:col CODE message` per diagnostic of that
code), every `pass_*.yaml` must draw no diagnostic of that code. Both kinds must
load and compile cleanly (no E-codes), so a typo in a fixture cannot make a case
pass vacuously.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace

import pytest

from specc.diagnostics import Severity
from specc.model import Spec
from specc.rules import RuleContext, all_rules, rule_by_code_or_name
from specc.rules._limits import is_whole, name_problem, shown, suggest_name
from specc.rules.or410_sampling_param_out_of_range import LOGIT_BIAS, RANGES

from ._harness import CASES, apply_edits, golden_lines, lint_case
from conftest import run_cli, shared_path

FAMILY = ("OR3", "OR4")
CATALOG_RULES = {"OR403"}  # max-tokens-exceeds-context needs the model catalog and lives elsewhere
FAMILY_RULES = [rule for rule in all_rules() if rule.code.startswith(FAMILY) and rule.code not in CATALOG_RULES]
FAMILY_CODES = {rule.code for rule in FAMILY_RULES}


def _check(code: str, body: dict, headers: dict | None = None) -> list:
    spec = Spec(request=body, headers=headers) if headers is not None else None
    return list(rule_by_code_or_name(code)().check(RuleContext(body=body, spec=spec)))


def test_family_is_complete():
    expected = {f"OR30{n}" for n in range(1, 7)} | {f"OR4{n:02d}" for n in range(1, 14) if n != 3}
    assert FAMILY_CODES == expected
    for code in FAMILY_CODES:
        assert list((CASES / code).glob("fail_*.yaml")), f"{code} has no fail case"
        assert list((CASES / code).glob("pass_*.yaml")), f"{code} has no pass case"


def test_severities_and_fixability_follow_the_pitfall_list():
    """Deprecation advice most real requests draw (OR302, OR412) is opt-in `info`; the rest as the pitfall list says."""
    warnings = {"OR301", "OR303", "OR304", "OR305", "OR401", "OR411"}
    advice = {"OR302", "OR412"}
    for rule in FAMILY_RULES:
        expected = Severity.INFO if rule.code in advice else Severity.WARNING if rule.code in warnings else Severity.ERROR
        assert rule.severity is expected, rule.code
        assert rule.opt_in is (rule.code in advice), rule.code
        assert rule.fixable is (rule.code in {"OR302", "OR303", "OR412"}), rule.code


@pytest.mark.parametrize("code, case", [
    ("OR402", "fail_not_a_number.yaml"),  # type
    ("OR402", "fail_boolean.yaml"),  # type
    ("OR404", "fail_body_and_header.yaml"),  # maxLength
    ("OR405", "fail_block_list.yaml"),  # anyOf / maxItems
    ("OR407", "fail_space_length_empty.yaml"),  # maxLength inside the tool union
    ("OR408", "fail_too_long.yaml"),  # maxLength inside the response_format union
])
def test_rule_replaces_the_schema_error_it_explains(code, case, checker, schemas):
    result = lint_case(checker, CASES / code / case)
    assert list(schemas.errors(schemas.request_name, result.body)), "the schema rejects this body on its own"
    assert [d for d in result.diagnostics if d.code == "S101"] == []
    assert golden_lines(result, code)


# ---------------------------------------------------------------------------- real traffic and example specs


def test_corpus_include_usage_draws_the_deprecation_advice(checker, tmp_path):
    """Real clients still send `stream_options.include_usage`: OR302 (when run) notes it, and nothing of ours errors."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
    found = [p for p in sorted(shared_path("corpus", "requests").glob("*.json")) if "include_usage" in p.read_text()]
    assert found
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"request": json.loads(found[0].read_text())}))
    ours = [d for d in checker.check_path(spec).diagnostics if d.code in FAMILY_CODES]
    assert [(d.code, d.severity) for d in ours] == [("OR302", Severity.INFO)]


# ---------------------------------------------------------------------------- fixes


@pytest.mark.parametrize("code, case", [
    ("OR302", "fail_include_usage_false.yaml"),
    ("OR303", "fail_include_false.yaml"),
    ("OR412", "fail_null_max_tokens.yaml"),
])
def test_fix_silences_the_rule_and_satisfies_the_schema(code, case, checker, schemas):
    result = lint_case(checker, CASES / code / case)
    fixes = [d.fix for d in result.diagnostics if d.code == code]
    assert fixes and all(fixes), "every finding of this case carries a fix"
    fixed = apply_edits(result.body, [edit for fix in fixes for edit in fix.edits])
    assert _check(code, fixed) == []
    assert list(schemas.errors(schemas.request_name, fixed)) == []


def test_deprecated_switch_fixes_keep_sibling_settings():
    (finding,) = _check("OR302", {"stream_options": {"include_usage": True, "other": 1}})
    assert [(e.op, e.pointer) for e in finding.fix.edits] == [("delete", ("stream_options", "include_usage"))]
    (finding,) = _check("OR302", {"stream_options": {"include_usage": True}})
    assert [(e.op, e.pointer) for e in finding.fix.edits] == [("delete", ("stream_options",))]
    (finding,) = _check("OR303", {"usage": {"include": True, "other": 1}})
    assert [(e.op, e.pointer) for e in finding.fix.edits] == [("delete", ("usage", "include"))]


def test_or412_renames_only_when_the_new_name_is_free():
    (finding,) = _check("OR412", {"max_tokens": 300})
    assert [(e.op, e.pointer, e.value) for e in finding.fix.edits] == [
        ("rename", ("max_tokens",), "max_completion_tokens")]
    for existing in (300, None):
        (finding,) = _check("OR412", {"max_tokens": 300, "max_completion_tokens": existing})
        assert finding.fix is None
        assert "remove `max_tokens`" in finding.message


def test_or401_minimum_applies_to_either_name():
    (finding,) = _check("OR401", {"max_tokens": 15})
    assert "below the minimum of 16" in finding.message and finding.fix is None
    assert _check("OR401", {"max_tokens": 16}) == []
    assert _check("OR401", {"max_tokens": 0}) == []  # OR402's business
    assert len(_check("OR401", {"max_tokens": 8, "max_completion_tokens": 8})) == 2
    assert len(_check("OR401", {"max_completion_tokens": 15})) == 1
    assert _check("OR401", {"max_completion_tokens": 16}) == []
    assert _check("OR401", {"max_completion_tokens": 0}) == []


def test_lint_fix_applies_these_fixes(tmp_path):
    """Through the real `specc lint --fix`: the fixed file keeps its comments and no longer draws the rules."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    spec = tmp_path / "chat.yaml"
    spec.write_text(
        "request:\n"
        "  model: openai/gpt-5-mini\n"
        "  max_tokens: 300  # enough for a summary\n"
        "  stream: true\n"
        "  stream_options: {include_usage: true}\n"
        "  usage:\n"
        "    include: true\n"
        "  messages:\n"
        "    - role: user\n"
        "      content: Summarise.\n")
    default = run_cli("lint", "--format", "json", ".", cwd=tmp_path)
    assert {d["code"] for d in json.loads(default.out)["diagnostics"]} == {"OR303"}  # OR302, OR412: opt-in
    select = ("--select", "ALL,OR302,OR412")
    before = run_cli("lint", *select, "--format", "json", ".", cwd=tmp_path)
    assert {d["code"] for d in json.loads(before.out)["diagnostics"]} == {"OR302", "OR303", "OR412"}
    run_cli("lint", *select, "--fix", ".", cwd=tmp_path)
    after = run_cli("lint", *select, "--format", "json", ".", cwd=tmp_path)
    assert json.loads(after.out)["diagnostics"] == []
    fixed = spec.read_text()
    assert "max_completion_tokens: 300  # enough for a summary" in fixed
    assert "stream_options" not in fixed and "usage" not in fixed


# ---------------------------------------------------------------------------- details of single rules


def test_or404_reads_the_spec_headers_case_insensitively():
    body = {"model": "openai/gpt-5-mini"}
    assert _check("OR404", body) == []  # no spec at all: no header
    assert _check("OR404", body, {"x-session-id": "s" * 256}) == []
    (finding,) = _check("OR404", body, {"X-SESSION-ID": "s" * 257})
    assert finding.in_spec and finding.pointer == ("headers", "X-SESSION-ID")
    assert "257 characters" in finding.message
    (finding,) = _check("OR404", {"session_id": "s" * 257})
    assert not finding.in_spec and finding.pointer == ("session_id",)


def test_or404_header_from_a_base_spec_points_into_the_base(checker):
    """The golden's 3:17 is in the base file that `extends` pulled the header from, not in the case."""
    result = lint_case(checker, CASES / "OR404" / "fail_header_from_base.yaml")
    (finding,) = [d for d in result.diagnostics if d.code == "OR404"]
    assert Path(finding.span.path).name == "base_long_session_header.yaml"
    assert finding.pointer == ("headers", "x-session-id")


def test_or405_counts_only_lists():
    assert _check("OR405", {"stop": "x" * 100}) == []
    assert _check("OR405", {"stop": ["a"] * 4}) == []
    assert len(_check("OR405", {"stop": ["a"] * 5})) == 1


def test_or409_range_and_switch_are_separate_findings():
    assert _check("OR409", {"logprobs": True, "top_logprobs": 5}) == []
    messages = [f.message for f in _check("OR409", {"top_logprobs": 21})]
    assert len(messages) == 2 and "logprobs: true" in messages[0] and "0 to 20" in messages[1]
    assert len(_check("OR409", {"logprobs": True, "top_logprobs": 2.5})) == 1
    assert _check("OR409", {"logprobs": True, "top_logprobs": 3.0}) == []


@pytest.mark.parametrize("field, inside, outside", [
    ("temperature", [0, 1, 2, 0.7], [-0.01, 2.01]),
    ("top_p", [1, 0.001], [0, -1, 1.5]),
    ("top_k", [1, 40, 10**6], [0, -1]),
    ("frequency_penalty", [-2, 0, 2], [-2.5, 3]),
    ("presence_penalty", [-2, 2], [-3, 2.1]),
    ("repetition_penalty", [2, 0.5, 1], [0, -1, 2.5]),
    ("min_p", [0, 1], [-0.1, 1.1]),
    ("top_a", [0, 1], [-0.1, 1.1]),
])
def test_or410_ranges(field, inside, outside):
    for value in inside:
        assert _check("OR410", {field: value}) == [], (field, value)
    for value in outside + [math.nan]:
        (finding,) = _check("OR410", {field: value})
        assert finding.pointer == (field,)
        assert f"`{field}` is {value!r}, outside its range {RANGES[field]}" in finding.message
    assert _check("OR410", {field: None}) == []  # null: leave it to the provider
    assert _check("OR410", {field: True}) == []  # a bool is a schema error, not a range error


def test_or410_range_texts():
    assert [str(RANGES[f]) for f in ("temperature", "top_p", "top_k", "repetition_penalty")] == [
        "[0, 2]", "(0, 1]", ">= 1", "(0, 2]"]
    assert str(LOGIT_BIAS) == "[-100, 100]"


def test_or411_only_without_tools():
    assert _check("OR411", {"parallel_tool_calls": True, "tools": [{"type": "function"}]}) == []
    assert _check("OR411", {"parallel_tool_calls": True, "tools": "lookup"}) == []  # the schema's business
    assert len(_check("OR411", {"parallel_tool_calls": False})) == 1


@pytest.mark.parametrize("name, problem, suggestion", [
    ("get_weather-2", None, "get_weather-2"),
    ("a" * 64, None, "a" * 64),
    ("a" * 65, "is 65 characters long", "a" * 64),
    ("weather.lookup", "contains '.'", "weather_lookup"),
    ("get weather/now", "contains ' ', '/'", "get_weather_now"),
    ("café", "contains 'é'", "caf"),
    ("", "is empty", "unnamed"),
    ("!!!", "contains '!'", "unnamed"),
    ("x y" + "z" * 70, "contains ' ' and is 73 characters long", "x_y" + "z" * 61),
])
def test_name_problem_and_suggestion(name, problem, suggestion):
    assert name_problem(name) == problem
    assert suggest_name(name) == suggestion
    assert name_problem(suggest_name(name)) is None


def test_helpers():
    assert [is_whole(v) for v in (1, 1.0, -3, 1.5, True, "1", None, math.inf, math.nan)] == [
        True, True, True, False, False, False, False, False, False]
    assert [shown(v) for v in (True, None, "100", 1.5)] == ["true", "null", '"100"', "1.5"]


# ---------------------------------------------------------------------------- robustness

ODD_BODIES = [
    {},
    {"debug": "on", "stream_options": "usage", "usage": True, "plugins": "response-healing", "modalities": "audio",
     "metadata": ["a"], "tools": {"name": "x"}, "response_format": "json", "stop": 5, "logit_bias": [1],
     "session_id": 7, "parallel_tool_calls": "yes", "top_logprobs": "5", "max_tokens": "many"},
    {"debug": {"echo_upstream_body": True}, "stream": "true", "plugins": [None, 1, {"id": None},
                                                                         {"id": "response-healing", "enabled": 1}],
     "response_format": {"type": ["json_object"]}, "modalities": [None, "audio", {}]},
    {"max_tokens": math.inf, "max_completion_tokens": math.nan, "temperature": math.inf, "top_k": -math.inf,
     "top_logprobs": math.nan, "logit_bias": {"1": math.nan, "2": "ban", "3": None, 4: -101}},
    {"metadata": {1: "x" * 600, None: None, "k" * 100: ["v"]}, "stop": [None] * 9},
    {"tools": [None, 1, "x", {"function": None}, {"type": "function", "function": {"name": None}},
               {"type": "function", "function": {"name": 12}}, {"type": "function", "function": []},
               {"function": {"name": "no type"}}],
     "response_format": {"type": "json_schema", "json_schema": {"name": ["x"]}}},
    {"response_format": {"type": "json_schema", "json_schema": None}, "session_id": "x" * 10_000},
    {"max_tokens": 10**30, "max_completion_tokens": -(10**30), "top_logprobs": 10**30},
]


@pytest.mark.parametrize("rule", FAMILY_RULES, ids=lambda r: r.code)
@pytest.mark.parametrize("body", ODD_BODIES, ids=range(len(ODD_BODIES)))
def test_rules_never_raise_on_odd_bodies(rule, body):
    findings = list(rule().check(RuleContext(body=body)))
    for finding in findings:
        assert isinstance(finding.pointer, tuple) and finding.pointer and finding.message


def test_or404_never_raises_on_odd_headers():
    """A spec whose headers failed validation (E008) may still reach the rules: duck-typed here."""
    rule = rule_by_code_or_name("OR404")()
    for headers in ({}, {"x-session-id": None}, {"x-session-id": 5}, {5: "x" * 300}, "x-session-id", ["a"]):
        assert list(rule.check(RuleContext(body={}, spec=SimpleNamespace(headers=headers)))) == []
