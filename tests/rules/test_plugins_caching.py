"""OR5xx (plugins, server tools) and OR6xx (prompt caching) rules.

Case files live in tests/rules/cases/<CODE>/: every `fail_*.yaml` has a golden
`fail_*.expected` beside it (one `line:col CODE message` per diagnostic of that
code), every `pass_*.yaml` must draw no diagnostic of that code. Both kinds must
load and compile cleanly (no E-codes), so a typo in a fixture cannot make a case
pass vacuously.
"""

from __future__ import annotations

import json

import pytest

from specc.diagnostics import Severity
from specc.model import Spec
from specc.rules import RuleContext, all_rules, rule_by_code_or_name
from specc.rules._plugins import ordinal, path_text, web_searches
from specc.rules.or604_cache_control_bad_ttl import normalize_ttl

from ._harness import CASES, apply_edits, golden_lines, lint_case
from conftest import run_cli, shared_path

FAMILY = ("OR5", "OR6")
FAMILY_RULES = [rule for rule in all_rules() if rule.code.startswith(FAMILY)]
FAMILY_CODES = {rule.code for rule in FAMILY_RULES}


def _check(code: str, body: dict, headers: dict | None = None) -> list:
    spec = Spec(request=body, headers=headers) if headers is not None else None
    return list(rule_by_code_or_name(code)().check(RuleContext(body=body, spec=spec)))


def test_family_is_complete():
    expected = {f"OR5{n:02d}" for n in range(1, 13)} | {f"OR6{n:02d}" for n in range(1, 7)}
    assert FAMILY_CODES == expected
    for code in FAMILY_CODES:
        assert list((CASES / code).glob("fail_*.yaml")), f"{code} has no fail case"
        assert list((CASES / code).glob("pass_*.yaml")), f"{code} has no pass case"


def test_severities_follow_the_pitfall_list():
    """The corrected pitfall list: OR503 is a warning (the live API accepts both domain lists, HTTP 200)."""
    errors = {"OR504", "OR508", "OR509", "OR510", "OR511", "OR603", "OR604"}
    for rule in FAMILY_RULES:
        assert rule.severity is (Severity.ERROR if rule.code in errors else Severity.WARNING), rule.code


@pytest.mark.parametrize("code, case", [
    ("OR508", "fail_tool_empty_panel.yaml"),  # minItems
    ("OR508", "fail_tools_and_tool_calls.yaml"),  # maxItems, maximum, minimum
    ("OR510", "fail_self_and_untyped_function.yaml"),  # the entry without `type`
    ("OR604", "fail_shorthands_and_spellings.yaml"),  # enum, required, type
])
def test_rule_replaces_the_schema_error_it_explains(code, case, checker, schemas):
    result = lint_case(checker, CASES / code / case)
    assert list(schemas.errors(schemas.request_name, result.body)), "the schema rejects this body on its own"
    assert [d for d in result.diagnostics if d.code == "S101"] == []
    assert golden_lines(result, code)


# ---------------------------------------------------------------------------- real traffic and example specs


