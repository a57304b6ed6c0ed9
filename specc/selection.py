"""Which rules run, and at what severity: `select`, `ignore` and `severity` from the config."""

from __future__ import annotations

from typing import Iterable, Sequence

from .config import Config, ConfigError
from .rules import Rule


def matches(rule: type[Rule], key: str) -> bool:
    """A selector names a rule by code (`OR301`), code prefix (`OR3`, `OR`), name, or `ALL`."""
    key = key.strip()
    return key == "ALL" or rule.name == key or rule.code.upper().startswith(key.upper())


def _check_known(keys: Iterable[str], rules: Sequence[type[Rule]], where: str, extra: Iterable[str] = ()) -> None:
    known_extra = set(extra)
    for key in keys:
        if key in known_extra or any(matches(rule, key) for rule in rules):
            continue
        raise ConfigError(f"{where}: unknown rule {key!r}")


def selected_rules(rules: Sequence[type[Rule]], config: Config) -> list[type[Rule]]:
    """The rules `config` turns on, in code order; an unknown selector is a ConfigError."""
    where = config.source or "configuration"
    _check_known(config.select, rules, where)
    _check_known(config.ignore, rules, where)
    chosen = [r for r in rules if not config.select or any(matches(r, key) for key in config.select)]
    return [r for r in chosen if not any(matches(r, key) for key in config.ignore)]
