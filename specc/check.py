"""Check one spec: load → model → compile → schema → rules → suppressions. Never prints.

`Checker` holds what is expensive to build (the schema validators, the rule
instances, the config) and is created once per process; `check_path` is called
per file and returns a `CheckResult` of plain data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .compile import Unresolved, compile_request
from .config import Config
from .diagnostics import Diagnostic, Severity, Span, by_place, core, with_message
from .extensions import may_be_new, new_value_note
from .pointers import path_text, value_or_none
from .load import Document, IncludeHandler, Limits, load_document
from .positions import narrow_to_text
from .rules import LazyRule, Rule, RuleContext, rule_kind
from .schema import SPEC_SCHEMA_FILE, SchemaSet, default_schema_dir
from .specfile import SpecFile, SpecKeys, read_spec
from .suggest import did_you_mean, suggest

if TYPE_CHECKING:  # matrix.py is imported by a matrix spec only
    from .matrix import CompiledVariant, Variant
    from .model import Spec

INTERNAL_CODE = "X001"


@dataclass
class CheckResult:
    """The outcome for one file: its diagnostics (sorted) and, when it compiled, its body."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    body: dict[str, Any] | None = None  # None for a matrix spec: each variant has its own
    variants: list[CompiledVariant] = field(default_factory=list)
    fields: SpecFile | None = None
    document: Document | None = None
    is_spec: bool = True

    @property
    def spec(self) -> Spec | None:
        """The typed spec (pydantic, built on first use) when the spec's keys are valid."""
        return self.fields.typed() if self.fields is not None else None

    def bodies(self) -> list[tuple[CompiledVariant | None, dict[str, Any]]]:
        """What would be sent: the body, or each variant's of a matrix spec."""
        if self.variants:
            return [(variant, variant.body) for variant in self.variants]
        return [(None, self.body)] if self.body is not None else []

    @property
    def is_abstract(self) -> bool:
        """A base only (`abstract: true`): never sent, recorded or tested."""
        return self.fields is not None and self.fields.abstract

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)