def test_corpus_web_search_request_is_silent(checker, tmp_path):
    """The recorded `openrouter:web_search` request (accepted live) draws nothing from these rules."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
    found = [p for p in shared_path("corpus", "requests").glob("*.json") if "openrouter:web_search" in p.read_text()]
    assert found
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"request": json.loads(found[0].read_text())}))
    assert [d for d in checker.check_path(spec).diagnostics if d.code in FAMILY_CODES] == []


# ---------------------------------------------------------------------------- fixes


@pytest.mark.parametrize("code, case", [
    ("OR502", "fail_pdf_text.yaml"),
    ("OR502", "fail_flow_style_second_plugin.yaml"),
    ("OR605", "fail_gpt_before_5_6.yaml"),
])
def test_fix_silences_the_rule_and_satisfies_the_schema(code, case, checker, schemas):
    result = lint_case(checker, CASES / code / case)
    fixes = [d.fix for d in result.diagnostics if d.code == code]
    assert fixes and all(fixes), "every finding of this case carries a fix"
    fixed = apply_edits(result.body, [edit for fix in fixes for edit in fix.edits])
    assert _check(code, fixed) == []
    assert list(schemas.errors(schemas.request_name, fixed)) == []


def test_or604_fixes_only_what_has_one_meaning(checker, schemas):
    result = lint_case(checker, CASES / "OR604" / "fail_shorthands_and_spellings.yaml")
    findings = [d for d in result.diagnostics if d.code == "OR604"]
    edits = {d.pointer[1:]: [(e.op, e.pointer, e.value) for e in d.fix.edits] if d.fix else None for d in findings}
    assert edits == {
        ("cache_control",): [("set", ("cache_control",), {"type": "ephemeral"})],
        ("tools", 0, "cache_control", "type"): [("set", ("tools", 0, "cache_control", "type"), "ephemeral")],
        ("tools", 1, "parameters", "cache_control", "ttl"): None,  # 2h: no lifetime it could mean
        ("messages", 0, "content", 0, "cache_control"):
            [("set", ("messages", 0, "content", 0, "cache_control", "type"), "ephemeral")],
        ("messages", 0, "content", 0, "cache_control", "ttl"):
            [("set", ("messages", 0, "content", 0, "cache_control", "ttl"), "5m")],
        ("messages", 0, "content", 1, "cache_control", "ttl"):
            [("delete", ("messages", 0, "content", 1, "cache_control", "ttl"), None)],
    }
    fixed = apply_edits(result.body, [edit for d in findings if d.fix for edit in d.fix.edits])
    assert [f.pointer for f in _check("OR604", fixed)] == [("tools", 1, "parameters", "cache_control", "ttl")]


@pytest.mark.parametrize("case", ["fail_non_openai_fallback.yaml", "fail_router_and_claude.yaml"])
def test_or605_offers_no_fix_when_a_requested_model_may_read_the_options(case, checker):
    result = lint_case(checker, CASES / "OR605" / case)
    assert [d.fix for d in result.diagnostics if d.code == "OR605"] == [None]


def test_lint_fix_applies_these_fixes(tmp_path):
    """Through the real `specc lint --fix`: the fixed files no longer draw the rules or a schema error."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "pdf.yaml").write_text((CASES / "OR502" / "fail_pdf_text.yaml").read_text())
    (tmp_path / "ttl.yaml").write_text(
        "request:\n"
        "  model: anthropic/claude-sonnet-4.5\n"
        "  messages:\n"
        "    - role: user\n"
        "      content:\n"
        "        - type: text  # the reference\n"
        "          text: '<reference>'\n"
        "          cache_control: {type: ephemeral, ttl: 60 minutes}\n")
    before = run_cli("lint", "--format", "json", ".", cwd=tmp_path)
    assert {d["code"] for d in json.loads(before.out)["diagnostics"]} == {"OR502", "OR604"}
    run_cli("lint", "--fix", ".", cwd=tmp_path)
    after = run_cli("lint", "--format", "json", ".", cwd=tmp_path)
    assert json.loads(after.out)["diagnostics"] == []
    assert "engine: cloudflare-ai" in (tmp_path / "pdf.yaml").read_text()
    fixed = (tmp_path / "ttl.yaml").read_text()
    assert "ttl: 1h" in fixed and "# the reference" in fixed


# ---------------------------------------------------------------------------- details of single rules


@pytest.mark.parametrize("ttl, expected", [
    ("300s", "5m"), ("5 min", "5m"), ("5minutes", "5m"), ("60m", "1h"), ("60 Minutes", "1h"),
    ("3600s", "1h"), ("1hr", "1h"), ("1 hour", "1h"),
    ("10m", None), ("2h", None), ("5", None), (300, None), ("", None), ("forever", None), (None, None),
])
def test_normalize_ttl(ttl, expected):
    assert normalize_ttl(ttl) == expected


def test_or512_reads_the_spec_headers():
    body = {"model": "anthropic/claude-sonnet-4.5",
            "tools": [{"type": "function", "function": {"name": "f", "strict": True}}]}
    assert len(_check("OR512", body)) == 1  # no spec at all: no header
    assert len(_check("OR512", body, {"HTTP-Referer": "https://example.com"})) == 1
    assert _check("OR512", body, {"x-anthropic-beta": "structured-outputs-2025-11-13"}) == []
    (finding,) = _check("OR512", body, {"anthropic-beta": "structured-outputs-2025-11-13"})
    assert "not `anthropic-beta`" in finding.message


def test_or503_exempts_only_an_explicit_exa_engine():
    lists = {"allowed_domains": ["a.com"], "excluded_domains": ["b.com"]}
    for engine, fires in ((None, True), ("auto", True), ("parallel", True), ("exa", False)):
        params = dict(lists, **({"engine": engine} if engine else {}))
        body = {"tools": [{"type": "openrouter:web_search", "parameters": params}]}
        assert bool(_check("OR503", body)) is fires, engine


