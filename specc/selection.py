"""Which codes run and at what severity: `select`, `ignore`, `severity` and `per-file-ignores`.

A selector names codes by exact code (`OR301`), code prefix (`OR3`, `S`), rule
name (`debug-echo-without-stream`) or `ALL`. Selectors cover the rules and the
core codes alike, so `--select E,S` runs the schema checks only.

E-codes (the spec cannot be loaded or compiled) and X-codes (specc itself failed)
are always reported: they cannot be ignored, re-graded or suppressed, because
hiding them would let a spec that cannot be sent pass the lint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .config import Config, ConfigError, matches_glob
from .diagnostics import CORE_CODES, Severity
from .rules import Rule, RuleEntry
from .suggest import did_you_mean

UNUSED_SUPPRESSION = "W001"
INTERNAL_ERROR = "X001"

# Core codes beyond the loader's and the schema's: produced by suppress.py and check.py.
EXTRA_CORE_CODES: dict[str, tuple[str, str]] = {
    UNUSED_SUPPRESSION: ("unused-suppression",
                         "A `# specc: ignore[...]` comment that suppresses nothing, or names an unknown rule."),
    INTERNAL_ERROR: ("internal-error", "A rule crashed; the rest of the file was still checked. Please report it."),
}
_CORE_SEVERITY = {"I001": Severity.INFO, "S102": Severity.WARNING, "S103": Severity.WARNING, UNUSED_SUPPRESSION: Severity.WARNING, INTERNAL_ERROR: Severity.WARNING}


@dataclass(frozen=True)
class CodeInfo:
    """What every listing needs to know about a code, be it a rule's or a core one."""

    code: str
    name: str
    severity: Severity
    summary: str
    fixable: bool = False
    needs_catalog: bool = False
    rule: type[Rule] | RuleEntry | None = None  # an entry: a registered rule, not imported (rules.registry)
    opt_in: bool = False

    @property
    def core(self) -> bool:
        return self.rule is None

    @property
    def locked(self) -> bool:
        """True for codes that cannot be ignored, re-graded or suppressed."""
        return is_locked(self.code)

    def doc(self) -> str:
        """Markdown documentation: the rule's docstring, or the core code's page (coredocs.py)."""
        if self.rule:
            return self.rule.doc()
        from .coredocs import core_page

        return core_page(self.code, self.summary)


def is_locked(code: str) -> bool:
    return code.startswith(("E", "X"))


def core_infos() -> list[CodeInfo]:
    table = {**CORE_CODES, **EXTRA_CORE_CODES}
    return [CodeInfo(code, name, _CORE_SEVERITY.get(code, Severity.ERROR), summary)
            for code, (name, summary) in sorted(table.items())]


def code_infos(rules: Iterable[type[Rule] | RuleEntry]) -> list[CodeInfo]:
    """The core codes, then every rule, each once, in code order within its group."""
    rule_infos = [CodeInfo(r.code, r.name, r.severity, r.summary(), r.fixable, r.needs_catalog, r, r.opt_in)
                  for r in sorted(rules, key=lambda r: r.code)]
    return core_infos() + rule_infos


def matches(item: CodeInfo | type[Rule] | RuleEntry, key: str) -> bool:
    """A selector names a code (`OR301`), code prefix (`OR3`, `OR`), rule name, or `ALL`."""
    key = key.strip()
    return key == "ALL" or item.name == key or item.code.upper().startswith(key.upper())


def names_exactly(item: CodeInfo, key: str) -> bool:
    """A selector that names `item` itself (its full code or its name): what turns an opt-in rule on."""
    key = key.strip()
    return key == item.name or key.upper() == item.code.upper()


def _specificity(item: CodeInfo, key: str) -> int:
    """How precisely `key` names `item`: name or full code beats a prefix, a longer prefix a shorter."""
    if key == "ALL":
        return 0
    if key == item.name or key.upper() == item.code.upper():
        return 100
    return len(key)


