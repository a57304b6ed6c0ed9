"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit tool in a real `git commit`.

The config is the README's pre-commit snippet as written, with only its `repo:` (the
project's URL) pointed at this checkout. pre-commit clones this checkout at the README's
pinned commit and pip-installs it into its own environment (from PyPI or the configured
index), so this test sees committed hooks, not the working tree; a test holds the pinned
commit's hooks file to HEAD's, so the README is bumped when the hooks change.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from specc.about import repository_url
from conftest import REPO

GOOD = "request:\n  model: openai/gpt-4o\n  messages:\n    - role: user\n      content: Say hi.\n"
BAD = GOOD + "  temperature: hot\n"


def readme_precommit_snippet() -> str:
    """The `.pre-commit-config.yaml` block of the README's pre-commit section, as written."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("### pre-commit\n"):]
    match = re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", section, re.S)
    assert match, "the README's pre-commit section has no .pre-commit-config.yaml block"
    return match.group(1)


def pointed_at(snippet: str, repo: str) -> str:
    """The snippet with its one `repo:` line pointed elsewhere, every other byte kept."""
    lines = snippet.splitlines(keepends=True)
    repo_lines = [i for i, line in enumerate(lines) if line.strip().startswith("- repo:")]
    assert len(repo_lines) == 1, snippet
    lines[repo_lines[0]] = re.sub(r"repo: \S+", f"repo: {repo}", lines[repo_lines[0]])
    return "".join(lines)


def _checkout_git(*args: str) -> subprocess.CompletedProcess:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("the checkout is not a git repository")
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=60)


def test_the_readme_snippet_names_this_repository_and_pins_a_commit_of_it():
    config = yaml.safe_load(readme_precommit_snippet())
    (entry,) = config["repos"]
    assert entry["repo"] == repository_url()
    rev = entry["rev"]
    assert isinstance(rev, str) and re.fullmatch(r"[0-9a-f]{40}", rev)  # a full SHA, until tags exist
    assert _checkout_git("merge-base", "--is-ancestor", rev, "HEAD").returncode == 0, f"{rev} is not in HEAD's history"
    pinned_hooks = _checkout_git("show", f"{rev}:.pre-commit-hooks.yaml").stdout
    assert pinned_hooks == (REPO / ".pre-commit-hooks.yaml").read_text("utf-8"), \
        "the hooks changed since the README's pinned rev: pin a newer commit in the README"
    assert {h["id"] for h in entry["hooks"]} <= {h["id"] for h in yaml.safe_load(pinned_hooks)}


def _git(*args: str, cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check, timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists() or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed")
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).returncode != 0:
        pytest.skip("the checkout is not a git repository")
    root = tmp_path_factory.mktemp("precommit")
    work = root / "work"
    work.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(root / "cache"), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", "NO_COLOR": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("OPENROUTER_API_KEY", None)
    _git("init", "-q", "-b", "main", cwd=work, env=env)
    (work / ".pre-commit-config.yaml").write_text(pointed_at(readme_precommit_snippet(), REPO.as_posix()))
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


SCHEMA = '{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}\n'
STRUCTURED = GOOD + ("  response_format:\n    type: json_schema\n    json_schema:\n      name: answer\n"
                     "      schema: !file ../schemas/answer.json\n")


def test_a_staged_include_alone_fails_the_commit_when_a_spec_that_reads_it_breaks(project):
    """Only the JSON schema is staged: no spec is, and the hook still checks the spec that includes it."""
    work, env = project
    _git("reset", "-q", cwd=work, env=env)  # what an earlier refused commit left staged
    (work / "specs" / "bad.yaml").unlink(missing_ok=True)
    (work / "schemas").mkdir(exist_ok=True)
    (work / "specs").mkdir(exist_ok=True)
    (work / "schemas" / "answer.json").write_text(SCHEMA)
    (work / "specs" / "structured.yaml").write_text(STRUCTURED)
    _git("add", "schemas/answer.json", "specs/structured.yaml", cwd=work, env=env)
    first = _git("commit", "-m", "structured", cwd=work, env=env, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    (work / "schemas" / "answer.json").write_text(SCHEMA.replace('"a"]', '"a",]'))  # a typo: no longer JSON
    _git("add", "schemas/answer.json", cwd=work, env=env)
    assert _git("diff", "--cached", "--name-only", cwd=work, env=env).stdout.split() == ["schemas/answer.json"]
    result = _git("commit", "-m", "broken-schema", cwd=work, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "specs/structured.yaml:10:15: E005 !file ../schemas/answer.json: invalid JSON" in output
    assert output.count("Failed") == 2  # both hooks re-checked the spec
    assert "broken-schema" not in _git("log", "--format=%s", cwd=work, env=env).stdout.split()


APP = {
    "app/prompts/system.md": "You triage support tickets for Acme.\n",
    "app/schemas/ticket.json": '{"type": "object", "properties": {"team": {"type": "string"}}, "required": ["team"]}\n',
    "app/specs/base/default.yaml": (
        "abstract: true\nrequest:\n  model: \"{{ env.HELPDESK_MODEL | openai/gpt-4o }}\"\n"
        "  provider: {data_collection: deny}\n  messages:\n    - role: system\n"
        "      content: !file ../../prompts/system.md\n"),
    "app/specs/triage.yaml": (
        "extends: base/default.yaml\nrequest:\n  messages:\n    - role: system\n      content: !file ../prompts/system.md\n"
        "    - role: user\n      content: \"{{ env.TICKET_TEXT }}\"\n  response_format:\n    type: json_schema\n"
        "    json_schema: {name: ticket, schema: !file ../schemas/ticket.json}\n"),
    "app/specs/js/ping.json": '{"request": {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "ping"}]}}\n',
}


def test_the_application_repo_scenario_end_to_end(project):
    """Issue 17's scenario: a base only, an included JSON schema, env placeholders with and without
    a default (the variables unset, as on a CI runner), a JSON spec in a folder."""
    work, env = project
    _git("reset", "-q", cwd=work, env=env)
    for name, text in APP.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    _git("add", "app", cwd=work, env=env)
    first = _git("commit", "-m", "app", cwd=work, env=env, check=False)
    assert first.returncode == 0, first.stdout + first.stderr  # I001 notes only: lint needs no environment

    (work / "app/specs/js/ping.json").write_text(APP["app/specs/js/ping.json"].replace('"ping"}]', '"ping"}], "top_p": "x"'))
    _git("add", "app/specs/js/ping.json", cwd=work, env=env)
    broken_json = _git("commit", "-m", "ping-broken", cwd=work, env=env, check=False)
    assert broken_json.returncode != 0 and "app/specs/js/ping.json:1:" in broken_json.stdout + broken_json.stderr
    _git("checkout", "--", ".", cwd=work, env=env, check=False)
    _git("reset", "-q", "--hard", cwd=work, env=env)

    base = work / "app/specs/base/default.yaml"
    base.write_text(APP["app/specs/base/default.yaml"] + "  temperature: 9\n")
    _git("add", "app/specs/base/default.yaml", cwd=work, env=env)
    broken_base = _git("commit", "-m", "base-broken", cwd=work, env=env, check=False)
    output = broken_base.stdout + broken_base.stderr
    assert broken_base.returncode != 0, output
    assert output.count("app/specs/base/default.yaml:8:16: OR410") == 1, output  # once, though triage reads it too
    assert "base-broken" not in _git("log", "--format=%s", cwd=work, env=env).stdout.split()
