"""`specc lint` says the same thing however it runs: one process or several, cached or not.

Issue 6 made lint fast with a result cache and forked workers; neither may change a
single diagnostic or its order, for any fixture or example spec.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, run_cli

FIXTURE_TREES = [REPO / "specs", REPO / "tests" / "fixtures" / "bad", REPO / "tests" / "rules" / "cases"]


@pytest.fixture
def project(tmp_path):
    """A copy of every fixture tree in one project, so the cache lives in tmp."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'fixtures'\n")
    for tree in FIXTURE_TREES:
        shutil.copytree(tree, root / tree.name, ignore=shutil.ignore_patterns("*.expected", "specc.toml"))
    return root


def _lint(root: Path, *flags: str):
    result = run_cli("lint", "--format", "json", *flags, ".", cwd=root)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def _write(path: Path, text: str) -> None:
    """Write a file dated an hour ago: the cache does not trust a file modified as it is checked."""
    path.write_text(text)
    old = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(old, old))


@pytest.fixture
def checked(monkeypatch):
    """`checked(root)` lints `root` and returns the names of the files it had to check (not cached)."""
    import specc.batch

    names: list[str] = []
    real = specc.batch.check_many

    def recording(checker, paths, *args, **kwargs):
        names.extend(os.path.basename(path) for path in paths)
        return real(checker, paths, *args, **kwargs)

    monkeypatch.setattr(specc.batch, "check_many", recording)

    def lint(root: Path, *args: str) -> set[str]:
        names.clear()
        result = run_cli("lint", "-q", *(args or (".",)), cwd=root)
        assert result.code in (0, 1), result.err
        return set(names)

    return lint


def test_jobs_and_cache_never_change_the_report(project):
    reference = _lint(project, "--no-cache", "--jobs", "1")
    assert reference[1]["summary"]["files"] > 100  # the trees were really linted
    assert reference[1]["diagnostics"], "the fixtures hold findings"
    assert _lint(project, "--no-cache", "--jobs", "2") == reference
    assert _lint(project, "--jobs", "2") == reference  # fills the cache
    assert (project / ".specc_cache").is_dir()
    assert _lint(project, "--jobs", "1") == reference  # answered from the cache
    assert _lint(project, "--jobs", "2") == reference


def test_a_changed_file_is_linted_again(project):
    spec = project / "specs" / "chat-streaming.yaml"
    first = _lint(project)
    assert not [d for d in first[1]["diagnostics"] if d["path"].endswith("chat-streaming.yaml")]
    spec.write_text(spec.read_text().replace("stream: true", "stream: true\n  temprature: 0.2"))
    again = _lint(project)
    found = [d for d in again[1]["diagnostics"] if d["path"].endswith("chat-streaming.yaml")]
    assert [d["code"] for d in found] == ["S102"]


def test_a_changed_base_spec_invalidates_its_children(project):
    base = next((project / "specs" / "base").glob("*.yaml"))
    _lint(project)
    base.write_text(base.read_text().replace("request:", "request:\n  temprature: 0.2", 1))
    children = [d for d in _lint(project)[1]["diagnostics"] if d["code"] == "S102"]
    assert children, "a spec extending the changed base must be re-linted"


def test_a_changed_file_include_invalidates_the_spec(tmp_path, checked):
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    _write(tmp_path / "format.json", '{"type": "json_object"}')
    _write(tmp_path / "spec.yaml", "request:\n  model: openai/gpt-4o\n  response_format: !file format.json\n"
                                   "  messages:\n    - role: user\n      content: hi\n")
    assert run_cli("lint", ".", cwd=tmp_path).code == 0
    assert checked(tmp_path) == set()  # cached, so the change below is what makes it checked again
    _write(tmp_path / "format.json", '{"type": "json_objectt"}')
    again = run_cli("lint", ".", cwd=tmp_path)
    assert again.code == 1 and "S101" in again.out


def test_only_what_changed_is_checked_again(project, checked):
    always = {"pass_env_placeholder.yaml"}  # reads the environment: never cached
    assert len(checked(project)) > 100
    assert checked(project) == always
    spec = project / "specs" / "chat-streaming.yaml"
    _write(spec, spec.read_text() + "\n")
    assert checked(project) == always | {"chat-streaming.yaml"}
    assert checked(project) == always
    base = project / "specs" / "base" / "support-assistant.yaml"
    _write(base, base.read_text() + "\n")
    children = checked(project) - always
    assert "support-assistant.yaml" in children and len(children) > 1  # the base and the specs extending it
    assert checked(project) == always


def test_each_file_is_recorded_once_in_the_cache(project):
    """A spec is among the files its check read (by its resolved path): it is not its own dependency."""
    _lint(project)
    [cache_file] = (project / ".specc_cache").glob("lint-*.json")
    entries = json.loads(cache_file.read_text())["entries"]
    assert len(entries) > 100
    with_deps = 0
    for path, (_, _, _, deps, _) in entries.items():
        own = os.path.realpath(project / path)
        assert all(os.path.realpath(dep[0]) != own for dep in deps), path
        with_deps += bool(deps)
    assert with_deps, "the specs extending a base list it"