def test_web_searches_merge_the_shorthand_places():
    body = {"tools": [{"type": "web_search", "engine": "exa", "allowed_domains": ["a.com"],
                       "parameters": {"engine": "native", "excluded_domains": ["b.com"]}}]}
    (search,) = web_searches(RuleContext(body=body))
    assert search.engine == "native"  # `parameters` wins
    assert search.pointer_of("engine") == ("tools", 0, "parameters", "engine")
    assert search.pointer_of("allowed_domains") == ("tools", 0, "allowed_domains")
    assert search.pointer_of("max_results") is None


def test_or601_and_or602_never_both_fire():
    for model in ("qwen/qwen3-max", "deepseek/deepseek-v3.2", "openai/gpt-5-mini", "anthropic/claude-opus-4.6"):
        for provider in ({}, {"only": ["alibaba"]}):
            body = {"model": model, "provider": provider, "cache_control": {"type": "ephemeral"}}
            assert not (_check("OR601", body) and _check("OR602", body)), (model, provider)


def test_helpers():
    assert path_text(("tools", 0, "parameters", "x_search")) == "tools[0].parameters.x_search"
    assert path_text(("x_search_filter",)) == "x_search_filter"
    assert [ordinal(n) for n in (1, 2, 3, 4, 5, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "5th", "11th", "12th", "13th", "21st", "22nd", "101st"]


# ---------------------------------------------------------------------------- robustness

ODD_BODIES = [
    {},
    {"plugins": "web", "tools": "openrouter:web_search", "cache_control": "x", "prompt_cache_options": 1},
    {"plugins": [None, 1, "web", [], {"id": 5}, {"id": "web", "enabled": "no", "engine": 3, "include_domains": "a",
                                                "exclude_domains": {"a": 1}, "x_search": []}]},
    {"model": "google/gemini-3-pro", "plugins": [{"id": "web", "engine": "native", "include_domains": [None]}]},
    {"plugins": [{"id": "file-parser", "pdf": None}, {"id": "fusion", "analysis_models": None, "tools": {},
                                                      "max_tool_calls": "many"}]},
    {"plugins": [{"id": "fusion", "max_tool_calls": True}, {"id": "fusion", "max_tool_calls": 2.5}]},
    {"tools": [None, 1, {"type": None}, {"type": "openrouter:subagent", "parameters": []},
               {"type": "openrouter:subagent",
                "parameters": {"tools": [None, "x", {"type": 1}], "inherit_functions": 1}},
               {"type": "openrouter:advisor", "parameters": {"name": 7}},
               {"type": "openrouter:advisor", "parameters": None},
               {"type": "openrouter:fusion", "parameters": {"analysis_models": [], "cache_control": []}},
               {"type": "web_search", "parameters": "x", "x_search": {"allowed_x_handles": "a"}},
               {"type": "function", "function": {"strict": True, "name": None}, "cache_control": 1}]},
    {"model": "anthropic/claude-sonnet-4.5", "x_search_filter": {"allowed_x_handles": list(range(30)),
                                                                  "excluded_x_handles": [None]}},
    {"model": ["anthropic/claude"], "models": "x", "cache_control": {"ttl": ["5m"], "type": {}},
     "messages": [None, {"content": "text"}, {"role": "system", "content": [None, {"cache_control": None}]}]},
    {"model": "qwen/qwen3-max", "models": [None, 3, "google/gemini-2.5-pro", "openai/gpt-5.6"],
     "provider": {"only": "alibaba", "order": [None]}, "cache_control": {"type": "ephemeral"},
     "prompt_cache_options": {"mode": "explicit"},
     "messages": [{"role": "system", "content": [{"type": "text", "cache_control": {"type": "ephemeral"}}] * 6}]},
    {"model": "@preset/team", "cache_control": {}, "prompt_cache_options": {}},
]


@pytest.mark.parametrize("rule", FAMILY_RULES, ids=lambda r: r.code)
@pytest.mark.parametrize("body", ODD_BODIES, ids=range(len(ODD_BODIES)))
def test_rules_never_raise_on_odd_bodies(rule, body):
    findings = list(rule().check(RuleContext(body=body)))
    for finding in findings:
        assert isinstance(finding.pointer, tuple) and finding.pointer and finding.message