@dataclass(frozen=True)
class Policy:
    """The config resolved against the known codes: asks "is this code on, and how bad is it, here?"."""

    config: Config
    infos: tuple[CodeInfo, ...]
    running_opt_in: frozenset[str] = frozenset()  # opt-in codes a checker was given explicitly

    @classmethod
    def build(cls, config: Config, rules: Iterable[type[Rule] | RuleEntry]) -> Policy:
        """Validate every selector of `config` against the known codes; a ConfigError names the bad one."""
        policy = cls(config, tuple(code_infos(rules)))
        policy.validate()
        return policy

    @classmethod
    def for_rules(cls, config: Config, running: Iterable[type[Rule] | RuleEntry]) -> Policy:
        """An unvalidated policy knowing every registered rule plus `running` (which may hold a test's own rule)."""
        from .rules import registry

        known: dict[str, type[Rule] | RuleEntry] = {rule.code: rule for rule in registry()}
        running = list(running)
        known.update({rule.code: rule for rule in running})
        return cls(config, tuple(code_infos(known.values())),
                   frozenset(rule.code for rule in running if getattr(rule, "opt_in", False)))

    # ---------------------------------------------------------------- validation

    def _unknown(self, key: str, what: str) -> ConfigError:
        where = self.config.source or "configuration"
        choices = [i.code for i in self.infos] + [i.name for i in self.infos]
        return ConfigError(f"{where}: unknown rule {key!r} in {what}{did_you_mean(key, choices)}")

    def _check(self, keys: Iterable[str], what: str, lockable: bool = True) -> None:
        for key in keys:
            hits = [i for i in self.infos if matches(i, key)]
            if not hits:
                raise self._unknown(key, what)
            if lockable and key != "ALL" and all(i.locked for i in hits):
                where = self.config.source or "configuration"
                raise ConfigError(f"{where}: {key!r} in {what}: E- and X-codes are always reported and cannot "
                                  "be ignored or re-graded")

    def validate(self) -> None:
        self._check(self.config.select, "select", lockable=False)
        self._check(self.config.ignore, "ignore")
        self._check(self.config.severity, "severity")
        for glob, keys in self.config.per_file_ignores.items():
            self._check(keys, f"per-file-ignores[{glob!r}]")

    # ---------------------------------------------------------------- questions

    def info(self, code: str) -> CodeInfo | None:
        return next((i for i in self.infos if i.code == code), None)

    def enabled(self, code: str) -> bool:
        """Selected and not ignored; locked codes always are. Unknown codes (a test's fake rule) follow the selectors."""
        if is_locked(code):
            return True
        item = self.info(code) or CodeInfo(code, "", Severity.WARNING, "")
        if item.opt_in and code not in self.running_opt_in:
            selected = any(names_exactly(item, key) for key in self.config.select)
        else:
            selected = not self.config.select or any(matches(item, key) for key in self.config.select)
        return selected and not any(matches(item, key) for key in self.config.ignore)

    def rules(self) -> list[Any]:
        """The rules to run, in code order, as they were given (classes, or registry entries)."""
        return [i.rule for i in self.infos if i.rule is not None and self.enabled(i.code)]

    def severity(self, code: str, name: str, default: Severity) -> Severity:
        """The configured severity for `code` (the most specific selector wins), else `default`."""
        if is_locked(code):
            return default
        item = CodeInfo(code, name, default, "")
        best: tuple[int, str] | None = None
        for key, level in self.config.severity.items():
            if matches(item, key):
                rank = _specificity(item, key)
                if best is None or rank > best[0]:
                    best = (rank, level)
        return Severity(best[1]) if best else default

    def ignored_here(self, path: str, code: str, name: str) -> bool:
        """True when a `per-file-ignores` glob that matches `path` names this code."""
        if is_locked(code) or not self.config.per_file_ignores:
            return False
        item = CodeInfo(code, name, Severity.WARNING, "")
        return any(path_matches(path, glob, self.config.root) and any(matches(item, key) for key in keys)
                   for glob, keys in self.config.per_file_ignores.items())


def path_matches(path: str, glob: str, root: str | None) -> bool:
    """`glob` against `path`, as `exclude` matches it (config.matches_glob)."""
    return matches_glob(path, (glob,), root)


def selected_rules(rules: Sequence[Any], config: Config) -> list[Any]:
    """The rules `config` turns on, in code order; any unknown selector in the config is a ConfigError."""
    return Policy.build(config, rules).rules()
