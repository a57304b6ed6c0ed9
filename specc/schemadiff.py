"""`specc schema diff NEW_SOURCE [PATHS...]`: what adopting a newer OpenRouter schema changes for the
team's own specs and cassettes, before it is adopted.

The new document is reduced exactly as `specc schema vendor` does (in memory), the same overlays
(specc's, then the team's) are applied, and every spec is linted, and every cassette's recorded
responses checked, under the current schema and the new one. The report is plain data
(`ImpactReport`); `render_text`, `render_markdown` and `ImpactReport.to_dict` format it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .diagnostics import Diagnostic, Severity
from .schema import SchemaLayers, SchemaSet, entry_pointer, is_retirable


@dataclass
class SpecImpact:
    """What the new schema changes for one spec (and its cassette)."""

    path: str
    appeared: list[Diagnostic] = field(default_factory=list)
    disappeared: list[Diagnostic] = field(default_factory=list)
    severity_changed: list[tuple[Diagnostic, Diagnostic]] = field(default_factory=list)  # (old, new)
    deprecated: list[dict[str, Any]] = field(default_factory=list)  # {"pointer", "field", "replacement"}
    cassette: str | None = None
    responses_failing: list[dict[str, Any]] = field(default_factory=list)  # {"interaction", "message"}
    responses_passing: list[dict[str, Any]] = field(default_factory=list)
    failed_before: bool = False
    fails_after: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.appeared or self.disappeared or self.severity_changed or self.deprecated
                    or self.responses_failing or self.responses_passing)

    @property
    def newly_failing(self) -> bool:
        return (self.fails_after and not self.failed_before) or bool(self.responses_failing)

    @property
    def newly_passing(self) -> bool:
        return self.failed_before and not self.fails_after and not self.responses_failing

    def to_dict(self) -> dict[str, Any]:
        def diag(d: Diagnostic) -> dict[str, Any]:
            return {"code": d.code, "severity": d.severity.value, "message": d.message,
                    "line": d.span.line, "column": d.span.column}

        return {"path": self.path, "cassette": self.cassette,
                "appeared": [diag(d) for d in self.appeared], "disappeared": [diag(d) for d in self.disappeared],
                "severity_changed": [{**diag(new), "was": old.severity.value} for old, new in self.severity_changed],
                "deprecated": self.deprecated, "responses_failing": self.responses_failing,
                "responses_passing": self.responses_passing,
                "newly_failing": self.newly_failing, "newly_passing": self.newly_passing}


@dataclass
class ImpactReport:
    """The whole impact of a new schema: per spec, plus what changes in the schema and the overlay."""

    source: str
    old_date: str | None
    new_sha256: str
    specs: list[SpecImpact]
    newly_deprecated: list[dict[str, Any]]   # schema-wide: {"pointer", "field", "replacement"}
    retirable: list[dict[str, Any]]          # overlay entries the new schema makes unnecessary

    @property
    def summary(self) -> dict[str, int]:
        return {"unaffected": sum(not s.changed for s in self.specs),
                "newly failing": sum(s.newly_failing for s in self.specs),
                "newly passing": sum(s.newly_passing for s in self.specs),
                "newly deprecated": sum(bool(s.deprecated) for s in self.specs)}

    @property
    def fails(self) -> bool:
        return any(s.newly_failing for s in self.specs)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "old_date": self.old_date, "new_sha256": self.new_sha256,
                "summary": self.summary, "newly_deprecated": self.newly_deprecated, "retirable": self.retirable,
                "specs": [s.to_dict() for s in self.specs if s.changed]}


# ---------------------------------------------------------------------------- computing


def new_layers(current: SchemaLayers, raw: bytes, source: str) -> tuple[SchemaLayers, dict[str, Any]]:
    """The current overlays over NEW_SOURCE reduced as `schema vendor` does; and the parsed document.
    Raises `VendorError` for a source that cannot be read as OpenRouter's OpenAPI document."""
    from .vendor import parse_document, vendor

    document = parse_document(raw, source)
    result = vendor(document, source, raw)
    return current.with_vendored(result.schema, result.lock), document


