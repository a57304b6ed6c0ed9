"""The rule registry: every module `specc/rules/<code>_<name>.py` holds one rule.

Rules are found by module name rather than listed by hand, so adding a rule is
adding one file; `all_rules()` returns them sorted by code, and a test checks that
codes and names are unique and that each file is named for its rule.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache

from ._rule import Finding, Rule, RuleContext

__all__ = ["Finding", "Rule", "RuleContext", "all_rules", "rule_by_code_or_name"]

_MODULE_NAME = re.compile(r"^[a-z]{2}\d{3}_[a-z0-9_]+$")


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code. Cached: the set of modules never changes in a process."""
    found: list[type[Rule]] = []
    for info in pkgutil.iter_modules(__path__):
        if not _MODULE_NAME.match(info.name):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.__module__ == module.__name__:
                found.append(value)
    return tuple(sorted(found, key=lambda rule: rule.code))


def rule_by_code_or_name(key: str) -> type[Rule] | None:
    """Look a rule up by its code (`OR101`, any case) or its name (`models-too-many`)."""
    for rule in all_rules():
        if rule.code.lower() == key.lower() or rule.name == key:
            return rule
    return None
