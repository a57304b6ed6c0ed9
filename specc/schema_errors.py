"""Turn schema errors into messages a person can act on.

Only reached for invalid bodies. When every error the compiled validator
(jsonschema-rs) found is a plain one (a wrong type, a value out of range, a missing
key, ...), its errors are worded directly (`explain_plain`); anything involving
alternatives or unknown keys goes through `jsonschema`, whose error tree says which
branch fits best (`explain`). Both word an error the same way, through `_explain`,
and a test holds them to the same problems on every fixture. The rules of thumb:
a oneOf/anyOf failure names the branch that fits best (the discriminator's branch
when there is one) instead of listing every branch; an unknown key lists the
allowed keys and suggests the closest; an enum lists its values; values are
quoted short, never whole (a prompt can be pages long).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from .pointers import value_at
from .suggest import did_you_mean

if TYPE_CHECKING:  # jsonschema is imported only when an error needs its error tree
    from jsonschema.exceptions import ValidationError

    from .schema import SchemaSet

_MAX_LISTED = 24


@dataclass(frozen=True)
class SchemaProblem:
    """One schema violation: where in the instance, what to say, and whether it is about a key."""

    pointer: tuple[str | int, ...]
    message: str
    on_key: bool = False
    validator: str = ""
    unknown_value: bool = False  # a value outside an enum with no known value close to it (no did-you-mean)

    @property
    def is_missing(self) -> bool:
        """About something absent (a required key, a union's tag), not about a value written."""
        return self.validator in ("required", "dependentRequired") or self.message.startswith(("missing ", "needs "))


def short(value: Any, limit: int = 60) -> str:
    """A value quoted for a message, cut to `limit` characters."""
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def got(value: Any) -> str:
    """`integer 5`, `string 'hot'`; a null, true or false is its own name (never `null null`)."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    return f"{json_type(value)} {short(value)}"


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _names(keys: list[str]) -> str:
    """Key names, unquoted, cut after the first few dozen."""
    shown = ", ".join(keys[:_MAX_LISTED])
    return shown + (f", ... ({len(keys) - _MAX_LISTED} more)" if len(keys) > _MAX_LISTED else "")


def _listing(values: list[Any]) -> str:
    shown = ", ".join(short(v, 40) for v in values[:_MAX_LISTED])
    return shown + (f", ... ({len(values) - _MAX_LISTED} more)" if len(values) > _MAX_LISTED else "")


def explain(schemas: SchemaSet, validator: Any, instance: Any) -> list[SchemaProblem]:
    """Readable problems for every error `validator` (a jsonschema validator) finds in `instance`."""
    return _unique(problem for error in validator.iter_errors(instance) for problem in _explain(schemas, error))


# Keywords whose error says everything by itself: no alternatives to weigh, no schema to consult.
PLAIN_KEYWORDS = frozenset({
    "type", "enum", "const", "required", "minItems", "maxItems", "minLength", "maxLength",
    "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "pattern", "maxProperties",
})


@dataclass
class _PlainError:
    """The part of a jsonschema error that `_explain` reads, filled from a jsonschema-rs error."""

    validator: str
    validator_value: Any
    instance: Any
    absolute_path: tuple
    schema: dict


def explain_plain(schemas: SchemaSet, fast_errors: Iterable[Any], instance: Any) -> list[SchemaProblem] | None:
    """Readable problems from the compiled validator's errors, or None when one needs `explain`."""
    plain: list[_PlainError] = []
    for error in fast_errors:
        keyword = error.kind.name
        parent = _schema_at(schemas, tuple(error.schema_path)[:-1])
        if keyword not in PLAIN_KEYWORDS or not isinstance(parent, dict) or keyword not in parent:
            return None
        path = tuple(error.instance_path)
        # The keyword's value as the schema writes it: jsonschema-rs sorts a list of types.
        # the instance's own value (not the validator's copy): big numbers stay exact
        plain.append(_PlainError(keyword, parent[keyword], value_at(instance, path), path, parent))
    return _unique(problem for error in plain for problem in _explain(schemas, error))


def _schema_at(schemas: SchemaSet, path: tuple) -> Any:
    """The subschema at a jsonschema-rs schema path (from the document root, through `$defs`)."""
    node: Any = {"$defs": schemas.defs}
    try:
        for step in path:
            node = node[step]
    except (KeyError, IndexError, TypeError):
        return None
    return node


def _unique(problems: Iterable[SchemaProblem]) -> list[SchemaProblem]:
    seen: set[tuple] = set()
    out: list[SchemaProblem] = []
    for problem in problems:
        key = (problem.pointer, problem.message)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out


def _explain(schemas: SchemaSet, error: ValidationError) -> list[SchemaProblem]:
    pointer = tuple(error.absolute_path)
    kind = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}

    if kind in ("oneOf", "anyOf"):
        return _explain_alternatives(schemas, error, pointer, schema)
    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = list(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))
        extras = [k for k in value if k not in allowed and not _matches_any(k, patterns)]
        return [
            SchemaProblem((*pointer, key), f"unknown key {key!r}{did_you_mean(key, allowed)}"
                          f" (allowed: {_names(allowed)})", on_key=True, validator=kind)
            for key in extras
        ] or [SchemaProblem(pointer, error.message, validator=kind)]
    if kind == "enum":
        options = list(error.validator_value)
        hint = did_you_mean(value, [o for o in options if isinstance(o, str)]) if isinstance(value, str) else ""
        return [SchemaProblem(pointer, f"{short(value)} is not allowed; expected one of: {_listing(options)}{hint}",
                              validator=kind, unknown_value=not hint)]
    if kind == "const":
        return [SchemaProblem(pointer, f"must be {short(error.validator_value)}, got {short(value)}", validator=kind)]
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return [SchemaProblem(pointer, f"expected {expected}, got {got(value)}", validator=kind)]
    if kind == "required":
        missing = [name for name in error.validator_value if isinstance(value, dict) and name not in value]
        return [SchemaProblem(pointer, f"missing required key {name!r}", validator=kind) for name in missing]
    if kind == "maxItems":
        return [SchemaProblem(pointer, f"has {len(value)} items; at most {error.validator_value} allowed", validator=kind)]
    if kind == "minItems":
        return [SchemaProblem(pointer, f"has {len(value)} items; at least {error.validator_value} required", validator=kind)]
    if kind == "maxLength":
        return [SchemaProblem(pointer, f"is {len(value)} characters long; at most {error.validator_value} allowed", validator=kind)]
    if kind == "minLength":
        return [SchemaProblem(pointer, f"is {len(value)} characters long; at least {error.validator_value} required", validator=kind)]
    if kind in ("minimum", "exclusiveMinimum"):
        rel = "at least" if kind == "minimum" else "greater than"
        return [SchemaProblem(pointer, f"{short(value)} is out of range; must be {rel} {error.validator_value}", validator=kind)]
    if kind in ("maximum", "exclusiveMaximum"):
        rel = "at most" if kind == "maximum" else "less than"
        return [SchemaProblem(pointer, f"{short(value)} is out of range; must be {rel} {error.validator_value}", validator=kind)]
    if kind == "pattern":
        return [SchemaProblem(pointer, f"{short(value)} does not match the pattern {error.validator_value}", validator=kind)]
    if kind == "maxProperties":
        return [SchemaProblem(pointer, f"has {len(value)} keys; at most {error.validator_value} allowed", validator=kind)]
    return [SchemaProblem(pointer, error.message if len(error.message) < 200 else error.message[:197] + "...", validator=kind)]