def impact(current: SchemaLayers, new: SchemaLayers, document: dict[str, Any], source: str,
           targets: Sequence[str], make_checker: Any) -> ImpactReport:
    """Lint `targets` (spec paths) and check their cassettes under `current` and `new`.

    `make_checker(schemas)` builds a checker (rules and config as `specc lint` would) for a schema set."""
    old_schemas, new_schemas = SchemaSet.from_layers(current), SchemaSet.from_layers(new)
    old_checker, new_checker = make_checker(old_schemas), make_checker(new_schemas)
    fail_on = Severity(old_checker.config.fail_on)
    deprecations = newly_deprecated(current.vendored, new.vendored, document)
    specs = []
    for path in targets:
        before = old_checker.check_path(path)
        after = new_checker.check_path(path)
        spec = _compare_diagnostics(path, before.diagnostics, after.diagnostics, fail_on)
        bodies = [body for _, body in after.bodies()]  # each variant's, of a matrix spec
        if bodies and deprecations:
            used = set().union(*(fields_used(body, new_schemas.defs, new_schemas.request_name) for body in bodies))
            spec.deprecated = [d for d in deprecations if (d["component"], d["field"]) in used]
        _compare_responses(spec, after if after.spec is not None else before, old_schemas, new_schemas)
        specs.append(spec)
    retirable = [{"origin": origin, "pointer": entry_pointer(entry), "why": " ".join(str(entry.get("why", "")).split())}
                 for origin, entries in (("specc", new.specc_overlay), ("team", new.team_overlay))
                 for entry in entries
                 if is_retirable(new.vendored, entry) and not is_retirable(current.vendored, entry)]
    return ImpactReport(source=source, old_date=current.lock.get("date"), new_sha256=new.lock.get("sha256", ""),
                        specs=specs, newly_deprecated=deprecations, retirable=retirable)


def _identity(d: Diagnostic) -> tuple:
    return (d.code, d.span.line, d.span.column, d.message)


def _compare_diagnostics(path: str, old: list[Diagnostic], new: list[Diagnostic], fail_on: Severity) -> SpecImpact:
    old_by = {_identity(d): d for d in old}
    new_by = {_identity(d): d for d in new}
    spec = SpecImpact(path=path)
    spec.appeared = [d for key, d in new_by.items() if key not in old_by]
    spec.disappeared = [d for key, d in old_by.items() if key not in new_by]
    spec.severity_changed = [(old_by[key], d) for key, d in new_by.items()
                             if key in old_by and old_by[key].severity != d.severity]
    spec.failed_before = any(d.severity >= fail_on for d in old)
    spec.fails_after = any(d.severity >= fail_on for d in new)
    return spec


def _compare_responses(spec: SpecImpact, result: Any, old: SchemaSet, new: SchemaSet) -> None:
    """Every recorded response of the spec's cassette, under both response schemas, one by one."""
    from .contract import CassetteError, cassette_for, check_responses
    from .cassette import load_cassette

    if result.spec is None:
        return
    found = []
    for variant in result.variants or [None]:  # a matrix spec: each variant's own cassette
        try:
            path = cassette_for(result, variant=variant)
            if not path.exists():
                continue
            cassette = load_cassette(path)
        except CassetteError:
            continue  # the spec's own checks (lint, `specc test`) report an unusable cassette
        found.append(str(path))
        where = {} if variant is None else {"variant": variant.id}
        for index, item in enumerate(cassette.interactions):
            was, _ = check_responses([item], old)
            now, _ = check_responses([item], new)
            if was.ok and not now.ok:
                spec.responses_failing.append({**where, "interaction": index, "message": now.message})
            elif now.ok and not was.ok:
                spec.responses_passing.append({**where, "interaction": index, "message": was.message})
    spec.cassette = ", ".join(found) or None


# ---------------------------------------------------------------------------- deprecations

_REPLACEMENT = re.compile(r"\b(?:[Uu]se|[Rr]eplaced by|in favou?r of)\s+`?([A-Za-z_][\w.\-]*)`?")


