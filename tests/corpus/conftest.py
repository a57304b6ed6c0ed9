"""The whole shared corpus evaluated once per session, by scripts/corpus.py's own evaluation."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from conftest import REPO, SHARED


def corpus_script() -> ModuleType:
    """scripts/corpus.py as a module, so that the tests and the script measure the same way."""
    name = "specc_corpus_script"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "corpus.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def corpus() -> ModuleType:
    if not (SHARED / "corpus" / "requests").is_dir():
        pytest.skip("../shared/corpus is absent")
    return corpus_script()


@pytest.fixture(scope="session")
def outcomes(corpus) -> list:
    """Every pair linted (default selection; with the catalog snapshot, every rule) and contract-checked."""
    if not corpus.CATALOG_SNAPSHOT.is_file():
        pytest.skip("../shared/catalog snapshot is absent")
    return list(corpus.evaluate(corpus.corpus_pairs(), every_rule=True))