@dataclass
class Checker:
    """Checks specs against a prepared schema set and rule set. Build once, call per file."""

    schemas: SchemaSet
    rules: Sequence[Rule | LazyRule] = ()
    config: Config = field(default_factory=Config)
    limits: Limits | None = None
    include_handlers: dict[str, IncludeHandler] | None = None
    catalog: Any = None
    environ: Mapping[str, str] | None = None
    # False for lint: a placeholder whose value only a machine or a run gives (an unset environment
    # variable, a var the spec does not declare) is checked as the string it stands for and noted
    # (I001); compile, send and test need every value, and say E004.
    strict_placeholders: bool = True

    def check_path(self, path: str | os.PathLike[str], cli_vars: Mapping[str, str] | None = None,
                   display: str | None = None, root: Path | None = None,
                   texts: Mapping[str, str] | None = None) -> CheckResult:
        """Check the spec file at `path` (always treated as a spec); `texts` as for `load_document`."""
        shown = display if display is not None else os.fspath(path)
        doc = load_document(path, root=root, limits=self.limits or self.config.limits(),
                            include_handlers=self.include_handlers, display=shown, texts=texts)
        return self.check_document(doc, cli_vars, default_name=Path(path).stem)

    def check_text(self, path: str | os.PathLike[str], text: str, cli_vars: Mapping[str, str] | None = None,
                   display: str | None = None, texts: Mapping[str, str] | None = None) -> CheckResult:
        """Check `text` as the content of the spec file at `path`, which need not be saved (or exist):
        exactly what `check_path` says once the text is written there."""
        return self.check_path(path, cli_vars, display, texts={**(texts or {}), os.path.realpath(path): text})

    def check_document(self, doc: Document, cli_vars: Mapping[str, str] | None = None,
                       default_name: str = "spec") -> CheckResult:
        result = CheckResult(doc.path, list(doc.diagnostics), document=doc)
        if doc.data is None:
            return result
        spec, problems = read_spec(doc, default_name, self.spec_keys())
        result.diagnostics.extend(problems)
        if spec is None:
            return self._finish(result)
        result.fields = spec
        if spec.cassette is not None:
            result.diagnostics.extend(cassette_diagnostics(doc, spec.cassette))
        if spec.matrix is None:
            result.body, found = self.check_request(doc, spec, cli_vars)
            result.diagnostics.extend(found)
            return self._finish(_without_flagged_secrets(result, doc))
        from .matrix import CompiledVariant, expand

        variants, problems = expand(spec.matrix, self.config.max_variants, doc.span_of)
        result.diagnostics.extend(problems)
        per_variant = []
        for variant in variants:
            body, found = self.check_request(doc, spec, cli_vars, variant)
            variant_id = variant.id(spec.name or default_name)
            result.variants.append(CompiledVariant(variant, variant_id, body))
            per_variant.append((variant_id, [at_matrix_value(d, variant, doc) for d in found]))
        result.diagnostics.extend(merge_variant_diagnostics(per_variant))
        return self._finish(_without_flagged_secrets(result, doc))

    def check_request(self, doc: Document, spec: SpecFile, cli_vars: Mapping[str, str] | None = None,
                      variant: Variant | None = None) -> tuple[dict[str, Any], list[Diagnostic]]:
        """Compile the request (one variant of a matrix spec) and check it: the body, and what was found."""
        body, unresolved = compile_request(spec, cli_vars, self.environ, variant, doc.braces)
        # A base missing, or a base only (`abstract: true`): what the request lacks may come from
        # elsewhere, so only the values written are checked, and the rules (many say "X without Y")
        # run on the complete specs; a var it lacks is not known to be missing (never a false E004).
        incomplete = doc.base_missing or spec.abstract
        stand_ins = [m for m in unresolved
                     if incomplete or (not self.strict_placeholders and stands_in(m, spec))]
        found = placeholder_diagnostics(doc, spec, unresolved, stand_ins)
        checked = self.schema_diagnostics(doc, body, values_only=incomplete)
        checked += self.rule_diagnostics(doc, spec, body, partial=incomplete)
        # E004 or I001 says what is at a placeholder, E005 what is at a failed include; a finding
        # that names a failed include's field (`tools` for OR713) may be about its absence.
        pointers = [("request", *m.pointer) for m in unresolved] + [tuple(p) for p in doc.absent]
        texts = {m.text for m in unresolved} | {f"`{p[-1]}`" for p in doc.absent if isinstance(p[-1], str)}
        return body, found + without_findings_at(checked, pointers, texts)

    # ------------------------------------------------------------------ stages

    def schema_diagnostics(self, doc: Document, body: dict[str, Any], values_only: bool = False) -> list[Diagnostic]:
        """S101 for schema violations and S102 for unknown top-level request fields; `values_only`
        leaves out what is missing (a required key, a tag), for a body known to be incomplete."""
        out: list[Diagnostic] = []
        name = self.schemas.request_name
        for problem in self.schemas.errors(name, body):
            if values_only and problem.is_missing:
                continue
            pointer = ("request", *problem.pointer)
            where = path_text(pointer)
            span = doc.span_of(pointer, key=problem.on_key)
            if problem.unknown_value and may_be_new(problem.pointer, value_or_none(body, problem.pointer)):
                note = new_value_note(self.schemas.lock.get("date"))
                out.append(core("S103", f"{where}: {problem.message}{note}", span, Severity.WARNING, pointer=pointer))
                continue
            out.append(core("S101", f"{where}: {problem.message}", span, pointer=pointer))
        known = self.schemas.request_properties
        for key in body:
            if key in known:
                continue
            close = suggest(key, known, cutoff=0.8)
            pointer = ("request", key)
            if close:
                out.append(core("S102", f"unknown request field {key!r}; did you mean {close!r}?",
                                doc.span_of(pointer, key=True), pointer=pointer))
            else:
                out.append(core("S102", f"request field {key!r} is not in OpenRouter's schema; the API passes it "
                                "through unchecked", doc.span_of(pointer, key=True), Severity.WARNING, pointer=pointer))
        return out

    def rule_diagnostics(self, doc: Document, spec: SpecFile, body: dict[str, Any],
                         partial: bool = False) -> list[Diagnostic]:
        """The rules' findings; on a `partial` body (a base), only the rules that judge values written."""
        ctx = RuleContext(body=body, spec=spec, doc=doc, catalog=self.catalog)
        out: list[Diagnostic] = []
        present = body.keys()
        for rule in self.rules:
            if rule.needs_catalog and self.catalog is None:
                continue
            if partial and not rule.checks_partial_specs:
                continue
            if rule.request_keys and present.isdisjoint(rule.request_keys):
                continue  # the rule is about keys this body does not have: it cannot fire
            try:
                for finding in rule.check(ctx):
                    pointer = tuple(finding.pointer) if finding.in_spec else ("request", *finding.pointer)
                    out.append(Diagnostic(rule.code, rule.name, rule.severity, finding.message,
                                          doc.span_of(pointer, key=finding.on_key), pointer, finding.fix))
            except Exception as exc:  # a rule bug must not take the run down; report it instead
                out.append(Diagnostic(INTERNAL_CODE, "internal-error", Severity.WARNING,
                                      f"rule {rule.code} ({rule.name}) crashed: {type(exc).__name__}: {exc}; "
                                      "please report this", Span(doc.path, 1, 1, 1, 1)))
        return out

    _policy: Any = field(default=None, init=False, repr=False)
    _spec_keys: Any = field(default=None, init=False, repr=False)

    def spec_keys(self) -> SpecKeys | None:
        """The compiled validator of a spec's own keys (built on first use, then reused)."""
        if self._spec_keys is None:
            self._spec_keys = SpecKeys.from_file(default_schema_dir() / SPEC_SCHEMA_FILE) or False
        return self._spec_keys or None

    def warm(self) -> None:
        """Build now what the first spec would (the rules, the validators): before forking workers,
        so that each does not build it all again. The lazy rules make way for the rules themselves."""
        self.rules = [rule.loaded() if isinstance(rule, LazyRule) else rule for rule in self.rules]
        self.spec_keys()
        self.schemas.fast(self.schemas.request_name)

    def policy(self) -> Any:
        """The config resolved against the known codes (built on first use, then reused)."""
        if self._policy is None:
            from .selection import Policy

            self._policy = Policy.for_rules(self.config, [rule_kind(rule) for rule in self.rules])
        return self._policy

    def _finish(self, result: CheckResult) -> CheckResult:
        from .suppress import finish  # config policy, per-file-ignores, severities, inline suppressions

        diagnostics = finish(drop_schema_duplicates(result.diagnostics), result.document, self.policy())
        result.diagnostics = sort_diagnostics(diagnostics)
        return result