def _matches_any(key: str, patterns: list[str]) -> bool:
    import re

    return any(re.search(pattern, key) for pattern in patterns)


def _branches(error: ValidationError) -> dict[int, list[ValidationError]]:
    groups: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        index = sub.relative_schema_path[0] if sub.relative_schema_path else -1
        groups.setdefault(index, []).append(sub)
    return groups


def _explain_alternatives(schemas: SchemaSet, error: ValidationError, pointer: tuple, schema: dict) -> list[SchemaProblem]:
    from jsonschema.exceptions import best_match, relevance

    value = error.instance
    alternatives = schema.get(error.validator, [])
    groups = _branches(error)
    if not groups:
        return [SchemaProblem(pointer, "matches more than one of the allowed forms; make it unambiguous", validator=error.validator)]

    # Every branch only asks for a key: say which keys would do.
    if all(len(errors) == 1 and errors[0].validator == "required" for errors in groups.values()):
        names = [name for errors in groups.values() for name in errors[0].validator_value]
        return [SchemaProblem(pointer, f"needs one of: {', '.join(names)}", validator="required")]

    discriminator = schema.get("discriminator")
    if discriminator and isinstance(value, dict):
        prop = discriminator["propertyName"]
        mapping = discriminator.get("mapping", {})
        tag = value.get(prop)
        if not isinstance(tag, str) or tag not in mapping:  # a list or mapping here is not hashable
            options = list(mapping)
            if prop not in value:
                return [SchemaProblem(pointer, f"missing {prop!r}; expected one of: {_listing(options)}", validator="discriminator")]
            hint = did_you_mean(tag, options) if isinstance(tag, str) else ""
            return [SchemaProblem((*pointer, prop), f"{short(tag)} is not a known {prop}; expected one of: {_listing(options)}{hint}",
                                  validator="discriminator", unknown_value=not hint)]
        target = mapping[tag]
        for index, alternative in enumerate(alternatives):
            if alternative.get("$ref") == target and index in groups:
                return [p for sub in groups[index] for p in _explain(schemas, sub)]

    # No declared discriminator, but a tag the value carries (`type: function`) that only some forms
    # allow: explain the forms it names, not the one that happens to have the fewest errors.
    tagged = _claimed_by_tag(schemas, value, alternatives, groups)
    if isinstance(tagged, SchemaProblem):
        return [SchemaProblem((*pointer, *tagged.pointer), tagged.message, validator=tagged.validator,
                              unknown_value=tagged.unknown_value)]
    if tagged:
        chosen_tagged = min(tagged.values(), key=lambda errs: (len(errs), -max(len(e.path) for e in errs)))
        best = best_match(chosen_tagged, key=relevance)
        return [p for sub in [best] + [e for e in chosen_tagged if e is not best] for p in _explain(schemas, sub)]

    # No discriminator: prefer branches whose type fits the value, then the deepest, most specific error.
    fitting = {i: errs for i, errs in groups.items() if not any(e.validator == "type" and not e.path for e in errs)}
    merged = _merged_enums(value, pointer, fitting, groups)
    if merged:
        return [merged]
    candidates = fitting or groups
    chosen = min(candidates.values(), key=lambda errs: (len(errs), -max(len(e.path) for e in errs)))
    if not fitting:
        types = _root_types(groups.values())
        if types:
            return [SchemaProblem(pointer, f"expected {' or '.join(types)}, got {got(value)}", validator="type")]
    best = best_match(chosen, key=relevance)
    ordered = [best] + [e for e in chosen if e is not best]
    problems = [p for sub in ordered for p in _explain(schemas, sub)]
    index = next(i for i, errs in groups.items() if errs is chosen)
    name = _branch_name(alternatives[index]) if 0 <= index < len(alternatives) else None
    if len(fitting) < 2 or not name:
        return problems  # the value's type alone picks the form: naming it would only add noise
    # Several forms fit the value's type: name the one it was judged against.
    suffix = f" (as {name}, the closest of {len(alternatives)} allowed forms)"
    return [SchemaProblem(p.pointer, p.message + suffix, p.on_key, p.validator) for p in problems]


