"""Matrix specs: one spec, many variants (issue 19).

`matrix:` maps a name to a list of values. A name is either a `{{ name }}` placeholder (a var)
or a dotted request path (`request.model`, `request.provider.sort`), which the value is set at.
The variants are the cross product of the lists, then `exclude:` drops the combinations that
match one of its entries, and `include:` adds values to the combinations it matches (or a
combination of its own when it matches none): GitHub Actions' matrix rules, which people know.

    matrix:
      request.model: [openai/gpt-5.2, anthropic/claude-sonnet-4.5]
      effort: [low, high]                 # used as {{ effort }}
      exclude:
        - {request.model: anthropic/claude-sonnet-4.5, effort: high}
      include:
        - {request.model: openai/gpt-5.2, request.stream: true}

Each variant has a stable id, `name[model=openai/gpt-5.2,effort=low]` (a path shows its last
segment, unless two axes share it), and a slug for file names (`openai-gpt-5.2--low`).
Expanding reads no file and is pure: `expand` gives the variants and the problems (E010) found.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:
    from pathlib import Path

from .diagnostics import Diagnostic, Span, core

KEYWORDS = ("include", "exclude")
DEFAULT_MAX_VARIANTS = 64
REQUEST_PREFIX = "request."
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PATH_PART = re.compile(r"[A-Za-z0-9_$@:-]+\Z")
_SLUG_MAX = 60
_SHOWN_MAX = 40  # a longer value is shown in ids cut, with a digest that keeps the id unique
# How many combinations the cross product may have before `exclude:` is applied: past this many
# times `max-variants`, the matrix is refused before it is enumerated.
CROSS_FACTOR = 16


@dataclass(frozen=True)
class Variant:
    """One combination: each name's value, and where in the spec that value is written."""

    values: dict[str, Any]
    origins: dict[str, tuple[str | int, ...]] = field(default_factory=dict, compare=False)  # name -> pointer of its value
    label: str = ""  # "model=openai/gpt-5.2,effort=low"
    slug: str = ""   # "openai-gpt-5.2--low"

    def id(self, spec_name: str) -> str:
        """The variant's id: `summarize[model=openai/gpt-5.2,effort=low]`."""
        return f"{spec_name}[{self.label}]"

    def paths(self) -> dict[tuple[str | int, ...], Any]:
        """The request pointers this variant sets, with their values."""
        return {request_path(name): value for name, value in self.values.items() if name.startswith(REQUEST_PREFIX)}

    def vars(self) -> dict[str, Any]:
        """The placeholder values this variant gives."""
        return {name: value for name, value in self.values.items() if not name.startswith(REQUEST_PREFIX)}


@dataclass(frozen=True)
class CompiledVariant:
    """One variant of a matrix spec, compiled: its id (`summarize[model=...]`) and its body."""

    variant: Variant
    id: str
    body: dict[str, Any]


def request_path(name: str) -> tuple[str | int, ...]:
    """`request.provider.sort` -> ("provider", "sort"); a part that is a number indexes a list."""
    return tuple(int(part) if part.isdigit() else part for part in name[len(REQUEST_PREFIX):].split("."))


def expand(matrix: Any, max_variants: int = DEFAULT_MAX_VARIANTS, spans: Any = None) -> tuple[list[Variant], list[Diagnostic]]:
    """The variants of `matrix` (a spec's `matrix:` value), and E010 for what is wrong with it.

    `spans(pointer)` gives the span of a pointer in the spec (for the diagnostics)."""
    problems: list[Diagnostic] = []

    def problem(pointer: tuple[str | int, ...], message: str) -> None:
        span = spans(pointer) if spans is not None else None
        problems.append(core("E010", message, span or Span("", 1, 1, 1, 1), pointer=pointer))

    if not isinstance(matrix, dict):
        problem(("matrix",), "matrix must be a mapping from a name to a list of values")
        return [], problems
    axes: dict[str, list[Any]] = {}
    for name, values in matrix.items():
        if name in KEYWORDS:
            continue
        if not _valid_name(name):
            problem(("matrix", name), f"matrix name {name!r} is neither a placeholder name (letters, digits, _) "
                                      "nor a request path (request.model, request.provider.sort)")
        elif not isinstance(values, list) or not values:
            problem(("matrix", name), f"matrix.{name} must be a non-empty list of values")
        elif not name.startswith(REQUEST_PREFIX) and not all(_scalar(v) for v in values):
            problem(("matrix", name), f"matrix.{name} is a placeholder: its values must be strings, numbers or booleans")
        else:
            axes[name] = values
    entries = {key: _entries(matrix.get(key), key, problem) for key in KEYWORDS}
    for index, entry in enumerate(entries["exclude"]):
        for name in entry:
            if name not in axes:
                problem(("matrix", "exclude", index, name), f"matrix.exclude names {name!r}, which is not a matrix axis")
    for index, entry in enumerate(entries["include"]):
        for name, value in entry.items():
            if not _valid_name(name):
                problem(("matrix", "include", index, name), f"matrix.include name {name!r} is neither a placeholder "
                                                            "name nor a request path")
            elif not name.startswith(REQUEST_PREFIX) and not _scalar(value):
                problem(("matrix", "include", index, name), f"{name} is a placeholder: its value must be a string, "
                                                            "number or boolean")
    if problems:
        return [], problems

    names = list(axes)
    crossed = 1
    for values in axes.values():
        crossed *= len(values)
    if crossed > max_variants * CROSS_FACTOR:  # never enumerated: 10 axes of 100 values are 10**20
        problem(("matrix",), f"the matrix crosses {crossed:,} combinations, too many to list before `exclude:` "
                             f"(the limit is {max_variants} variants, max-variants in [tool.specc]): split the spec")
        return [], problems
    combos: list[tuple[dict[str, Any], dict[str, tuple[str | int, ...]]]] = []
    if axes:
        for picked in itertools.product(*(range(len(axes[name])) for name in names)):
            values = {name: axes[name][i] for name, i in zip(names, picked)}
            combos.append((values, {name: ("matrix", name, i) for name, i in zip(names, picked)}))
    combos = [(values, origins) for values, origins in combos
              if not any(all(name in values and values[name] == v for name, v in entry.items())
                         for entry in entries["exclude"])]
    for index, entry in enumerate(entries["include"]):
        matched = False
        for values, origins in combos:
            original = {name: values[name] for name in names}
            if all(original[name] == v for name, v in entry.items() if name in axes):
                matched = True
                for name, v in entry.items():
                    if name not in axes:
                        values[name] = v
                        origins[name] = ("matrix", "include", index, name)
        if not matched:
            combos.append((dict(entry), {name: ("matrix", "include", index, name) for name in entry}))
    if not combos:
        problem(("matrix",), "the matrix has no variant left (every combination is excluded)")
        return [], problems
    if len(combos) > max_variants:
        problem(("matrix",), f"the matrix has {len(combos)} variants, over the limit of {max_variants} "
                             "(max-variants in [tool.specc]): split the spec, or exclude combinations")
        return [], problems
    shown = _shown_names([name for values, _ in combos for name in values])
    variants = [Variant(values, origins, ",".join(f"{shown[n]}={_text(v)}" for n, v in values.items()))
                for values, origins in combos]
    duplicates = _duplicate_labels(variants)
    if duplicates:
        problem(("matrix",), f"two variants are the same combination: {duplicates[0]}")
        return [], problems
    return _with_slugs(variants), problems


