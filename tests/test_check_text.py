"""Checking text that is not (yet) on disk: what the language server does with an editor's buffers.

`Checker.check_text` must say exactly what `check_path` says once the text is saved, and
`texts` stands in for bases and includes too, limits and all.
"""

from __future__ import annotations

import os

from specc.check import Checker
from specc.fix import plan_fixes
from specc.load import Limits, load_document
from specc.rules import all_rules

SPEC = "request:\n  model: openai/gpt-4o\n  temprature: 0.7\n  route: fallback\n  messages:\n    - role: user\n      content: hi\n"


def _project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    return tmp_path


def test_checking_a_text_says_what_checking_the_saved_file_says(checker, tmp_path):
    path = _project(tmp_path) / "spec.yaml"
    path.write_text("request: {model: m, messages: [{role: user, content: old}]}\n")
    from_text = checker.check_text(path, SPEC, display="spec.yaml")
    path.write_text(SPEC)
    from_file = checker.check_path(path, display="spec.yaml")
    assert from_text.diagnostics == from_file.diagnostics
    assert {d.code for d in from_text.diagnostics} >= {"S102", "OR103"}
    assert from_text.body == from_file.body


def test_a_text_for_a_file_that_does_not_exist_yet(checker, tmp_path):
    path = _project(tmp_path) / "new.yaml"
    result = checker.check_text(path, SPEC)
    assert "S102" in {d.code for d in result.diagnostics} and not path.exists()


def test_texts_stand_in_for_a_base_and_an_include(checker, tmp_path):
    root = _project(tmp_path)
    (root / "base.yaml").write_text("request:\n  model: openai/gpt-4o\n  temperature: 0.2\n")
    (root / "prompt.md").write_text("saved prompt")
    spec = root / "spec.yaml"
    spec.write_text("extends: base.yaml\nrequest:\n  messages:\n    - role: user\n      content: !file prompt.md\n")
    assert checker.check_path(spec).diagnostics == []
    texts = {os.path.realpath(root / "base.yaml"): "request:\n  model: openai/gpt-4o\n  temperature: hot\n",
             os.path.realpath(root / "prompt.md"): "unsaved prompt"}
    result = checker.check_path(spec, texts=texts)
    assert [d.code for d in result.diagnostics] == ["S101"]
    assert result.diagnostics[0].path.endswith("base.yaml")
    assert result.body["messages"][0]["content"] == "unsaved prompt"
    doc = load_document(spec, texts=texts)
    assert {os.path.realpath(f) for f in doc.files} == {os.path.realpath(root / n) for n in ("spec.yaml", "base.yaml", "prompt.md")}


def test_a_text_over_the_size_limit_is_refused_as_the_file_would_be(schemas, tmp_path):
    checker = Checker(schemas=schemas, rules=[r() for r in all_rules()], limits=Limits(max_file_bytes=64))
    path = _project(tmp_path) / "spec.yaml"
    from_text = checker.check_text(path, SPEC, display="spec.yaml")
    path.write_text(SPEC)
    assert from_text.diagnostics == checker.check_path(path, display="spec.yaml").diagnostics
    assert [d.code for d in from_text.diagnostics] == ["E007"]


def test_fixes_are_planned_on_the_checked_text(checker, tmp_path):
    path = _project(tmp_path) / "spec.yaml"
    path.write_text("request: {}\n")
    result = checker.check_text(path, SPEC)
    plan = plan_fixes(result, path, text=SPEC)
    assert plan is not None and plan.original == SPEC and plan.changed
    assert "route" not in plan.fixed and "temprature" in plan.fixed
    assert path.read_text() == "request: {}\n"  # nothing written
