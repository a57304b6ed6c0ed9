"""Every rule's documentation is executable: its Example fires, its Fix stays silent.

The examples live in the rule's docstring (see specc/rules/_rule.py), so docs that
drift from the code fail here.
"""

from __future__ import annotations

import re

import pytest

from specc.rules import all_rules
from specc.rules._rule import Rule

RULES = all_rules()


def _codes(checker, spec_path, rule: type[Rule]):
    result = checker.check_path(spec_path)
    return [d for d in result.diagnostics if d.code == rule.code], result


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_metadata(rule):
    assert re.fullmatch(r"(OR[1-8]\d\d|SP\d\d\d)", rule.code), rule.code
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
    module = rule.__module__.rsplit(".", 1)[-1]
    assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}", "file must be named <code>_<name>.py"
    assert rule.summary(), "docstring needs a one-line summary"
    for section in ("Why", "Example", "Fix", "Source"):
        assert rule.section(section), f"docstring lacks a '## {section}' section"


def test_codes_and_names_are_unique():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", [r for r in RULES if not r.needs_catalog], ids=lambda r: r.code)
def test_example_fires_and_fix_is_silent(rule, checker, write_spec):
    bad = write_spec(rule.example("Example"), "bad.yaml")
    fired, _ = _codes(checker, bad, rule)
    assert fired, f"{rule.code} did not fire on its own Example"
    good = write_spec(rule.example("Fix"), "good.yaml")
    fired, result = _codes(checker, good, rule)
    assert not fired, f"{rule.code} fired on its own Fix: {fired}"
    assert not [d for d in result.diagnostics if d.code.startswith("E")], result.diagnostics
