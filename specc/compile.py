"""Compile a spec's request into the exact JSON body: placeholders filled, nothing else changed."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from .matrix import Variant
    from .model import Spec
    from .specfile import SpecFile

# `{{ name }}` or `{{ env.NAME }}`, each with an optional default after a bar
# (`{{ env.MODEL | openai/gpt-4o }}`), or the escape `\{{`, which stands for two literal braces.
# Anything else between braces (`{{"json": true}}`, `{{ 1 }}`, `{{ a-b }}`) is left alone.
PLACEHOLDER = re.compile(r"\\(\{\{)|\{\{\s*(env\.)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|([^{}]*?))?\s*\}\}")


@dataclass(frozen=True)
class Unresolved:
    """A placeholder nothing resolves, at `pointer` in the request: left in the body as written."""

    pointer: tuple[str | int, ...]
    name: str  # "customer", or "env.NAME" for an environment variable
    text: str = ""  # the placeholder as written, e.g. "{{ name }}"

    @property
    def is_env(self) -> bool:
        return self.name.startswith("env.")


def render(request: Any, variables: Mapping[str, Any], environ: Mapping[str, str] | None = None
           ) -> tuple[Any, list[Unresolved]]:
    """Return a copy of `request` with placeholders replaced, and those that could not be.

    A placeholder takes its var (or environment variable), else its default; one with
    neither stays in the body as written and is listed, so that no caller can send it
    without seeing it. `\\{{` becomes `{{`: the way to write braces that look like a placeholder.
    """
    env = os.environ if environ is None else environ
    missing: list[Unresolved] = []

    def substitute(text: str, pointer: tuple[str | int, ...]) -> str:
        def replace(match: re.Match[str]) -> str:
            escaped, is_env, name, default = match.groups()
            if escaped:
                return escaped
            source = env if is_env else variables
            if name in source:
                value = source[name]
                if isinstance(value, bool):
                    return "true" if value else "false"
                return str(value)
            if default is not None:
                return default.strip()
            missing.append(Unresolved(pointer, ("env." if is_env else "") + name, match.group(0)))
            return match.group(0)

        return PLACEHOLDER.sub(replace, text) if "{{" in text else text

    def walk(value: Any, pointer: tuple[str | int, ...]) -> Any:
        if isinstance(value, str):
            return substitute(value, pointer)
        if isinstance(value, dict):
            return {key: walk(item, (*pointer, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, (*pointer, index)) for index, item in enumerate(value)]
        return value

    return walk(request, ()), missing


def compile_request(spec: SpecFile | Spec, cli_vars: Mapping[str, str] | None = None,
                    environ: Mapping[str, str] | None = None, variant: Variant | None = None,
                    braces: bool = True) -> tuple[dict[str, Any], list[Unresolved]]:
    """The body of `spec` (or of one variant of its matrix) with placeholders filled from `vars`,
    `cli_vars` and the environment; a variant's values win over both (pick a variant instead).
    `braces=False` (the loader saw no "{{" in any string of the spec) skips the walk."""
    variables: dict[str, Any] = dict(spec.vars or {})
    variables.update(cli_vars or {})
    request = spec.request
    if variant is not None:
        from .matrix import apply

        request = apply(request, variant)
        variables.update(variant.vars())
    if not braces:
        return request, []
    return render(request, variables, environ)


def escape_placeholders(value: Any) -> Any:
    """`value` with every placeholder and escape written so that `render` gives `value` back:
    how a real request body becomes a spec's `request:` without a brace changing meaning."""
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda match: "\\" + match.group(0), value) if "{{" in value else value
    if isinstance(value, dict):
        return {key: escape_placeholders(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escape_placeholders(item) for item in value]
    return value


def to_json(body: Any) -> str:
    """The body as the JSON text `specc compile` prints: 2-space indent, keys in the spec's order."""
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def canonical_json(body: Any) -> bytes:
    """A canonical byte form (sorted keys, no spaces) for hashing and JSON-equal matching."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
