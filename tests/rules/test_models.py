"""The model-id helpers every model-dependent rule decides with (specc/rules/_models.py)."""

from __future__ import annotations

import pytest

from specc.rules._models import (
    at_least,
    claude_opus_version,
    closest_suffix,
    describe,
    gpt_version,
    is_anthropic,
    is_gemini,
    is_openai_api_model,
    is_openai_reasoning,
    is_qwen,
    matching_models,
    model_fields,
    noun,
    parse_model,
    provider_sort,
    requested_models,
    requires_parameters,
    routed_providers,
)


@pytest.mark.parametrize("raw, author, slug, suffixes, preset", [
    ("openai/gpt-4o", "openai", "gpt-4o", (), None),
    ("Meta-Llama/Llama-3.3-70B-Instruct:Free", "meta-llama", "llama-3.3-70b-instruct", ("free",), None),
    ("meta-llama/llama-3.3-70b-instruct:nitro:online", "meta-llama", "llama-3.3-70b-instruct", ("nitro", "online"),
     None),
    ("openai/gpt-4o@preset/support-triage", "openai", "gpt-4o", (), "support-triage"),
    ("openai/gpt-4o:floor@preset/x", "openai", "gpt-4o", ("floor",), "x"),
    ("@preset/support-triage", "", "", (), "support-triage"),
    ("openai/gpt-4o:", "openai", "gpt-4o", ("",), None),
    ("gpt-4o", "", "gpt-4o", (), None),
])
def test_parse_model(raw, author, slug, suffixes, preset):
    model = parse_model(raw)
    assert (model.author, model.slug, model.suffixes, model.preset) == (author, slug, suffixes, preset)
    assert model.raw == raw


def test_base_drops_suffixes_and_preset():
    assert parse_model("openai/gpt-4o:nitro@preset/x").base == "openai/gpt-4o"
    assert parse_model("gpt-4o").base == "gpt-4o"


def test_requested_models_in_order_without_repeats_or_junk():
    body = {"model": "a/x", "models": ["a/x", "b/y", 3, None, "  ", "c/z", "b/y"]}
    assert requested_models(body) == ["a/x", "b/y", "c/z"]
    assert requested_models({"models": "a/x"}) == []


def test_model_fields_keep_positions_and_repeats():
    body = {"model": "a/x", "models": ["a/x", 7, "b/y"]}
    assert model_fields(body) == [(("model",), "a/x"), (("models", 0), "a/x"), (("models", 2), "b/y")]
    assert model_fields({"model": 5, "models": {"a": 1}}) == []


def test_routed_providers_lowercased_without_repeats():
    body = {"provider": {"order": ["Together", "DeepInfra"], "only": ["deepinfra", 3, "Groq"]}}
    assert routed_providers(body) == ["together", "deepinfra", "groq"]
    assert routed_providers({"provider": ["Together"]}) == []


def test_requires_parameters_only_when_true():
    assert requires_parameters({"provider": {"require_parameters": True}})
    assert not requires_parameters({"provider": {"require_parameters": "true"}})
    assert not requires_parameters({"provider": None})


@pytest.mark.parametrize("provider, expected", [
    ({"sort": "price"}, (("provider", "sort"), "price")),
    ({"sort": {"by": "throughput", "partition": "none"}}, (("provider", "sort", "by"), "throughput")),
    ({"sort": {"partition": "model"}}, None),
    ({"sort": None}, None),
    ({"sort": ["price"]}, None),
])
def test_provider_sort(provider, expected):
    assert provider_sort({"provider": provider}) == expected


@pytest.mark.parametrize("typo, expected", [
    ("fre", "free"), ("nitr0", "nitro"), ("onlin", "online"), ("FLOR", "floor"), ("thinkng", "thinking"),
    ("turbo", None), ("beta", None),
])
def test_closest_suffix(typo, expected):
    assert closest_suffix(typo) == expected


@pytest.mark.parametrize("raw, expected", [
    ("anthropic/claude-opus-4.6", (4, 6)),
    ("anthropic/claude-opus-4-7", (4, 7)),
    ("anthropic/claude-4.7-opus", (4, 7)),
    ("anthropic/claude-opus-4", (4, 0)),
    ("anthropic/claude-opus-4-20250514", (4, 0)),  # a date stamp is not a minor version
    ("anthropic/claude-3-opus", (3, 0)),
    ("anthropic/claude-sonnet-4.5", None),
    ("openai/opus-4.6", None),
])
def test_claude_opus_version(raw, expected):
    assert claude_opus_version(parse_model(raw)) == expected


@pytest.mark.parametrize("raw, expected", [
    ("openai/gpt-5.6", (5, 6)), ("openai/gpt-5-mini", (5, 0)), ("openai/gpt-4o", (4, 0)),
    ("openai/gpt-5.10:nitro", (5, 10)), ("openai/o3", None), ("azure/gpt-5.6", None),
])
def test_gpt_version(raw, expected):
    assert gpt_version(parse_model(raw)) == expected


def test_at_least():
    assert at_least((5, 6), (5, 6)) and at_least((6, 0), (5, 6))
    assert not at_least((5, 5), (5, 6)) and not at_least(None, (5, 6))


@pytest.mark.parametrize("raw, expected", [
    ("openai/o1", True), ("openai/o3-mini:nitro", True), ("openai/o4-mini", True),
    ("openai/gpt-4o", False), ("openai/omni-moderation", False), ("deepseek/o3", False),
])
def test_is_openai_reasoning(raw, expected):
    assert is_openai_reasoning(parse_model(raw)) is expected


def test_openai_api_models_exclude_open_weights():
    assert is_openai_api_model(parse_model("openai/gpt-4o-mini"))
    assert not is_openai_api_model(parse_model("openai/gpt-oss-120b"))
    assert not is_openai_api_model(parse_model("meta-llama/llama-3.3-70b-instruct"))


def test_families():
    assert is_anthropic(parse_model("anthropic/claude-haiku-4.5"))
    assert is_anthropic(parse_model("claude-3-opus"))
    assert is_gemini(parse_model("google/gemini-2.5-flash")) and not is_gemini(parse_model("google/gemma-3"))
    assert is_qwen(parse_model("qwen/qwen3-32b"))


def test_matching_models_and_message_helpers():
    body = {"model": "openai/o3", "models": ["openai/o3", "anthropic/claude-haiku-4.5", "openai/o4-mini"]}
    matched = matching_models(body, is_openai_reasoning)
    assert matched == ["openai/o3", "openai/o4-mini"]
    assert describe(matched) == "'openai/o3', 'openai/o4-mini'"
    assert noun("model", matched) == "models" and noun("model", matched[:1]) == "model"