def test_a_config_change_or_another_specc_starts_afresh(tmp_path, checked, monkeypatch):
    import specc

    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    _write(tmp_path / "spec.yaml", "request:\n  model: openai/gpt-4o\n  temprature: 1\n"
                                   "  messages:\n    - role: user\n      content: hi\n")
    assert checked(tmp_path) == {"spec.yaml"} and checked(tmp_path) == set()
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n[tool.specc]\nignore = ['S102']\n")
    assert checked(tmp_path) == {"spec.yaml"}
    assert "S102" not in run_cli("lint", ".", cwd=tmp_path).out
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    assert checked(tmp_path) == set()  # the first configuration's cache is still there
    assert "S102" in run_cli("lint", ".", cwd=tmp_path).out
    assert checked(tmp_path, "--var", "x=1", ".") == {"spec.yaml"}
    monkeypatch.setattr(specc, "__version__", "99.0")
    assert checked(tmp_path) == {"spec.yaml"}


def test_a_file_modified_as_it_is_checked_is_checked_again(tmp_path, checked):
    """Its content may have changed after it was read, its signature not (timestamps have a granularity)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text("request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: hi\n")
    soon = time.time_ns() + 3600 * 10**9  # still "just modified" when it is checked, however slow the machine
    os.utime(spec, ns=(soon, soon))
    assert checked(tmp_path) == {"spec.yaml"}
    assert checked(tmp_path) == {"spec.yaml"}
    _write(spec, spec.read_text())
    assert checked(tmp_path) == {"spec.yaml"}
    assert checked(tmp_path) == set()


def test_a_named_file_is_a_spec_even_when_the_cache_knows_it_is_not(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    _write(tmp_path / "ci.yml", "on: push\njobs: {}\n")
    assert run_cli("lint", "--allow-empty", ".", cwd=tmp_path).out.endswith("1 non-spec file skipped.\n")
    named = run_cli("lint", "./ci.yml", cwd=tmp_path)
    assert named.code == 1 and "E006" in named.out


def test_env_placeholders_are_never_served_from_the_cache(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    (tmp_path / "spec.yaml").write_text(
        "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: '{{ env.SPECC_TEST_TOPIC }}'\n"
        "vars: {}\n")
    missing = run_cli("lint", ".", cwd=tmp_path)
    assert missing.code == 0 and "I001 placeholder {{ env.SPECC_TEST_TOPIC }} has no value here" in missing.out
    present = run_cli("lint", ".", cwd=tmp_path, env={"SPECC_TEST_TOPIC": "tides"})
    assert present.code == 0 and "I001" not in present.out, present.out
    again = run_cli("lint", ".", cwd=tmp_path)
    assert again.out == missing.out


def test_a_cached_rerun_loads_neither_the_schema_nor_the_rules(tmp_path):
    """The point of the cache: an unchanged tree is answered without the checker's imports."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "specs", project / "specs")
    (project / "pyproject.toml").write_text("[project]\nname = 'examples'\n")
    _lint(project)
    for flags in (["-q"], []):
        probe = (
            "import sys, io\n"
            "from specc.cli import main\n"
            f"code = main(['lint', *{flags!r}, '.'], stdout=io.StringIO(), stderr=io.StringIO())\n"
            f"heavy = [m for m in {CACHED_RUN_NEVER_IMPORTS!r} if m in sys.modules]\n"
            "print(code, heavy)\n"
        )
        out = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True,
                             env=dict(os.environ, PYTHONPATH=str(REPO)), check=True).stdout
        assert out.strip().endswith("[]"), (flags, out)


# What a cached re-run has no use for: the checker and its dependencies, the other commands,
# and the standard modules that once made up half of its time.
CACHED_RUN_NEVER_IMPORTS = (
    "specc.check", "specc.schema", "specc.selection", "specc.load", "specc.batch", "specc.catalog",
    "specc.commands.compile", "specc.commands.send", "specc.suggest", "specc.atomic",
    "pydantic", "jsonschema_rs", "ruamel.yaml", "yaml", "httpx", "vcr",
    "typing", "dataclasses", "inspect", "pathlib", "hashlib", "tomllib", "importlib.resources", "zipfile",
    "pickle", "shutil", "tempfile", "contextlib", "datetime", "difflib", "fnmatch",
)


def test_non_spec_yaml_is_skipped_alike_when_workers_read_it(tmp_path):
    """Whether a walked file is a spec is seen by the worker that reads it; the count stays the same."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    spec = "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: hi {n}\n"
    (tmp_path / "specs").mkdir()
    for n in range(60):  # enough files for two workers
        _write(tmp_path / "specs" / f"s{n:02}.yaml", spec.format(n=n))
    for n in range(5):
        _write(tmp_path / "specs" / f"ci{n}.yml", "on: push\njobs: {temperature: 9}\n")
    reference = _lint(tmp_path, "--no-cache", "--jobs", "1")
    assert reference[1]["summary"] == {"files": 60, "skipped": 5, "errors": 0, "warnings": 0}
    assert _lint(tmp_path, "--no-cache", "--jobs", "2") == reference
    assert _lint(tmp_path, "--jobs", "2") == reference  # fills the cache, non-specs included
    assert _lint(tmp_path, "--jobs", "2") == reference  # answered from it
    text = run_cli("lint", ".", cwd=tmp_path).out
    assert text.endswith("5 non-spec files skipped.\n") and "ci0" not in text
