"""The rule registry: every module `specc/rules/<code>_<name>.py` holds one rule.

Rules are found by module name rather than listed by hand, so adding a rule is
adding one file; `all_rules()` returns them sorted by code, and a test checks that
codes and names are unique and that each file is named for its rule.

Importing every rule module costs a one-file lint more than the check itself (81 modules,
53 ms of a 131 ms run, issue 21; measured again: 42 ms for all, 16 ms for the 22 a spec with
`model` and `messages` can draw), so a lint run reads `registry()` instead: what each rule
is (code, name, severity, request keys...) from `_manifest.py`, generated from the rule
classes by `scripts/gen_rule_docs.py` and held to them by a test. A `LazyRule` imports its
module only for the first spec that has one of its request keys. When the manifest does
not list the rule modules on disk (a rule added, the script not run), `registry()` reads
the classes themselves: slower, never wrong.
"""

from __future__ import annotations

import importlib
import os
import re
from functools import lru_cache
from typing import Any, Iterable

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext

__all__ = ["Finding", "LazyRule", "Rule", "RuleContext", "RuleEntry", "all_rules", "registry", "rule_by_code_or_name"]

_MODULE_NAME = re.compile(r"^[a-z]{2}\d{3}_[a-z0-9_]+$")


def rule_modules() -> list[str]:
    """The names of the rule modules in this package, sorted (one `listdir`: no import)."""
    names = (name[:-3] for name in os.listdir(__path__[0]) if name.endswith(".py"))
    return sorted(name for name in names if _MODULE_NAME.match(name))


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code. Cached: the set of modules never changes in a process."""
    found: list[type[Rule]] = []
    for name in rule_modules():
        module = importlib.import_module(f"{__name__}.{name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.__module__ == module.__name__:
                found.append(value)
    return tuple(sorted(found, key=lambda rule: rule.code))


class RuleEntry:
    """What the registry knows of a rule without importing its module: what selecting, grading and
    skipping it needs. Quacks like the rule class where a selection looks (`code`, `name`, `summary()`...)."""

    __slots__ = ("code", "name", "severity", "fixable", "needs_catalog", "opt_in", "request_keys",
                 "checks_partial_specs", "module", "class_name", "_summary")

    def __init__(self, code: str, name: str, severity: Severity, fixable: bool, needs_catalog: bool, opt_in: bool,
                 request_keys: tuple[str, ...], checks_partial_specs: bool, module: str, class_name: str,
                 summary: str) -> None:
        self.code, self.name, self.severity = code, name, severity
        self.fixable, self.needs_catalog, self.opt_in = fixable, needs_catalog, opt_in
        self.request_keys, self.checks_partial_specs = request_keys, checks_partial_specs
        self.module, self.class_name, self._summary = module, class_name, summary

    @classmethod
    def of(cls, rule: type[Rule]) -> RuleEntry:
        return cls(rule.code, rule.name, rule.severity, rule.fixable, rule.needs_catalog, rule.opt_in,
                   tuple(rule.request_keys), rule.checks_partial_specs, rule.__module__.rpartition(".")[2],
                   rule.__name__, rule.summary())

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> RuleEntry:
        code, name, severity, fixable, needs_catalog, opt_in, request_keys, partial, module, class_name, summary = row
        return cls(code, name, Severity(severity), fixable, needs_catalog, opt_in, request_keys, partial,
                   module, class_name, summary)

    def as_row(self) -> tuple:
        """The entry as a line of `_manifest.py`."""
        return (self.code, self.name, self.severity.value, self.fixable, self.needs_catalog, self.opt_in,
                self.request_keys, self.checks_partial_specs, self.module, self.class_name, self._summary)

    def summary(self) -> str:
        return self._summary

    def load(self) -> type[Rule]:
        """The rule class (importing its module)."""
        return getattr(importlib.import_module(f"{__name__}.{self.module}"), self.class_name)

    def doc(self) -> str:
        return self.load().doc()

    def __repr__(self) -> str:
        return f"RuleEntry({self.code}, {self.name})"


@lru_cache(maxsize=1)
def registry() -> tuple[RuleEntry, ...]:
    """Every rule, sorted by code, as entries: from the manifest when it lists exactly the rule
    modules on disk, else from the rule classes (importing them all)."""
    from . import _manifest

    if list(_manifest.MODULES) == rule_modules():
        return tuple(RuleEntry.from_row(row) for row in _manifest.RULES)
    return tuple(RuleEntry.of(rule) for rule in all_rules())


def manifest_source() -> str:
    """The text of `_manifest.py` for the rule classes as they are now (scripts/gen_rule_docs.py writes it)."""
    rows = "".join(f"    {entry.as_row()!r},\n" for entry in (RuleEntry.of(rule) for rule in all_rules()))
    modules = "".join(f"    {name!r},\n" for name in rule_modules())
    return ('"""What every rule is, without importing it (see `registry()` in __init__.py).\n\n'
            "Generated by scripts/gen_rule_docs.py from the rule classes: do not edit. A test fails\n"
            'when it no longer matches them."""\n\n'
            "# The rule modules this manifest was made from: another set on disk and it is not used.\n"
            f"MODULES = (\n{modules})\n\n"
            "# code, name, severity, fixable, needs_catalog, opt_in, request_keys, module, class, summary\n"
            f"RULES = (\n{rows})\n")


class LazyRule:
    """A selected rule that imports its module on the first spec it may fire on (see `registry()`).

    Has what the checker reads before calling a rule (`code`, `name`, `severity`, `needs_catalog`,
    `request_keys`), and `check` of the rule itself."""

    __slots__ = ("entry", "code", "name", "severity", "needs_catalog", "request_keys", "checks_partial_specs", "_rule")

    def __init__(self, entry: RuleEntry) -> None:
        self.entry = entry
        # Copied, not looked up through `entry`: the checker reads them for every rule of every spec.
        self.code, self.name, self.severity = entry.code, entry.name, entry.severity
        self.needs_catalog, self.request_keys = entry.needs_catalog, entry.request_keys
        self.checks_partial_specs = entry.checks_partial_specs
        self._rule: Rule | None = None

    def loaded(self) -> Rule:
        if self._rule is None:
            self._rule = self.entry.load()()
        return self._rule

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return self.loaded().check(ctx)

    def __repr__(self) -> str:
        return f"LazyRule({self.entry.code}, loaded={self._rule is not None})"


def rule_kind(rule: Any) -> Any:
    """What a selection knows a running rule by: the entry of a LazyRule, else the rule's class."""
    return rule.entry if isinstance(rule, LazyRule) else type(rule)


def rule_by_code_or_name(key: str) -> type[Rule] | None:
    """Look a rule up by its code (`OR101`, any case) or its name (`models-too-many`)."""
    for rule in all_rules():
        if rule.code.lower() == key.lower() or rule.name == key:
            return rule
    return None
