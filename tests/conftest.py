"""Shared test helpers: run the CLI in-process, find the shared reference material.

Tests import them as `from conftest import run_cli` (the module pytest itself loaded: `tests/` has
no `__init__.py`, so pytest puts it on sys.path), never as `tests.conftest`, which would load a
second copy of this module.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SPECS = REPO / "specs"

# Fuzzing budgets (tests/robustness): the default run stays fast; `--hypothesis-profile deep` digs.
# Registered here because hypothesis loads the chosen profile before sub-folder conftests are read.
from hypothesis import settings as _hypothesis_settings  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir as _set_hypothesis_home_dir  # noqa: E402

# Hypothesis keeps its example database (and caches) in `.hypothesis/` of the working folder, which
# is the checkout: they go to the temporary folder instead (the suite writes nothing into the
# checkout), unless HYPOTHESIS_STORAGE_DIRECTORY names a place. A failing fuzz example is kept in
# the checkout on purpose, under tests/robustness/regressions/.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    _set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "specc-hypothesis")

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


# ---------------------------------------------------------------------------- the checkout stays clean

# What the suite may leave in the checkout: the interpreter's and the tools' own folders.
_NOT_WATCHED = {".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache"}


def _checkout_state() -> dict[str, tuple[int, int]]:
    """Every file of the checkout outside `_NOT_WATCHED`, with its size and modification time."""
    state: dict[str, tuple[int, int]] = {}
    for folder, subfolders, files in os.walk(REPO):
        subfolders[:] = [name for name in subfolders if name not in _NOT_WATCHED
                         and not os.path.exists(os.path.join(folder, name, "pyvenv.cfg"))]
        for name in files:
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            state[os.path.relpath(path, REPO)] = (info.st_size, info.st_mtime_ns)
    return state


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # once per run: in the xdist controller, or alone
        session.config.stash[_CHECKOUT] = _checkout_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test created, changed or removed a file of the checkout: tests work in
    `tmp_path` (and lint with `--no-cache` or in a temporary project, so no `.specc_cache/` appears)."""
    before = session.config.stash.get(_CHECKOUT, None)
    if before is None:
        return
    after = _checkout_state()
    touched = sorted({path for path in before.keys() | after.keys() if before.get(path) != after.get(path)})
    if not touched:
        return
    what = {path: "created" if path not in before else "removed" if path not in after else "changed"
            for path in touched}
    shown = [f"  {what[path]}: {path}" for path in touched[:20]]
    more = [f"  ... and {len(touched) - 20} more"] if len(touched) > 20 else []
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = "\n".join(["the test suite wrote into the checkout (tests must use tmp_path):", *shown, *more])
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_sep("=", "checkout not clean", red=True)
        reporter.write_line(message)
    else:
        print(message)
    if session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_CHECKOUT = pytest.StashKey[dict[str, tuple[int, int]]]()