def _deprecated_places(vendored: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(component, property) -> pointer for every property (or whole component, property "") marked deprecated."""
    found: dict[tuple[str, str], str] = {}
    for name, component in vendored.get("$defs", {}).items():
        if not isinstance(component, dict):
            continue
        if component.get("deprecated"):
            found[(name, "")] = f"/$defs/{name}"
        for prop, sub in (component.get("properties") or {}).items():
            if isinstance(sub, dict) and sub.get("deprecated"):
                found[(name, prop)] = f"/$defs/{name}/properties/{prop}"
    return found


def newly_deprecated(old: dict[str, Any], new: dict[str, Any], document: dict[str, Any]) -> list[dict[str, Any]]:
    """Properties (and components) deprecated in `new` and not in `old`, with the replacement
    when the upstream description names one (`Use X instead`)."""
    before = _deprecated_places(old)
    components = (document.get("components") or {}).get("schemas") or {}
    out = []
    for (name, prop), pointer in sorted(_deprecated_places(new).items()):
        if (name, prop) in before:
            continue
        raw = components.get(name) or {}
        if prop:
            raw = (raw.get("properties") or {}).get(prop) or {}
        match = _REPLACEMENT.search(str(raw.get("description") or ""))
        out.append({"component": name, "field": prop, "pointer": pointer,
                    "replacement": match.group(1) if match else None})
    return out


def fields_used(body: Any, defs: dict[str, Any], root: str) -> set[tuple[str, str]]:
    """(component, property) pairs a request body uses, walking it along the schema ($ref,
    properties, items, alternatives); a component used as a whole appears with property ""."""
    used: set[tuple[str, str]] = set()

    def walk(value: Any, schema: Any, component: str, depth: int) -> None:
        if depth > 40 or not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref[len("#/$defs/"):]
            if (name, "") not in used:
                used.add((name, ""))
            walk(value, defs.get(name), name, depth + 1)
        for key in ("anyOf", "oneOf", "allOf"):
            for alternative in schema.get(key) or []:
                walk(value, alternative, component, depth + 1)
        if isinstance(value, dict):
            for prop, sub in (schema.get("properties") or {}).items():
                if prop in value:
                    used.add((component, prop))
                    walk(value[prop], sub, component, depth + 1)
        elif isinstance(value, list) and isinstance(schema.get("items"), dict):
            for item in value:
                walk(item, schema["items"], component, depth + 1)

    used.add((root, ""))
    walk(body, defs.get(root), root, 0)
    return used


# ---------------------------------------------------------------------------- rendering


def _summary_rows(report: ImpactReport) -> list[tuple[str, int]]:
    return [(name, count) for name, count in report.summary.items()]


def _spec_lines(spec: SpecImpact) -> list[str]:
    lines = []
    for d in spec.appeared:
        lines.append(f"+ {d.span.line}:{d.span.column} {d.code} [{d.severity.value}] {d.message}")
    for d in spec.disappeared:
        lines.append(f"- {d.span.line}:{d.span.column} {d.code} [{d.severity.value}] {d.message}")
    for old, new in spec.severity_changed:
        lines.append(f"~ {new.span.line}:{new.span.column} {new.code} {old.severity.value} -> {new.severity.value}: {new.message}")
    for dep in spec.deprecated:
        where = f"{dep['component']}.{dep['field']}" if dep["field"] else dep["component"]
        lines.append(f"deprecated: {where}" + (f" (use {dep['replacement']})" if dep["replacement"] else ""))
    for failing in spec.responses_failing:
        first = failing["message"].splitlines()[0] if failing["message"] else ""
        lines.append(f"response {failing['interaction']} of {spec.cassette} stops passing: {first}")
    for passing in spec.responses_passing:
        lines.append(f"response {passing['interaction']} of {spec.cassette} now passes")
    return lines


def render_text(report: ImpactReport) -> str:
    out = [f"schema diff: current (vendored {report.old_date}) -> {report.source}", ""]
    for spec in report.specs:
        if spec.changed:
            out.append(spec.path + (" (newly failing)" if spec.newly_failing else
                                    " (newly passing)" if spec.newly_passing else ""))
            out += ["  " + line for line in _spec_lines(spec)]
    if report.retirable:
        out.append("overlay entries the new schema makes unnecessary (retirable):")
        out += [f"  {r['origin']}: {r['pointer']}" for r in report.retirable]
    out.append("")
    out += [f"{count:>5}  {name}" for name, count in _summary_rows(report)]
    return "\n".join(out) + "\n"


def render_markdown(report: ImpactReport) -> str:
    out = [f"### OpenRouter schema: impact of `{report.source}`", "",
           "| specs | count |", "|---|---|"]
    out += [f"| {name} | {count} |" for name, count in _summary_rows(report)]
    changed = [spec for spec in report.specs if spec.changed]
    for spec in changed:
        out += ["", f"#### `{spec.path}`" + (" — newly failing" if spec.newly_failing else ""), ""]
        out += [f"- `{line}`" for line in _spec_lines(spec)]
    if report.retirable:
        out += ["", "#### Retirable overlay entries", ""]
        out += [f"- {r['origin']}: `{r['pointer']}`" for r in report.retirable]
    return "\n".join(out) + "\n"


def summary_text(report: ImpactReport) -> str:
    """The closing table alone (what `specc schema vendor` ends with)."""
    return "\n".join(f"{count:>5}  {name}" for name, count in _summary_rows(report)) + "\n"


def spec_targets(paths: Sequence[str], config: Any) -> list[str]:
    """The spec files under `paths` (as `specc lint` discovers them)."""
    from .lint import discover

    discovery = discover(list(paths), config.exclude, config.root)
    return [target.path for target in discovery.targets if target.refused is None]


def default_paths(root: Path) -> list[str]:
    """PATHS when none are given: the project's `specs/` folder when it has one, else the project."""
    import os

    chosen = root / "specs" if (root / "specs").is_dir() else root
    try:  # shown as the user would type it when the project is the working folder
        return [os.path.relpath(chosen)] if chosen.resolve().is_relative_to(Path.cwd().resolve()) else [str(chosen)]
    except ValueError:
        return [str(chosen)]
