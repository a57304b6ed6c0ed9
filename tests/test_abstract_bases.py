"""Bases only (`abstract: true`, issue 17): checked for what they hold, never for what only a
complete request needs, and never sent, recorded or collected as a test."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

from specc.load import declares_abstract, load_document

BASE = "abstract: true\nrequest:\n  provider:\n    sort: price\n    data_collection: deny\n"
SPEC = "extends: base.yaml\nrequest:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "specs").mkdir()
    return tmp_path


def _lint(project, *paths: str) -> list[tuple[str, str, int]]:
    result = run_cli("lint", "--format", "json", "--no-cache", *paths, cwd=project)
    assert "Traceback" not in result.err
    return [(d["path"], d["code"], d["line"]) for d in json.loads(result.out)["diagnostics"]]


def test_a_base_that_only_sets_provider_is_clean(project):
    """Seen: a base that only sets `provider:` drew `S101 request: needs one of: messages, prompt`."""
    (project / "specs" / "base.yaml").write_text(BASE)
    assert _lint(project, "specs") == []
    (project / "specs" / "base.yaml").write_text(BASE.replace("abstract: true\n", ""))
    assert _lint(project, "specs") == [("specs/base.yaml", "S101", 2)]


def test_a_base_is_checked_for_the_values_it_holds(project):
    (project / "specs" / "base.yaml").write_text(
        BASE + "  temperature: 9\n  top_p: hot\n  tool_choice: auto\n  reasoning: {effort: high, max_tokens: 10}\n")
    found = {(code, line) for _, code, line in _lint(project, "specs")}
    # range (OR410) and type (S101) problems of values written, and a conflict of two written values
    # (OR201); not "tool_choice without tools" (OR713): a spec extending the base may send tools.
    assert found == {("OR410", 6), ("S101", 7), ("OR201", 9)}


def test_abstract_is_not_inherited(project):
    (project / "specs" / "base.yaml").write_text(BASE)
    (project / "specs" / "child.yaml").write_text("extends: base.yaml\nrequest:\n  temperature: 0.1\n")
    assert _lint(project, "specs") == [("specs/child.yaml", "S101", 3)]  # the child must be complete


def test_specc_test_does_not_list_a_base(project):
    """Seen: `specc test` listed the base as SKIP and suggested recording it."""
    (project / "specs" / "base.yaml").write_text(BASE)
    (project / "specs" / "child.yaml").write_text(SPEC)
    result = run_cli("test", "specs", cwd=project)
    assert "base.yaml" not in result.out
    assert "SKIP specs/child.yaml" in result.out and "1 base spec(s) not tested" in result.out
    only = run_cli("test", "specs/base.yaml", cwd=project)
    assert only.code == 2 and "only 1 base spec(s)" in only.err
    assert run_cli("test", "--allow-empty", "specs/base.yaml", cwd=project).code == 0


def test_a_base_is_never_compiled_or_sent(project, loopback):
    (project / "specs" / "base.yaml").write_text(BASE + "  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n")
    compiled = run_cli("compile", "specs/base.yaml", cwd=project)
    assert compiled.code == 2 and "is a base (`abstract: true`)" in compiled.err and compiled.out == ""
    sent = run_cli("send", "--record", "specs/base.yaml", "--base-url", loopback.base_url, cwd=project,
                   env={"OPENROUTER_API_KEY": "sk-or-v1-" + "1" * 64})
    assert sent.code == 2 and "never sent" in sent.err
    assert loopback.requests == [] and not (project / "cassettes").exists()


@pytest.mark.parametrize("text", [
    "abstract: true\nrequest: {}\n", "abstract: True  # a base\nrequest: {}\n", "request: {}\nabstract: true\n",
    '{"abstract": true, "request": {}}', "abstract: false\nrequest: {}\n", "request: {}\n",
    "request:\n  abstract: true\n", "# abstract: true\nrequest: {}\n",
])
def test_the_cheap_test_agrees_with_the_loaded_spec(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    data = load_document(path).data
    assert data is not None
    assert declares_abstract(text) == (data.get("abstract") is True)


def test_a_problem_in_a_base_is_reported_once_at_the_base(project):
    """Seen: with a catalog present, one problem in a base was printed (and annotated, and
    counted) once per spec extending it."""
    from _catalogs import write_catalog

    write_catalog(project)
    (project / "specs" / "base.yaml").write_text(
        "abstract: true\nrequest:\n  model: openai/gpt-4o-nonexistent\n  temperature: 9\n")
    for name in ("a", "b", "c"):
        (project / "specs" / f"{name}.yaml").write_text(
            "extends: base.yaml\nrequest:\n  messages: [{role: user, content: hi}]\n")
    runs = [run_cli("lint", "--format", "github", *extra, "specs", cwd=project)
            for extra in (["--no-cache"], [], [], ["--no-cache", "--jobs", "2"])]  # fresh, cached, again, workers
    assert len({run.out for run in runs}) == 1, [run.out for run in runs]
    lines = runs[0].out.splitlines()
    assert [line.split(",")[0] for line in lines] == ["::error file=specs/base.yaml"] * 2  # OR117 and OR410, once each
    assert all("affects 3 specs extending it: specs/a.yaml, specs/b.yaml, specs/c.yaml" in line for line in lines)
    text = run_cli("lint", "specs", cwd=project)
    assert "Found 2 errors" in text.out
