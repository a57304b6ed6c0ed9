"""The rule manifest (specc/rules/_manifest.py) and the lazy rules a lint run builds from it.

A lint imports a rule's module only for a spec that has one of the rule's request keys,
knowing every rule from the manifest; these tests hold the manifest to the rule classes,
the lazy checker to the same diagnostics as one with every rule imported, and the
registry to the classes whenever the manifest does not list the rule modules on disk.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from specc import rules
from specc.check import Checker
from specc.config import Config
from specc.lint import build_checker
from specc.rules import LazyRule, RuleEntry, all_rules, manifest_source, registry

from ._harness import CASES, lint_case
from conftest import SPECS

REPO = Path(__file__).resolve().parents[2]
ALL_CASES = sorted(CASES.glob("*/*.yaml"))


def test_manifest_is_generated_from_the_rule_classes():
    manifest = REPO / "specc" / "rules" / "_manifest.py"
    assert manifest.read_text("utf-8") == manifest_source(), "run python scripts/gen_rule_docs.py"


def test_registry_describes_every_rule_as_its_class_does():
    from_classes = [RuleEntry.of(rule).as_row() for rule in all_rules()]
    assert [entry.as_row() for entry in registry()] == from_classes
    assert all(entry.load() is rule for entry, rule in zip(registry(), all_rules()))


def test_a_stale_manifest_is_not_used(monkeypatch):
    """A rule module the manifest does not list (added without regenerating it): the registry
    reads the classes themselves, so the new rule still runs."""
    from specc.rules import _manifest

    monkeypatch.setattr(_manifest, "MODULES", _manifest.MODULES[1:])
    monkeypatch.setattr(_manifest, "RULES", _manifest.RULES[1:])
    registry.cache_clear()
    try:
        assert [entry.code for entry in registry()] == [rule.code for rule in all_rules()]
    finally:
        registry.cache_clear()


@pytest.fixture(scope="module")
def lazy_checker(schemas) -> Checker:
    return Checker(schemas=schemas, rules=[LazyRule(entry) for entry in registry()])


def _said(result) -> list:
    return [(d.to_dict(), d.fix.as_dict() if d.fix else None) for d in result.diagnostics]


@pytest.mark.parametrize("path", ALL_CASES + sorted(SPECS.glob("*.yaml")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_lazy_rules_say_what_every_imported_rule_says(path, checker, lazy_checker, monkeypatch):
    monkeypatch.setenv("SPECC_TEST_UPSTREAM_TOKEN", "sk-proj-EXAMPLEfromTheEnvironmentOnly")  # as test_cases.py
    check = lint_case if path.is_relative_to(CASES) else (lambda c, p: c.check_path(p))
    assert _said(check(lazy_checker, path)) == _said(check(checker, path))


def test_build_checker_selects_lazily_as_the_classes_would():
    config = Config(select=("OR1", "OR3"), ignore=("OR101",))
    lazy = build_checker(config)
    assert all(isinstance(rule, LazyRule) for rule in lazy.rules)
    from specc.selection import selected_rules

    assert [rule.code for rule in lazy.rules] == [rule.code for rule in selected_rules(all_rules(), config)]


def test_one_spec_imports_only_the_rules_it_may_draw(tmp_path):
    """In a fresh process, linting a spec with `model` and `messages` imports the modules of the
    rules about those keys (and of the rules about every spec), and no other rule module."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    spec = tmp_path / "one.yaml"
    spec.write_text("request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: hi\n")
    script = ("import json, sys\nfrom specc.cli import main\nmain(['lint', '--no-cache', '-q', sys.argv[1]])\n"
              "print(json.dumps(sorted(m.rpartition('.')[2] for m in sys.modules if m.startswith('specc.rules.or'))))")
    run = subprocess.run([sys.executable, "-c", script, str(spec)], capture_output=True, text=True, cwd=tmp_path)
    imported = set(json.loads(run.stdout.splitlines()[-1]))
    may_fire = {entry.module for entry in registry() if not entry.needs_catalog and not entry.opt_in and
                (not entry.request_keys or {"model", "messages"} & set(entry.request_keys))}
    assert imported == may_fire
    assert len(imported) < len(registry()) / 2


def test_warm_puts_the_rules_themselves_in_place_of_the_lazy_ones(schemas):
    """Before forking workers the checker imports every selected rule once (`warm`); what it
    reports is unchanged."""
    from specc.rules import Rule

    lazy = build_checker(Config())
    warmed = build_checker(Config())
    warmed.warm()
    assert all(isinstance(rule, Rule) for rule in warmed.rules)
    assert [rule.code for rule in warmed.rules] == [rule.code for rule in lazy.rules]
    for path in ALL_CASES[::7]:
        assert _said(lint_case(warmed, path)) == _said(lint_case(lazy, path))
