"""Compile a spec's request into the exact JSON body: placeholders filled, nothing else changed."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any, Mapping

# `{{ name }}` or `{{ env.NAME }}`; anything else between braces is left alone.
PLACEHOLDER = re.compile(r"\{\{\s*(env\.)?([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


@dataclass(frozen=True)
class Unresolved:
    """A placeholder nothing resolves, at `pointer` in the request."""

    pointer: tuple
    name: str
    text: str = ""  # the placeholder as written, e.g. "{{ name }}"


def placeholders_active(spec_vars: Mapping[str, Any] | None, cli_vars: Mapping[str, str] | None) -> bool:
    """Substitution is on when the spec declares `vars` or the caller passes any; else strings are literal."""
    return spec_vars is not None or bool(cli_vars)


def render(request: Any, variables: Mapping[str, Any], environ: Mapping[str, str] | None = None,
           active: bool = True) -> tuple[Any, list[Unresolved]]:
    """Return a copy of `request` with placeholders replaced, and those that could not be."""
    env = os.environ if environ is None else environ
    missing: list[Unresolved] = []
    if not active:
        return request, missing

    def substitute(text: str, pointer: tuple) -> str:
        def replace(match: re.Match) -> str:
            is_env, name = match.group(1), match.group(2)
            source = env if is_env else variables
            if name in source:
                value = source[name]
                if isinstance(value, bool):
                    return "true" if value else "false"
                return str(value)
            missing.append(Unresolved(pointer, ("env." if is_env else "") + name, match.group(0)))
            return match.group(0)

        return PLACEHOLDER.sub(replace, text) if "{{" in text else text

    def walk(value: Any, pointer: tuple) -> Any:
        if isinstance(value, str):
            return substitute(value, pointer)
        if isinstance(value, dict):
            return {key: walk(item, (*pointer, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, (*pointer, index)) for index, item in enumerate(value)]
        return value

    return walk(request, ()), missing


def to_json(body: Any) -> str:
    """The body as the JSON text `specc compile` prints: 2-space indent, keys in the spec's order."""
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def canonical_json(body: Any) -> bytes:
    """A canonical byte form (sorted keys, no spaces) for hashing and JSON-equal matching."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