def cassette_diagnostics(doc: Document, cassette: str) -> list[Diagnostic]:
    """E009 when `cassette:` names no place a recording may be kept: said at lint time, so that
    `specc send --record` never sends (and bills) a request whose answer it cannot keep."""
    from .files import cassette_path_problem, shown_path

    spec_file = doc.files[0] if doc.files else doc.path  # the spec's own file comes first, absolute
    folder = os.path.dirname(os.path.abspath(spec_file))
    problem = cassette_path_problem(cassette, folder, os.fspath(doc.root)) if doc.root is not None else None
    if problem is None:
        return []
    span = doc.span_of(("cassette",))
    return [core("E009", f"cassette path {shown_path(cassette)}: {problem}", span, pointer=("cassette",))]


def at_matrix_value(d: Diagnostic, variant: Variant, doc: Document) -> Diagnostic:
    """A finding at (or below) a request path the variant sets points at the matrix value that set it."""
    if not d.pointer or d.pointer[0] != "request":
        return d
    from .matrix import REQUEST_PREFIX, request_path

    for name, value_pointer in variant.origins.items():
        if not name.startswith(REQUEST_PREFIX):
            continue  # a placeholder's value: the finding is at the placeholder, where it is
        path = ("request", *request_path(name))
        if d.pointer[:len(path)] == path:
            # no fix: it would edit the request, not the matrix value that set it
            return Diagnostic(d.code, d.rule, d.severity, d.message, doc.span_of(value_pointer), d.pointer)
    return d


def merge_variant_diagnostics(per_variant: Sequence[tuple[str, Sequence[Diagnostic]]]) -> list[Diagnostic]:
    """A matrix spec's findings: one that every variant shares once, as it is; one that only some
    variants have, once, naming them."""
    out = []
    for d, ids in by_place((d, variant_id) for variant_id, diagnostics in per_variant for d in diagnostics):
        if len(ids) < len(per_variant):
            which = f"variant {ids[0]}" if len(ids) == 1 else f"{len(ids)} variants: {', '.join(ids)}"
            d = with_message(d, f"{d.message} (in {which})")
        out.append(d)
    return out


