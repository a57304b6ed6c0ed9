"""Shared test helpers: run the CLI in-process, find the shared reference material."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SPECS = REPO / "specs"

# Fuzzing budgets (tests/robustness): the default run stays fast; `--hypothesis-profile deep` digs.
# Registered here because hypothesis loads the chosen profile before sub-folder conftests are read.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

# 1,000 examples a test: about 3 minutes for tests/robustness/test_fuzz.py on two loaded cores (3,000 did
# not finish in 7); hypothesis' shrinking stays bounded by its own limits.
_hypothesis_settings.register_profile("deep", max_examples=1000, deadline=None)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> CliResult:
    """Run `specc ARGS` in-process and capture its exit code and output."""
    from specc.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_cwd = os.getcwd()
    old_env = dict(os.environ)
    try:
        if cwd is not None:
            os.chdir(cwd)
        if env:
            os.environ.update(env)
        code = main(list(args), stdout=out, stderr=err)
    finally:
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when the reference material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared reference material is not checked out beside the repo)")
    return path


@pytest.fixture(scope="session")
def schemas():
    """The vendored schema set, built once for the whole run (as the CLI does once per process)."""
    from specc.schema import SchemaSet

    return SchemaSet.load()


@pytest.fixture(scope="session")
def checker(schemas):
    """A checker with every rule, as `specc lint` builds it with the default config."""
    from specc.check import Checker
    from specc.rules import all_rules

    return Checker(schemas=schemas, rules=[rule() for rule in all_rules()])


@pytest.fixture
def write_spec(tmp_path):
    """Write YAML text to a spec file in a temporary project (with a pyproject.toml); return its path."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")

    def write(text: str, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    return write


@pytest.fixture
def loopback():
    """A scriptable OpenRouter-like HTTP server on 127.0.0.1 (tests/server.py), stopped after the test."""
    from server import LoopbackServer

    with LoopbackServer() as server:
        yield server
