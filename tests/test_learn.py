"""`specc schema learn`: overlay proposals from 2xx traffic, with evidence, never from refusals (issue 18)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from specc.learn import learn, read_exchanges
from specc.schema import apply_overlay, load_layers
from conftest import REPO, run_cli, shared_path

CASSETTE = REPO / "cassettes" / "specs" / "cost-capped-routing.yaml"


def _cassette_with(tmp: Path, name: str, change_response=None, change_request=None, status: int = 200) -> Path:
    data = yaml.safe_load(CASSETTE.read_text("utf-8"))
    interaction = data["interactions"][0]
    if change_response:
        body = json.loads(interaction["response"]["body"]["string"])
        change_response(body)
        interaction["response"]["body"]["string"] = json.dumps(body)
    if change_request:
        body = json.loads(interaction["request"]["body"])
        change_request(body)
        interaction["request"]["body"] = json.dumps(body)
    interaction["response"]["status"]["code"] = status
    path = tmp / "cassettes" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data))
    return path


def _unknown_finish_reason(body):
    """Two things the schema in use (with specc's overlay) does not admit: a new enum value, a null."""
    body["choices"][0]["message"]["role"] = "model"
    body["usage"]["completion_tokens"] = None


def _project(tmp: Path) -> Path:
    (tmp / "pyproject.toml").write_text("[tool.specc]\ncache = false\n")
    return tmp


def test_a_2xx_response_outside_the_schema_gets_the_smallest_patches_with_evidence(tmp_path):
    project = _project(tmp_path)
    path = _cassette_with(project, "odd", _unknown_finish_reason)
    result = run_cli("schema", "learn", cwd=project)
    assert result.code == 0, result.err
    entries = yaml.safe_load(result.out)
    by_pointer = {entry.get("append") or entry.get("set"): entry for entry in entries}
    enum = by_pointer["/$defs/ChatAssistantMessage/properties/role/enum"]
    assert enum["value"] == ["model"] and enum["evidence"] == [f"{path.relative_to(project)}#0"]
    tokens = by_pointer["/$defs/ChatUsage/properties/completion_tokens/type"]
    assert tokens["value"] == ["integer", "null"]
    assert all(entry["value"] not in ({}, True) for entry in entries) and all(entry["why"] for entry in entries)
    assert len(entries) == 2


def test_nothing_is_learned_from_a_request_the_api_refused(tmp_path):
    project = _project(tmp_path)
    _cassette_with(project, "refused", _unknown_finish_reason,
                   lambda body: body["provider"].update(sort="cheapest"), status=400)
    result = run_cli("schema", "learn", cwd=project)
    assert result.code == 0 and yaml.safe_load(result.out) == []
    assert "1 not answered 2xx" in result.err


def test_an_accepted_request_outside_the_schema_is_learned_on_the_request_side(tmp_path):
    project = _project(tmp_path)
    _cassette_with(project, "accepted", change_request=lambda body: body["provider"].update(sort="cheapest"))
    entries = yaml.safe_load(run_cli("schema", "learn", cwd=project).out)
    assert [entry.get("append") for entry in entries] == ["/$defs/ProviderSort/enum"]
    assert entries[0]["value"] == ["cheapest"]


def test_write_adds_the_proposals_to_the_team_overlay_and_learning_again_finds_nothing(tmp_path):
    project = _project(tmp_path)
    _cassette_with(project, "odd", _unknown_finish_reason)
    (project / "specc-overlay.yaml").write_text("- why: ours\n  set: /$defs/ChatRequest/properties/ours\n  value: {type: string}\n")
    written = run_cli("schema", "learn", "--write", cwd=project)
    assert written.code == 0, written.err
    overlay = yaml.safe_load((project / "specc-overlay.yaml").read_text())
    assert [entry.get("set") or entry.get("append") for entry in overlay][0] == "/$defs/ChatRequest/properties/ours"
    assert len(overlay) == 3
    again = run_cli("schema", "learn", cwd=project)
    assert yaml.safe_load(again.out) == [], again.out
    assert not list(project.glob("*.tmp*"))


def test_an_unreadable_cassette_is_reported_and_the_others_still_learned(tmp_path):
    project = _project(tmp_path)
    _cassette_with(project, "odd", _unknown_finish_reason)
    (project / "cassettes" / "broken.yaml").write_text("interactions: [oops\n")
    result = run_cli("schema", "learn", cwd=project)
    assert result.code == 0 and "broken.yaml" in result.err and "Traceback" not in result.err
    assert len(yaml.safe_load(result.out)) == 2


def test_learned_from_the_shared_corpus_the_bare_schema_admits_every_2xx_exchange():
    """The proposals learned against the vendored schema alone, applied as an overlay, admit every
    2xx request and response of the corpus: learning again finds nothing."""
    corpus = shared_path("corpus")
    layers = load_layers()
    exchanges = list(read_exchanges([corpus]))
    first = learn(exchanges, layers.vendored["$defs"], layers.lock["entry_points"])
    assert first.proposals and first.exchanges > 800
    assert all(proposal.evidence and Path(proposal.evidence[0]).is_file() for proposal in first.proposals)
    learned = apply_overlay(layers.vendored, [proposal.to_entry() for proposal in first.proposals])
    assert learn(exchanges, learned["$defs"], layers.lock["entry_points"]).proposals == []
    pointers = {proposal.pointer: proposal for proposal in first.proposals}
    # what specc's response overlay needed, found again from the traffic
    specc_overlay = {entry.get("set"): entry for entry in layers.specc_overlay}
    assert pointers["/$defs/ChatResult/required"].value == specc_overlay["/$defs/ChatResult/required"]["value"]
    assert "null" in pointers["/$defs/ChatStreamChunk/properties/system_fingerprint/type"].value
    assert pointers["/$defs/ChatFinishReasonEnum/enum"].value == ["end_turn"]
    # and with the overlay in use, the corpus needs nothing more
    assert learn(exchanges, layers.applied()["$defs"], layers.lock["entry_points"]).proposals == []


def test_learn_reads_the_corpus_format_from_the_command_line(tmp_path):
    corpus = shared_path("corpus")
    small = tmp_path / "corpus"
    (small / "requests").mkdir(parents=True)
    (small / "responses").mkdir()
    name = "OlympiaAI-raix__does_a_completion_with_prompt_caching__0"
    for side in ("requests", "responses"):
        shutil.copy(corpus / side / f"{name}.json", small / side / f"{name}.json")
    result = run_cli("schema", "learn", "--without-overlay", str(small), cwd=_project(tmp_path))
    entries = yaml.safe_load(result.out)
    assert any(entry.get("append") == "/$defs/ChatFinishReasonEnum/enum" for entry in entries), result.out
    assert all(str(small / "responses" / f"{name}.json") in entry["evidence"] for entry in entries)
