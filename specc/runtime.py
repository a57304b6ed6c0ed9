"""Specs at runtime: the application loads the spec it lints and sends what `specc compile` prints.

    spec = specc.load_spec("specs/support-reply.yaml", vars={"customer": "Ada"})
    client.chat.completions.create(**specc.to_openai_kwargs(spec))
    ...
    body = spec.compile(vars={"customer": "Grace"})   # per request: no file is read again

`load_spec` runs the same pipeline as `specc lint`/`specc compile` (load → model →
compile → schema → rules, with the project's `[tool.specc]` config) and raises
`SpecError` on any error, so a spec that does not lint cleanly never reaches the
API. `LoadedSpec.compile` re-renders the placeholders and re-validates the body
against the schema (microseconds on the fast path); the rules ran once, at load.
"""

from __future__ import annotations

from .errors import SpeccError

import copy
import functools
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .check import Checker
from .compile import compile_request
from .diagnostics import Diagnostic, Severity, Span, core
from .load import Document
from .model import Spec
from .positions import narrow_to_text
from .secrets import scrub

if TYPE_CHECKING:
    from .config import Config

VarValue = str | int | float | bool


class SpecError(SpeccError):
    """A spec that cannot be used: its error diagnostics, readable as `path:line:col: CODE message` lines."""

    def __init__(self, path: str, diagnostics: list[Diagnostic]):
        self.path = path
        self.diagnostics = diagnostics
        lines = [f"{d.span.path}:{d.span.line}:{d.span.column}: {d.code} {d.message}" for d in diagnostics]
        count = len(diagnostics)
        super().__init__(scrub(f"{path}: {count} error{'s' if count != 1 else ''}\n" + "\n".join(lines)))


@functools.lru_cache(maxsize=8)
def default_checker(config_file: str | None) -> Checker:
    """The checker for the project whose config is `config_file` (None: the defaults).

    Cached per config file for the life of the process: the schema validators and
    rules are built on the first `load_spec` and reused. A config edited while the
    process runs is not re-read; call `default_checker.cache_clear()` to pick it up,
    or build a checker yourself (`specc.build_checker(config)`) and pass `checker=`.
    """
    from .config import load_config
    from .lint import build_checker

    return build_checker(load_config(Path(config_file) if config_file else None))


def checker_for(path: str | os.PathLike[str]) -> Checker:
    """The cached default checker for the project holding `path` (its nearest `[tool.specc]`)."""
    from .config import find_config_file

    config_file = find_config_file(Path(path))
    return default_checker(str(config_file) if config_file else None)


@dataclass(frozen=True)
class LoadedSpec:
    """A checked spec, ready to send: `body` is the compiled request, `headers` its attribution headers.

    `headers` holds what `specc send` adds besides the key: HTTP-Referer / X-OpenRouter-Title /
    X-OpenRouter-Categories from the config, overridden by the spec's own `headers:`. It never
    holds Authorization. `body` is a fresh dict owned by the caller; `compile()` always starts
    again from the spec, so changing `body` does not change later compilations.
    """

    path: str
    spec: Spec
    body: dict[str, Any]
    headers: dict[str, str]
    vars: Mapping[str, VarValue] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()
    config: "Config | None" = field(default=None, repr=False)
    document: Document | None = field(default=None, repr=False, compare=False)
    checker: Checker | None = field(default=None, repr=False, compare=False)
    variant: Any = field(default=None, repr=False)  # of a matrix spec: the `matrix.Variant` loaded

    @property
    def name(self) -> str:
        return self.spec.name or Path(self.path).stem

    @property
    def endpoint(self) -> str:
        return self.spec.endpoint

    def compile(self, vars: Mapping[str, VarValue] | None = None,
                environ: Mapping[str, str] | None = None, validate: bool = True) -> dict[str, Any]:
        """The body with placeholders filled from the spec's `vars:`, the vars given at load, then `vars`.

        Reads no file. Raises SpecError for a placeholder nothing resolves or, with
        `validate`, a body the schema rejects (a var can carry any string).
        """
        body, unresolved = compile_request(self.spec, _as_strings({**self.vars, **(vars or {})}), environ, self.variant)
        problems = [self._unresolved(missing) for missing in unresolved]
        if validate and not problems and self.checker is not None and self.document is not None:
            problems = [d for d in self.checker.schema_diagnostics(self.document, body)
                        if d.severity is Severity.ERROR]
        if problems:
            raise SpecError(self.path, problems)
        return copy.deepcopy(body)  # the spec's own request must never be shared with the caller

    def with_vars(self, vars: Mapping[str, VarValue] | None = None, **more: VarValue) -> "LoadedSpec":
        """A copy compiled with more vars (`spec.with_vars(customer="Ada")`); reads no file."""
        merged = {**self.vars, **(vars or {}), **more}
        return replace(self, body=self.compile(merged), vars=merged)

    def _unresolved(self, missing: Any) -> Diagnostic:
        pointer = ("request", *missing.pointer)
        if self.document is not None:
            span = narrow_to_text(self.document.sources, self.document.span_of(pointer), missing.text, 0)
        else:
            span = Span.whole_file(self.path)
        name = missing.name
        why = (f"environment variable {name[4:]} is not set" if name.startswith("env.")
               else f"no var {name!r} (declare it under `vars:` or pass it in vars=)")
        return core("E004", f"unresolved placeholder {{{{ {name} }}}}: {why}", span, pointer=pointer)


def load_spec(path: str | os.PathLike[str], vars: Mapping[str, VarValue] | None = None, *,
              checker: Checker | None = None, variant: str | None = None) -> LoadedSpec:
    """Load, check and compile the spec at `path`, as `specc compile` does; raise SpecError on errors.

    `vars` fill `{{ name }}` placeholders over the spec's own `vars:`. `checker` defaults to
    one built once per config file and cached (see `default_checker`); pass your own to choose
    the config or rules. Warnings do not stop loading; they are kept in `.warnings`. Of a matrix
    spec, `variant` picks one variant (its id, label or slug, as `specc compile --variant`).
    """
    from .send import attribution_headers

    checker = checker or checker_for(path)
    result = checker.check_path(path, _as_strings(vars))
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    body, loaded_variant = result.body, None
    if result.variants and not errors:
        from .matrix import select

        picked = select(result.variants, variant) if variant else []
        if len(picked) != 1:
            ids = ", ".join(v.id for v in result.variants)
            message = (f"a matrix spec of {len(result.variants)} variants: pass variant= one of {ids}" if not variant
                       else f"variant {variant!r} matches {len(picked)} of the variants: {ids}")
            raise SpecError(os.fspath(path), [core("E010", message, Span.whole_file(os.fspath(path)))])
        body, loaded_variant = picked[0].body, picked[0].variant
    if errors or result.spec is None or body is None:
        raise SpecError(os.fspath(path), errors or [core("E006", "not a usable spec", Span.whole_file(os.fspath(path)))])
    return LoadedSpec(
        path=os.fspath(path), spec=result.spec, body=copy.deepcopy(body),
        headers=attribution_headers(result.spec, checker.config), vars=dict(vars or {}),
        warnings=tuple(result.diagnostics), config=checker.config, document=result.document, checker=checker, variant=loaded_variant)


def _as_strings(vars: Mapping[str, VarValue] | None) -> dict[str, str] | None:
    """Vars as `--var` would give them: placeholders are text, and true/false are written as in YAML."""
    if not vars:
        return None
    return {name: ("true" if value else "false") if isinstance(value, bool) else str(value)
            for name, value in vars.items()}