def stands_in(missing: Unresolved, spec: SpecFile) -> bool:
    """Whether lint may check a placeholder without its value: one the environment gives, or a var
    of a spec that declares none (given with --var when sent). A var missing from a spec's own
    `vars:` is a typo, whatever the machine."""
    return missing.is_env or spec.vars is None


def placeholder_diagnostics(doc: Document, spec: SpecFile, unresolved: Sequence[Unresolved],
                            stand_ins: Sequence[Unresolved]) -> list[Diagnostic]:
    """E004 for each placeholder without a value, at its text; I001 (info) instead for a stand-in."""
    out: list[Diagnostic] = []
    seen: dict[tuple[Any, ...], int] = {}
    for missing in unresolved:
        if missing.is_env:
            why = f"environment variable {missing.name[4:]} is not set"
        else:
            why = f"no var {missing.name!r} (declare it under `vars:` or pass --var {missing.name}=...)"
            why += did_you_mean(missing.name, (spec.vars or {}).keys())
        pointer = ("request", *missing.pointer)
        occurrence = seen[(pointer, missing.text)] = seen.get((pointer, missing.text), -1) + 1
        span = narrow_to_text(doc.sources, doc.span_of(pointer), missing.text, occurrence)
        if missing in stand_ins:
            default = f"{{{{ {missing.name} | ... }}}}"
            out.append(core("I001", f"placeholder {missing.text} has no value here ({why}): checked as a string; "
                                    f"compile, send and test refuse it until it has one or a default ({default})",
                            span, Severity.INFO, pointer=pointer))
        else:
            out.append(core("E004", f"unresolved placeholder {{{{ {missing.name} }}}}: {why}", span, pointer=pointer))
    return out


def without_findings_at(diagnostics: list[Diagnostic], pointers: Sequence[tuple[str | int, ...]], texts: set[str]) -> list[Diagnostic]:
    """Drop what the schema or a rule says at (or below) `pointers`, or quoting `texts`: where the
    value checked is not the one that will be sent (a placeholder left unfilled, the stand-in of a
    failed include), a finding could be false. `unknown-model` must not fire on `model: "{{ env.MODEL }}"`."""
    if not pointers:
        return diagnostics

    def about_a_stand_in(d: Diagnostic) -> bool:
        at = d.pointer or ()
        return (any(at[:len(p)] == p for p in pointers if at)
                or any(text in d.message for text in texts))

    return [d for d in diagnostics if not about_a_stand_in(d)]


def _without_flagged_secrets(result: CheckResult, doc: Document) -> CheckResult:
    """No diagnostic repeats a value OR801 flags (an S101 quoting the value, say): the values are
    redacted from every message, and join the run's secrets so no other output shows them."""
    if not any(d.code == "OR801" for d in result.diagnostics):
        return result
    from .rules.or801_hard_coded_api_key import flagged_values
    from .secrets import Redactor, remember_secrets

    values = flagged_values(doc)
    remember_secrets(values)
    redactor = Redactor(values)
    result.diagnostics = [d if redactor.redact(d.message) == d.message else
                          Diagnostic(d.code, d.rule, d.severity, redactor.redact(d.message), d.span, d.pointer, d.fix)
                          for d in result.diagnostics]
    return result


def drop_schema_duplicates(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A rule that fires where the schema complains says it better: drop the S101 at that spot.

    Only a rule error replaces it: a warning in its place would quietly lower the severity
    of a request the API rejects.
    """
    rule_errors = [d for d in diagnostics
                   if d.severity is Severity.ERROR and not d.code.startswith(("S", "E", "X", "W"))]
    ruled = {(d.span.path, d.span.line, d.span.column) for d in rule_errors}
    ruled_pointers = {d.pointer for d in rule_errors if d.pointer}
    return [
        d for d in diagnostics
        if not (d.code == "S101" and ((d.span.path, d.span.line, d.span.column) in ruled or d.pointer in ruled_pointers))
    ]


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=Diagnostic.sort_key)
