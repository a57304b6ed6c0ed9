"""The response contract over every real recorded exchange in ../shared/corpus (issue 14).

Every answer the live API really sent fits the contract (the vendored schema with specc's
overlay), and an answer that is an error the API reported after HTTP 200 (an `error` in the
body or on a choice, a mid-stream error event, finish_reason `error`) is reported as that,
never as a contract failure; `specc test` keeps the two apart, and a recording of such an
error passes once its `expect:` states it. Uses scripts/corpus.py's evaluation, so the
figures it prints and this test cannot disagree.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not (CORPUS / "responses").is_dir(), reason="../shared/corpus is absent")


def _corpus_script():
    """scripts/corpus.py as a module (not a package: `tests/corpus` already takes the name `corpus`)."""
    name = "specc_corpus_script"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "corpus.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is made
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def script():
    return _corpus_script()


@pytest.fixture(scope="module")
def pairs(script):
    return script.corpus_pairs()


def carries_an_api_error(pair) -> bool:
    """A plain reading of the recorded text, independent of specc's SSE parser and contract."""
    if pair.stream:
        values = [json.loads(line[6:]) for line in pair.body.splitlines()
                  if line.startswith("data: ") and line[6:].strip() != "[DONE]"]
    else:
        values = [json.loads(pair.body)]
    return any(value.get("error") is not None
               or any(c.get("error") is not None or c.get("finish_reason") == "error" for c in value.get("choices") or [])
               for value in values)


def test_every_real_answer_fits_the_contract_or_is_reported_as_an_api_error(script, pairs, schemas):
    assert len(pairs) > 1000
    wrong = []
    for pair in pairs:
        problems, api_errors = script.contract_verdict(pair, schemas)
        expected_error = pair.status == 200 and carries_an_api_error(pair)
        if problems or bool(api_errors) != expected_error:
            wrong.append((pair.name, pair.status, problems[:2], api_errors[:1], expected_error))
    assert wrong == []


def test_the_api_errors_in_200s_are_few_and_reported_with_their_message(script, pairs, schemas):
    reported = {}
    for pair in pairs:
        if pair.status == 200:
            _, api_errors = script.contract_verdict(pair, schemas)
            if api_errors:
                reported[pair.name] = api_errors[0]
    assert 0 < len(reported) < 20  # a handful of real upstream failures, not a shape the contract misreads
    assert all(": code " in text and not text.endswith(": ''") for text in reported.values()), reported


def test_a_recorded_api_error_passes_specc_test_once_expect_states_it(script, pairs, checker, tmp_path):
    """End to end, through `specc test`'s checks: unstated, the error fails as `api_error` (never as
    `response`); stated by its code, the same recording passes."""
    from specc.contract import PASSED, check_spec

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'corpus'\n", "utf-8")
    tried = 0
    for pair in pairs:
        if pair.status != 200 or not carries_an_api_error(pair):
            continue
        path = script.write_pair(pair, tmp_path)
        result = checker.check_path(path)
        if result.has_errors:  # the request's lint verdict is the corpus lint tests' business
            continue
        tried += 1
        checks = {c.name: c for c in check_spec(result, checker.schemas).checks}
        assert checks["response"].ok and not checks["api_error"].ok, pair.name
        path.write_text(json.dumps({"request": pair.request, "expect": {"api_error": {"code": 502}}}), "utf-8")
        outcome = check_spec(checker.check_path(path), checker.schemas)
        assert outcome.status == PASSED, (pair.name, [c for c in outcome.checks if not c.ok])
    assert tried >= 3
