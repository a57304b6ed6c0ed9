"""Selectors (code, prefix, name, ALL), config validation, severity overrides, per-file globs."""

from __future__ import annotations

import pytest

from specc.config import Config, ConfigError
from specc.diagnostics import Severity
from specc.selection import Policy, code_infos, matches, path_matches, selected_rules
from tests._fakes import FAKE_RULES, FakeMaxTokens, FakeUsageInclude


def policy(**settings) -> Policy:
    return Policy.build(Config(**settings, source="pyproject.toml"), FAKE_RULES)


@pytest.mark.parametrize("key, hit", [
    ("OR990", True), ("or990", True), ("OR99", True), ("OR", True), ("ALL", True),
    ("fake-max-tokens", True), ("OR991", False), ("fake-max", False), ("S", False),
])
def test_selector_forms(key, hit):
    assert matches(FakeMaxTokens, key) is hit


def test_core_codes_are_listed_with_the_rules():
    listed = {info.code: info for info in code_infos(FAKE_RULES)}
    assert {"E001", "E004", "S101", "S102", "W001", "X001", "OR990"} <= set(listed)
    assert listed["W001"].name == "unused-suppression" and listed["W001"].severity is Severity.WARNING
    assert listed["E004"].locked and not listed["S101"].locked and not listed["OR990"].locked


def test_select_and_ignore_pick_rules():
    assert selected_rules(FAKE_RULES, Config()) == list(FAKE_RULES)
    assert selected_rules(FAKE_RULES, Config(select=("OR991",))) == [FakeUsageInclude]
    assert selected_rules(FAKE_RULES, Config(select=("OR99",), ignore=("fake-max-tokens", "OR992"))) == [FakeUsageInclude]
    assert selected_rules(FAKE_RULES, Config(select=("E", "S"))) == []


def test_core_codes_follow_the_selectors_but_e_codes_are_always_on():
    only_rules = policy(select=("OR",))
    assert not only_rules.enabled("S101") and not only_rules.enabled("W001")
    assert only_rules.enabled("E004") and only_rules.enabled("X001")
    schema_only = policy(select=("E", "S"))
    assert schema_only.enabled("S102") and not schema_only.enabled("OR990")


@pytest.mark.parametrize("settings, message", [
    ({"select": ("OR9Z",)}, "unknown rule 'OR9Z' in select"),
    ({"ignore": ("fake-max-token",)}, "did you mean 'fake-max-tokens'"),
    ({"severity": {"nope": "error"}}, "'nope' in severity"),
    ({"per_file_ignores": {"a/*": ("Q1",)}}, "'Q1' in per-file-ignores['a/*']"),
    ({"ignore": ("E",)}, "cannot be ignored"),
    ({"severity": {"E004": "warning"}}, "cannot be ignored or re-graded"),
])
def test_validation_names_the_bad_selector(settings, message):
    with pytest.raises(ConfigError) as caught:
        policy(**settings)
    assert message in str(caught.value) and str(caught.value).startswith("pyproject.toml")


def test_selecting_e_codes_is_allowed():
    policy(select=("E", "S"))  # no error: selecting the always-on codes is harmless


def test_the_most_specific_severity_override_wins():
    p = policy(severity={"ALL": "info", "OR99": "warning", "fake-usage-include": "error", "S102": "error"})
    assert p.severity("OR991", "fake-usage-include", Severity.WARNING) is Severity.ERROR
    assert p.severity("OR990", "fake-max-tokens", Severity.ERROR) is Severity.WARNING
    assert p.severity("S101", "schema-violation", Severity.ERROR) is Severity.INFO
    assert p.severity("S102", "unknown-request-field", Severity.WARNING) is Severity.ERROR
    assert p.severity("E004", "unresolved-placeholder", Severity.ERROR) is Severity.ERROR  # ALL never reaches E


@pytest.mark.parametrize("path, glob, hit", [
    ("specs/legacy/a.yaml", "specs/legacy/*.yaml", True),
    ("specs/legacy/a.yaml", "specs/legacy/", True),
    ("specs/legacy/a.yaml", "./specs/legacy/*", True),
    ("specs/legacy/a.yaml", "a.yaml", True),          # no slash: the file name
    ("specs/legacy/a.yaml", "*.yml", False),
    ("specs/new/a.yaml", "specs/legacy/*", False),
])
def test_path_globs(path, glob, hit):
    assert path_matches(path, glob, None) is hit


def test_path_globs_are_relative_to_the_project_root(tmp_path, monkeypatch):
    (tmp_path / "specs").mkdir()
    target = tmp_path / "specs" / "a.yaml"
    target.write_text("")
    monkeypatch.chdir(tmp_path / "specs")
    assert path_matches("a.yaml", "specs/*.yaml", str(tmp_path.resolve()))
    assert not path_matches("a.yaml", "other/*.yaml", str(tmp_path.resolve()))


class FakeOptInAdvice(FakeMaxTokens):
    """Advice most requests would draw (a stand-in opt-in rule).

    ## Why
    Tests need an opt-in rule.

    ## Example
    ```yaml
    request: {model: openai/gpt-4o, max_tokens: 5, messages: [{role: user, content: hi}]}
    ```

    ## Fix
    ```yaml
    request: {model: openai/gpt-4o, messages: [{role: user, content: hi}]}
    ```

    ## Source
    tests/test_selection.py
    """

    code = "OR995"
    name = "fake-opt-in-advice"
    severity = Severity.INFO
    opt_in = True


def test_opt_in_rules_run_only_when_named():
    rules = [*FAKE_RULES, FakeOptInAdvice]
    for unnamed in ((), ("ALL",), ("OR",), ("OR99",)):
        assert FakeOptInAdvice not in selected_rules(rules, Config(select=unnamed)), unnamed
    for named in (("OR995",), ("or995",), ("fake-opt-in-advice",), ("ALL", "OR995")):
        assert FakeOptInAdvice in selected_rules(rules, Config(select=named)), named
    assert FakeMaxTokens in selected_rules(rules, Config(select=("ALL", "OR995")))
    assert FakeOptInAdvice not in selected_rules(rules, Config(select=("OR995",), ignore=("OR995",)))


def test_a_checker_given_an_opt_in_rule_reports_it(schemas, write_spec):
    """A checker built with the rule explicitly (tests, the library) runs it; the default selection does not."""
    from specc.check import Checker

    spec = write_spec("request: {model: openai/gpt-4o, max_tokens: 5, messages: [{role: user, content: hi}]}\n")
    given = Checker(schemas=schemas, rules=[FakeOptInAdvice()])
    assert [d.code for d in given.check_path(spec).diagnostics] == ["OR995"]
    default = Checker(schemas=schemas, rules=[rule() for rule in selected_rules([FakeOptInAdvice], Config())])
    assert default.check_path(spec).diagnostics == []
