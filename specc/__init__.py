"""specc: lint, compile, send and replay OpenRouter request specs.

The public API is imported lazily (PEP 562) so that `specc --version` and the
pre-commit hook start fast; `from specc import load_spec` works as usual.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing costs `specc lint` more than a millisecond
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS = {
    "Checker": "specc.check",
    "CheckResult": "specc.check",
    "Config": "specc.config",
    "Diagnostic": "specc.diagnostics",
    "Document": "specc.load",
    "Limits": "specc.load",
    "SchemaSet": "specc.schema",
    "Severity": "specc.diagnostics",
    "Span": "specc.diagnostics",
    "Spec": "specc.model",
    "build_checker": "specc.lint",
    "compile_request": "specc.compile",
    "lint_paths": "specc.lint",
    "load_document": "specc.load",
    "load_spec": "specc.runtime",
    "LoadedSpec": "specc.runtime",
    "SpecError": "specc.runtime",
    "to_openai_kwargs": "specc.clients",
    "to_httpx_request": "specc.clients",
    # what the API raises on purpose, all under SpeccError
    "SpeccError": "specc.errors",
    "CassetteError": "specc.cassette",
    "CatalogError": "specc.catalog",
    "ConfigError": "specc.config",
    "MissingAPIKeyError": "specc.clients",
    "PathError": "specc.lint",
    "SchemaError": "specc.schema",
    "VendorError": "specc.vendor",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'specc' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # for type checkers and IDEs
    from .check import Checker, CheckResult
    from .compile import compile_request
    from .config import Config
    from .diagnostics import Diagnostic, Severity, Span
    from .lint import build_checker, lint_paths
    from .load import Document, Limits, load_document
    from .model import Spec
    from .runtime import LoadedSpec, SpecError, load_spec
    from .clients import to_httpx_request, to_openai_kwargs
    from .schema import SchemaError, SchemaSet
    from .catalog import CatalogError
    from .clients import MissingAPIKeyError
    from .config import ConfigError
    from .errors import SpeccError
    from .lint import PathError
    from .cassette import CassetteError
    from .vendor import VendorError
