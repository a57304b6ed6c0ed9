"""The model catalog: lenient parsing of real responses, lookups, the file format, lint's notes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from specc.catalog import (Catalog, CatalogError, ModelInfo, catalog_notes, catalog_path, load_catalog,
                           load_project_catalog, parse_endpoints_response, parse_models_response, per_million,
                           price_per_token)
from specc.config import Config
from specc.rules import all_rules
from tests._catalogs import fixture_catalog, fixture_payload, write_catalog
from conftest import shared_path


def _real_models(name: str):
    return parse_models_response(json.loads(shared_path("catalog", name).read_text("utf-8")))


# ---------------------------------------------------------------------------- real responses


def test_full_real_list_without_envelope_fields():
    models = _real_models("models.chlnga-models-pie.2026-06-16.json")
    assert len(models) == 337
    by_id = {m.id: m for m in models}
    auto = by_id["openrouter/auto"]
    assert auto.pricing["prompt"] == "-1" and price_per_token(auto.pricing["prompt"]) is None
    assert per_million(auto.pricing["prompt"]) == "dynamic"
    gpt = by_id["openai/gpt-4o"]
    assert (gpt.context_length, gpt.max_completion_tokens) == (128000, 16384)
    assert "tools" in gpt.supported_parameters and "image" in gpt.input_modalities
    assert by_id["meta-llama/llama-3.3-70b-instruct:free"].is_free
    assert not by_id["meta-llama/llama-3.3-70b-instruct"].is_free


def test_current_envelope_with_reasoning_and_price_overrides():
    by_id = {m.id: m for m in _real_models("models.simonw-llm-openrouter.2026-08-04.excerpt.json")}
    sonnet = by_id["anthropic/claude-sonnet-4"]
    # the model's context exceeds its top provider's; both are kept
    assert (sonnet.context_length, sonnet.top_provider_context_length) == (1000000, 200000)
    assert sonnet.reasoning_mandatory is False
    assert "overrides" not in sonnet.pricing and sonnet.pricing["input_cache_write_1h"] == "0.000006"


def test_newest_fields_reasoning_efforts_and_alias_target():
    by_id = {m.id: m for m in _real_models("models.whichapiapi.2026-09.excerpt.json")}
    assert by_id["deepseek/deepseek-v4.1-flash"].supported_efforts == ("high", "low", "max")
    assert by_id["~deepseek/deepseek-pro-latest"].alias_target == "deepseek/deepseek-v4-pro-0813"


@pytest.mark.parametrize("name, model_id, providers", [
    ("endpoints.fener.openai-gpt-4o.2026-08-31.json", "openai/gpt-4o", ["OpenAI", "Azure"]),
    ("endpoints.whichapiapi.deepseek-v4.1-flash.excerpt.json", "deepseek/deepseek-v4.1-flash", ["Relace", "Wafer"]),
])
def test_real_endpoints(name, model_id, providers):
    found_id, endpoints = parse_endpoints_response(json.loads(shared_path("catalog", name).read_text("utf-8")))
    assert found_id == model_id
    assert [e.provider for e in endpoints] == sorted(providers)
    assert all(e.context_length and e.supported_parameters for e in endpoints)


def test_endpoint_parameters_differ_per_provider():
    catalog = fixture_catalog()
    openai, azure = sorted(catalog.get("openai/gpt-4o").endpoints, key=lambda e: e.provider != "OpenAI")
    assert "max_tokens" in openai.supported_parameters and "max_tokens" not in azure.supported_parameters
    assert openai.serves_for("OpenAI") and openai.serves_for("openai") and not openai.serves_for("azure")


# ---------------------------------------------------------------------------- leniency


def test_odd_entries_are_skipped_not_trusted():
    models = parse_models_response({"data": [
        {"id": "a/b", "pricing": {"prompt": "0.000001", "completion": 2e-06, "image": "free?", "discount": 0},
         "context_length": "lots", "architecture": {"input_modalities": ["text", 5, "telepathy"]},
         "supported_parameters": "tools", "brand_new_field": {"x": 1}},
        {"name": "no id"}, "not a model", None,
    ], "total_count": 9})
    [model] = models
    assert model.pricing == {"completion": "2e-06", "prompt": "0.000001"}
    assert model.context_length is None and model.supported_parameters == ()
    assert model.input_modalities == ("telepathy", "text")  # unknown enum values are kept as given
    assert model.supports("tools") is None  # the list said nothing


@pytest.mark.parametrize("payload", [[], {"models": []}, {"data": {"id": "x"}}, {"data": [{"no": "id"}]}])
def test_unusable_model_lists_are_errors(payload):
    with pytest.raises(CatalogError):
        parse_models_response(payload)


def test_unusable_endpoints_response_is_an_error():
    with pytest.raises(CatalogError, match="data.endpoints"):
        parse_endpoints_response({"data": {"id": "a/b"}})


# ---------------------------------------------------------------------------- lookups


def test_resolve_suffixes_presets_and_free_variants():
    catalog = fixture_catalog()
    assert catalog.resolve("openai/gpt-4o:nitro").model.id == "openai/gpt-4o"
    assert catalog.resolve("openai/gpt-4o@preset/triage").model.id == "openai/gpt-4o"
    assert catalog.resolve("@preset/triage").skipped
    free = catalog.resolve("meta-llama/llama-3.3-70b-instruct:free")
    assert free.model.id == "meta-llama/llama-3.3-70b-instruct:free" and not free.free_missing
    assert catalog.resolve("openai/gpt-4o:free").free_missing
    assert catalog.resolve("OpenAI/GPT-4o").model.id == "openai/gpt-4o"
    assert catalog.resolve("openai/gpt-4o-2024-08-06").model is None
    assert catalog.resolve("openai/o3-2025-04-16").model.id == "openai/o3"  # the canonical (dated) slug


@pytest.mark.parametrize("typo, expected", [
    ("anthropic/claude-sonet-4.5", "anthropic/claude-sonnet-4.5"),
    ("openai/gpt-4o-mnii", "openai/gpt-4o-mini"),
    ("meta/llama-3.3-70b-instruct", "meta-llama/llama-3.3-70b-instruct"),
    ("gpt-3.5-turbo", "openai/gpt-3.5-turbo"),
])
def test_closest_ids(typo, expected):
    assert fixture_catalog().closest(typo)[0] == expected


def test_real_catalog_suggests_the_right_id():
    catalog = Catalog.build(_real_models("models.chlnga-models-pie.2026-06-16.json"), "2026-06-16")
    assert catalog.closest("anthropic/claude-sonet-4.6")[0] == "anthropic/claude-sonnet-4.6"
    assert catalog.closest("google/gemini-2.5-flsh")[0] == "google/gemini-2.5-flash"


def test_glob_matching_and_search():
    catalog = fixture_catalog()
    assert {m.id for m in catalog.matching("anthropic/*")} == {"anthropic/claude-haiku-4.5", "anthropic/claude-sonnet-4.5"}
    assert catalog.matching("anthropic/claude-3*") == []
    assert [m.id for m in catalog.search(["deepseek", "flash"])] == ["deepseek/deepseek-v4.1-flash"]
    assert [m.id for m in catalog.search(["GPT-4O"])] == ["openai/gpt-4o", "openai/gpt-4o-mini"]


# ---------------------------------------------------------------------------- the file


def test_file_is_sorted_stable_and_round_trips(tmp_path):
    catalog = fixture_catalog()
    text = catalog.to_text()
    document = json.loads(text)
    assert document["fetched"] == "2026-09-01" and document["specc_catalog"] == 1
    ids = [m["id"] for m in document["models"]]
    assert ids == sorted(ids)
    assert all(list(m) == sorted(m) for m in document["models"])
    assert "uptime" not in text and "description" not in text  # volatile or bulky facts stay out of diffs
    path = write_catalog(tmp_path, catalog)
    again = load_catalog(path)
    assert again == catalog and again.to_text() == text


def test_input_order_does_not_change_the_file():
    payload = fixture_payload("models.json")
    shuffled = {"data": list(reversed(payload["data"]))}
    first = Catalog.build(parse_models_response(payload), "2026-09-01").to_text()
    assert Catalog.build(parse_models_response(shuffled), "2026-09-01").to_text() == first


@pytest.mark.parametrize("text, match", [
    ("{not json", "not valid JSON"),
    ('{"data": []}', "not a specc catalog"),
    ('{"specc_catalog": 99, "models": []}', "format 99"),
])
def test_bad_catalog_files(tmp_path, text, match):
    path = tmp_path / "specc-catalog.json"
    path.write_text(text)
    with pytest.raises(CatalogError, match=match):
        load_catalog(path)


def test_catalog_path_follows_the_config(tmp_path):
    config = Config(catalog="ops/models.json", root=str(tmp_path))
    assert catalog_path(config) == tmp_path / "ops" / "models.json"
    assert load_project_catalog(config) is None
    write_catalog(tmp_path, name="ops/models.json")
    assert load_project_catalog(config).fetched == "2026-09-01"


# ---------------------------------------------------------------------------- lint's notes


def test_notes_say_skipped_once_or_stale():
    rules = [rule() for rule in all_rules()]
    catalog = fixture_catalog("2026-09-01")
    config = Config(catalog_max_age_days=30)
    [skipped] = catalog_notes(None, config, rules)
    assert "catalog checks skipped" in skipped
    assert catalog_notes(catalog, config, rules, today=dt.date(2026, 10, 1)) == []
    [stale] = catalog_notes(catalog, config, rules, today=dt.date(2026, 10, 2))
    assert "31 days old" in stale and stale.startswith("warning:")
    no_catalog_rules = [rule for rule in rules if not rule.needs_catalog]
    assert catalog_notes(None, config, no_catalog_rules) == []


def test_model_info_from_its_own_file_keeps_every_fact():
    model = fixture_catalog().get("openai/gpt-4o")
    assert ModelInfo.from_api(json.loads(json.dumps(model.to_json()))) == model