def apply(request: Mapping[str, Any], variant: Variant) -> dict[str, Any]:
    """A copy of `request` with the variant's request paths set (mappings created as needed)."""
    body = copy.deepcopy(dict(request))
    for path, value in variant.paths().items():
        node: Any = body
        for part in path[:-1]:
            if isinstance(node, dict):
                node = node.setdefault(part, {})
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                node = None
                break
        if isinstance(node, dict):
            node[path[-1]] = copy.deepcopy(value)
        elif isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
            node[path[-1]] = copy.deepcopy(value)
    return body


def variant_cassette(spec_cassette: "Path", slug: str) -> "Path":
    """A variant's own cassette, beside the spec's: `cassettes/specs/summarize.yaml` ->
    `cassettes/specs/summarize.openai-gpt-5.2--low.yaml`; re-recording one never touches another."""
    return spec_cassette.with_name(f"{spec_cassette.stem}.{slug}{spec_cassette.suffix}")


def select(variants: Sequence[CompiledVariant], pattern: str | None) -> list[CompiledVariant]:
    """The variants `--variant PATTERN` picks: the one whose id, label or slug is `pattern`, else
    those whose id contains it or matches it as a glob (`-k`-like); all of them without a pattern."""
    if not pattern:
        return list(variants)
    import fnmatch

    exact = [v for v in variants if pattern in (v.id, v.variant.label, v.variant.slug)]
    if exact:
        return exact
    return [v for v in variants if pattern in v.id or fnmatch.fnmatchcase(v.id, pattern)]


# ---------------------------------------------------------------------------- helpers


def _valid_name(name: Any) -> bool:
    if not isinstance(name, str):
        return False
    if name.startswith(REQUEST_PREFIX):
        parts = name[len(REQUEST_PREFIX):].split(".")
        return all(_PATH_PART.match(part) for part in parts)
    return bool(_VAR_NAME.match(name))


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) and value is not None


def _entries(value: Any, key: str, problem: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, dict) and entry for entry in value):
        problem(("matrix", key), f"matrix.{key} must be a list of mappings (name: value)")
        return []
    return value


def _shown_names(names: Sequence[str]) -> dict[str, str]:
    """How each name is shown in ids: a var as written, a path by its last segment unless shared."""
    unique = list(dict.fromkeys(names))
    last = {name: name.rsplit(".", 1)[-1] if name.startswith(REQUEST_PREFIX) else name for name in unique}
    counts: dict[str, int] = {}
    for short in last.values():
        counts[short] = counts.get(short, 0) + 1
    return {name: short if counts[short] == 1 else name[len(REQUEST_PREFIX):] if name.startswith(REQUEST_PREFIX) else name
            for name, short in last.items()}


def _text(value: Any) -> str:
    """A value as its id shows it: as written, a long one cut with a digest of the whole."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (str, int, float)):
        text = str(value)
    else:
        text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    if len(text) > _SHOWN_MAX:
        text = text[:_SHOWN_MAX - 10] + "~" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return text


def _duplicate_labels(variants: Sequence[Variant]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for variant in variants:
        if variant.label in seen:
            repeated.append(variant.label)
        seen.add(variant.label)
    return repeated


def _slug_of(variant: Variant) -> str:
    parts = [re.sub(r"[^a-z0-9._]+", "-", _text(value).lower()).strip("-.") or "x" for value in variant.values.values()]
    return "--".join(parts)


def _with_slugs(variants: list[Variant]) -> list[Variant]:
    """Each variant with a slug unique among them: readable, short, and the same on every run."""
    slugs = [_slug_of(v) for v in variants]
    out = []
    for variant, slug in zip(variants, slugs):
        digest = hashlib.sha1(variant.label.encode("utf-8")).hexdigest()[:8]
        if len(slug) > _SLUG_MAX:
            slug = slug[:_SLUG_MAX].rstrip("-.") + "-" + digest
        elif slugs.count(slug) > 1:
            slug = f"{slug}-{digest}"
        out.append(Variant(variant.values, variant.origins, variant.label, slug))
    return out