def _claimed_by_tag(schemas: SchemaSet, value: Any, alternatives: list, groups: dict) -> dict[int, list] | SchemaProblem:
    """The failing branches whose constant for some key of `value` (a `type`, `role`, `id` string)
    is the value's own, when that key's constant rules the other branches out; or, when no form
    allows the value's tag, the problem with the tag itself (its pointer relative to the value)."""
    if not isinstance(value, dict):
        return {}
    for key, tag in value.items():
        if not isinstance(tag, str):
            continue
        marks = [_tag_values(_resolved(schemas, alternative), key) for alternative in alternatives]
        if sum(m is not None for m in marks) < 2:
            continue  # not a tag these forms are told apart by
        claiming = {i for i, m in enumerate(marks) if m is not None and tag in m}
        if not claiming and sum(m is not None for m in marks) == len(alternatives):
            options = list(dict.fromkeys(option for m in marks if m for option in m))
            hint = did_you_mean(tag, [o for o in options if isinstance(o, str)])
            return SchemaProblem((key,), f"{short(tag)} is not a known {key}; expected one of: {_listing(options)}{hint}",
                                 validator="discriminator", unknown_value=not hint)
        if claiming and len(claiming) < len(alternatives):
            return {i: errs for i, errs in groups.items() if i in claiming}
    return {}


