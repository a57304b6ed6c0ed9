"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit tool in a real `git commit`.

pre-commit clones this checkout at its HEAD commit and pip-installs it into its own
environment (from PyPI or the configured index), so this test sees the committed
hooks, not the working tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

GOOD = "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: Say hi.\n"
BAD = GOOD + "  temperature: hot\n"


def _git(*args: str, cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check, timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists() or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("the checkout is not a git repository")
    root = tmp_path_factory.mktemp("precommit")
    work = root / "work"
    work.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(root / "cache"), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", "NO_COLOR": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("OPENROUTER_API_KEY", None)
    _git("init", "-q", "-b", "main", cwd=work, env=env)
    (work / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {REPO.as_posix()}\n"
        f"    rev: {head.stdout.strip()}\n"
        "    hooks:\n      - id: specc-lint\n      - id: specc-compile-check\n")
    (work / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    subprocess.run([str(pre_commit), "install"], cwd=work, env=env, check=True, capture_output=True, timeout=120)
    return work, env


def test_the_config_itself_is_not_linted_and_a_good_spec_commits(project):
    work, env = project
    (work / "specs").mkdir()
    (work / "specs" / "good.yaml").write_text(GOOD)
    _git("add", ".", cwd=work, env=env)
    result = _git("commit", "-m", "good", cwd=work, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "specc lint" in result.stdout + result.stderr  # the hooks ran (and passed)


def test_a_bad_spec_is_refused_with_the_diagnostic(project):
    work, env = project
    (work / "specs" / "bad.yaml").write_text(BAD)
    _git("add", "specs/bad.yaml", cwd=work, env=env)
    result = _git("commit", "-m", "bad", cwd=work, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "specs/bad.yaml:6:16: S101" in output
    assert output.count("Failed") == 2  # both hooks: lint, and the compile check
    assert "bad" not in _git("log", "--format=%s", cwd=work, env=env).stdout.split()