def _resolved(schemas: SchemaSet, alternative: Any) -> dict:
    ref = alternative.get("$ref") if isinstance(alternative, dict) else None
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return schemas.defs.get(ref[len("#/$defs/"):], {})
    return alternative if isinstance(alternative, dict) else {}


def _tag_values(schema: dict, key: str) -> list | None:
    """The values a form allows for `key` when it pins it to constants (None: it does not)."""
    sub = schema.get("properties", {}).get(key)
    if not isinstance(sub, dict):
        return None
    if "const" in sub:
        return [sub["const"]]
    return sub["enum"] if isinstance(sub.get("enum"), list) else None


def _branch_name(alternative: dict) -> str | None:
    """A short name for one branch of a oneOf/anyOf: its component, or the constant that marks it."""
    ref = alternative.get("$ref")
    if isinstance(ref, str):
        return ref.rsplit("/", 1)[-1]
    for key, sub in alternative.get("properties", {}).items():
        if not isinstance(sub, dict):
            continue
        options = [sub["const"]] if "const" in sub else sub.get("enum")
        if isinstance(options, list) and len(options) == 1:
            return f"the `{key}: {options[0]}` form"
    kind = alternative.get("type")
    if isinstance(kind, str):
        return f"the {kind} form"
    return None


def _root_types(groups: Any) -> list[str]:
    """The types that branches rejecting the value outright (a `type` error at its root) expect."""
    types: list[str] = []
    for errors in groups:
        for sub in errors:
            if sub.validator == "type" and not sub.path:
                expected = sub.validator_value
                types.extend(expected if isinstance(expected, list) else [expected])
    return list(dict.fromkeys(types))


def _merged_enums(value: Any, pointer: tuple, fitting: dict, groups: dict) -> SchemaProblem | None:
    """Several branches that each allow a few values (`anyOf: [{enum: [none]}, {enum: [auto]}, ...]`)
    read as one list of allowed values, not as the first branch's."""
    enum_branches = [errs for errs in fitting.values()
                     if all(e.validator in ("enum", "const") and not e.path for e in errs)]
    if len(enum_branches) < 2:
        return None
    values: list[Any] = []
    for errors in enum_branches:
        for sub in errors:
            for option in (sub.validator_value if sub.validator == "enum" else [sub.validator_value]):
                if option not in values:
                    values.append(option)
    others = _root_types(errs for i, errs in groups.items() if i not in fitting)
    if "null" in others:  # a value of its own: listed as `null`, not as a type
        others.remove("null")
        values.append(None) if None not in values else None
    tail = f", or {' or '.join(others)}" if others else ""
    hint = did_you_mean(value, [v for v in values if isinstance(v, str)]) if isinstance(value, str) else ""
    return SchemaProblem(pointer, f"{short(value)} is not allowed; expected one of: {_listing(values)}{tail}{hint}",
                         validator="enum", unknown_value=not hint)
