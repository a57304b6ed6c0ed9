"""The rules that read the model catalog: each fires on its pitfall, cites the catalog, and only with one."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from specc.catalog import Catalog, parse_models_response
from specc.check import Checker
from specc.rules import all_rules
from tests._catalogs import FETCHED, fixture_catalog
from conftest import SPECS, shared_path

CATALOG_RULES = [rule for rule in all_rules() if rule.needs_catalog]


@pytest.fixture(scope="module")
def catalog():
    return fixture_catalog()


@pytest.fixture(scope="module")
def with_catalog(schemas, catalog):
    return Checker(schemas=schemas, rules=[rule() for rule in all_rules()], catalog=catalog)


def _lint(checker, write_spec, text: str, code: str | None = None):
    diagnostics = checker.check_path(write_spec(text)).diagnostics
    return [d for d in diagnostics if code is None or d.code == code]


def test_the_catalog_rules():
    assert {r.code: r.name for r in CATALOG_RULES} == {
        "OR107": "max-price-unsatisfiable", "OR108": "order-without-fallbacks-unavailable",
        "OR117": "unknown-model", "OR118": "max-cost-below-cheapest-endpoint",
        "OR119": "max-price-rules-out-max-cost", "OR403": "max-tokens-exceeds-context",
        "OR714": "modality-not-supported", "OR715": "tools-unsupported-model",
        "OR719": "required-parameter-unsupported"}


@pytest.mark.parametrize("rule", CATALOG_RULES, ids=lambda r: r.code)
def test_example_fires_citing_the_catalog_and_fix_is_silent(rule, with_catalog, checker, write_spec):
    fired = _lint(with_catalog, write_spec, rule.example("Example"), rule.code)
    assert fired, f"{rule.code} did not fire on its own Example"
    assert all(f"catalog of {FETCHED}" in d.message for d in fired), fired
    assert not _lint(checker, write_spec, rule.example("Example"), rule.code), "fired without a catalog"
    fixed = _lint(with_catalog, write_spec, rule.example("Fix"))
    assert not [d for d in fixed if d.code == rule.code], fixed
    assert not [d for d in fixed if d.severity.value == "error"], fixed


def _spec(model_lines: str, extra: str = "", content: str = "Hello") -> str:
    return f"request:\n{model_lines}{extra}  messages:\n    - role: user\n      content: {content}\n"


# ---------------------------------------------------------------------------- OR117 unknown-model


def test_typo_is_an_error_with_the_right_suggestion(with_catalog, write_spec):
    [found] = _lint(with_catalog, write_spec, _spec("  model: anthropic/claude-sonet-4.5\n"), "OR117")
    assert found.severity.value == "error" and (found.span.line, found.span.column) == (2, 10)
    assert "did you mean 'anthropic/claude-sonnet-4.5'" in found.message


def test_fallback_entries_and_suffixes(with_catalog, write_spec):
    text = _spec("  model: openai/gpt-4o:nitro\n  models:\n    - openai/gpt-4o-mini:online\n"
                 "    - mistralai/mistral-smal-3.2-24b-instruct:floor\n    - openai/gpt-4o@preset/triage\n")
    [found] = _lint(with_catalog, write_spec, text, "OR117")
    assert found.pointer == ("request", "models", 1)
    assert "'mistralai/mistral-small-3.2-24b-instruct'" in found.message


def test_free_without_a_free_variant_is_its_own_message(with_catalog, write_spec):
    [found] = _lint(with_catalog, write_spec, _spec("  model: openai/gpt-4o:free\n"), "OR117")
    assert "has no free variant" in found.message and "did you mean" not in found.message
    assert not _lint(with_catalog, write_spec, _spec("  model: meta-llama/llama-3.3-70b-instruct:free\n"), "OR117")


def test_presets_alone_are_not_checked(with_catalog, write_spec):
    assert not _lint(with_catalog, write_spec, _spec("  model: '@preset/support-triage'\n"), "OR117")


def test_an_unresolved_placeholder_is_reported_once(with_catalog, write_spec):
    text = "vars: {tone: plain}\n" + _spec("  model: '{{ env.SPECC_TEST_UNSET_MODEL }}'\n")
    found = _lint(with_catalog, write_spec, text)
    assert [d.code for d in found] == ["E004"]


def test_auto_router_allowed_model_patterns(with_catalog, write_spec):
    text = _spec("  model: openrouter/auto\n", "  plugins:\n    - id: auto-router\n      allowed_models:\n"
                 "        - anthropic/*\n        - antropic/*\n        - openai/gpt-4o\n")
    [found] = _lint(with_catalog, write_spec, text, "OR117")
    assert found.pointer == ("request", "plugins", 0, "allowed_models", 1)
    assert "matches no model" in found.message


# ---------------------------------------------------------------------------- the three deferred rules


def test_max_price_below_every_endpoint(with_catalog, write_spec):
    cheap = "  provider:\n    max_price:\n      prompt: 0.5\n      completion: '1'\n"
    [found] = _lint(with_catalog, write_spec, _spec("  model: anthropic/claude-haiku-4.5\n", cheap), "OR107")
    assert found.pointer == ("request", "provider", "max_price")
    assert "prompt $1/M tokens" in found.message and "completion $5/M tokens" in found.message
    # one model in reach that fits is enough; a dynamic price may fit; an unknown model cannot be judged
    for models in ("  model: anthropic/claude-haiku-4.5\n  models: [meta-llama/llama-3.3-70b-instruct]\n",
                   "  model: openrouter/auto\n", "  model: acme/unlisted\n"):
        assert not _lint(with_catalog, write_spec, _spec(models, cheap), "OR107")


def test_max_price_uses_the_reachable_endpoints(with_catalog, write_spec):
    # OpenAI's gpt-4o endpoint lists a cache-read price, Azure's none: a cap on it only Azure meets
    text = _spec("  model: openai/gpt-4o\n", "  provider:\n    only: [openai]\n    max_price: {prompt: 2}\n")
    [found] = _lint(with_catalog, write_spec, text, "OR107")
    assert "'openai/gpt-4o' (1 endpoint) costs at least prompt $2.5/M tokens" in found.message


def test_order_without_fallbacks_naming_no_serving_provider(with_catalog, write_spec):
    text = _spec("  model: deepseek/deepseek-v4.1-flash\n",
                 "  provider:\n    order: [deepinfra, together]\n    allow_fallbacks: false\n")
    [found] = _lint(with_catalog, write_spec, text, "OR108")
    assert found.pointer == ("request", "provider", "order")
    assert "relace, wafer" in found.message
    served = text.replace("[deepinfra, together]", "[deepinfra, Wafer]")
    assert not _lint(with_catalog, write_spec, served, "OR108")
    with_fallbacks = text.replace("allow_fallbacks: false", "allow_fallbacks: true")
    assert not _lint(with_catalog, write_spec, with_fallbacks, "OR108")


def test_order_without_fallbacks_needs_pulled_endpoints(schemas, write_spec):
    checker = Checker(schemas=schemas, rules=[rule() for rule in all_rules()], catalog=fixture_catalog(endpoints=False))
    text = _spec("  model: openai/gpt-4o\n", "  provider:\n    order: [anthropic]\n    allow_fallbacks: false\n")
    assert not _lint(checker, write_spec, text, "OR108")


def test_max_tokens_over_every_context(with_catalog, write_spec):
    long_prompt = "word " * 16000  # 80,000 characters: at least 16,000 tokens by the low estimate
    text = _spec("  model: openai/gpt-4o\n  models: [openai/gpt-4o-mini]\n", "  max_tokens: 120000\n",
                 content=long_prompt)
    [found] = _lint(with_catalog, write_spec, text, "OR403")
    assert "136,000 tokens" in found.message and "'openai/gpt-4o' 128,000" in found.message
    roomy = text.replace("[openai/gpt-4o-mini]", "[google/gemini-2.5-flash]")
    assert not _lint(with_catalog, write_spec, roomy, "OR403")
    compressed = text.replace("  max_tokens:", "  plugins: [{id: context-compression}]\n  max_tokens:")
    assert not _lint(with_catalog, write_spec, compressed, "OR403")
    short = text.replace(long_prompt, "Hello")
    assert not _lint(with_catalog, write_spec, short, "OR403")


# ---------------------------------------------------------------------------- modalities and tools


def test_image_to_a_text_only_fallback(with_catalog, write_spec):
    text = ("request:\n  model: openai/gpt-4o\n  models: [deepseek/deepseek-r1]\n  messages:\n    - role: user\n"
            "      content:\n        - {type: text, text: Describe}\n"
            "        - {type: image_url, image_url: {url: 'https://example.com/a.png'}}\n"
            "        - {type: image_url, image_url: {url: 'https://example.com/b.png'}}\n"
            "        - {type: input_audio, input_audio: {data: AAAA, format: wav}}\n"
            "        - {type: file, file: {filename: a.pdf, file_data: 'https://example.com/a.pdf'}}\n")
    found = _lint(with_catalog, write_spec, text, "OR714")
    assert [d.pointer for d in found] == [("request", "messages", 0, "content", 1),
                                          ("request", "messages", 0, "content", 3)]
    assert "'deepseek/deepseek-r1' does not accept ('deepseek/deepseek-r1' takes text" in found[0].message
    assert "'openai/gpt-4o', 'deepseek/deepseek-r1'" in found[1].message  # neither takes audio


def test_tools_to_a_model_without_tool_support(with_catalog, write_spec):
    tools = "  tools:\n    - type: function\n      function: {name: f, parameters: {type: object}}\n"
    [found] = _lint(with_catalog, write_spec, _spec("  model: perplexity/sonar-pro-search\n", tools), "OR715")
    assert found.pointer == ("request", "tools")
    assert not _lint(with_catalog, write_spec, _spec("  model: openai/gpt-4o\n", tools), "OR715")
    assert not _lint(with_catalog, write_spec, _spec("  model: perplexity/sonar-pro-search\n"), "OR715")


def test_required_parameter_no_requested_model_supports(with_catalog, write_spec):
    required = "  provider: {require_parameters: true}\n"
    [found] = _lint(with_catalog, write_spec, _spec("  model: openai/gpt-4o\n", required + "  top_k: 40\n"), "OR719")
    assert found.pointer == ("request", "top_k") and found.severity.value == "error"
    assert not _lint(with_catalog, write_spec, _spec("  model: openai/gpt-4o\n", "  top_k: 40\n"), "OR719")  # OR109's
    both = "  model: openai/gpt-4o\n  models: [anthropic/claude-sonnet-4.5]\n"
    assert not _lint(with_catalog, write_spec, _spec(both, required + "  top_k: 40\n"), "OR719")  # claude takes it
    unknown = "  model: openai/gpt-4o\n  models: [someone/unlisted-model]\n"
    assert not _lint(with_catalog, write_spec, _spec(unknown, required + "  top_k: 40\n"), "OR719")


# ---------------------------------------------------------------------------- with and without a catalog


def _catalog_findings(diagnostics, catalog: Catalog) -> set:
    codes = {rule.code for rule in CATALOG_RULES}
    return {d for d in diagnostics if d.code in codes or catalog.label in d.message}


def _lint_tree(checker, paths) -> list:
    out = []
    for path in paths:
        out.extend(checker.check_path(path).diagnostics)
    return out


def _corpus_specs(tmp_path):
    requests = sorted(shared_path("corpus", "requests").glob("*.json"))
    specs = []
    for path in requests:
        spec = tmp_path / f"{path.stem}.yaml"
        spec.write_text(json.dumps({"request": json.loads(path.read_text("utf-8"))}))  # JSON is YAML
        specs.append(spec)
    return specs


def _real_catalog() -> Catalog:
    models = []
    for name in ("models.chlnga-models-pie.2026-06-16.json", "models.simonw-llm-openrouter.2026-08-04.excerpt.json",
                 "models.whichapiapi.2026-09.excerpt.json"):
        models += parse_models_response(json.loads(shared_path("catalog", name).read_text("utf-8")))
    return Catalog.build(models, "2026-09-01")


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_a_tree_lints_the_same_with_a_catalog_minus_its_findings(which, schemas, tmp_path):
    catalog = fixture_catalog() if which == "fixture" else _real_catalog()
    mistakes = tmp_path / "mistakes.yaml"  # so that the catalog has something to add
    mistakes.write_text(_spec("  model: anthropic/claude-sonet-4.5\n  models: [anthropic/claude-haiku-4.5, openai/o3]\n",
                              "  seed: 7\n  top_k: 5\n  reasoning: {effort: none}\n"))
    specs = sorted(SPECS.glob("*.yaml")) + _corpus_specs(tmp_path) + [mistakes]
    rules = [rule() for rule in all_rules()]
    without = _lint_tree(Checker(schemas=schemas, rules=rules), specs)
    with_it = _lint_tree(Checker(schemas=schemas, rules=rules, catalog=catalog), specs)
    extra = _catalog_findings(with_it, catalog)
    # The real catalog also finds the corpus's tool requests to models it lists without tool
    # support (the 404 "No endpoints found that support tool use" exchanges): OR715.
    assert {d.code for d in extra} == ({"OR117", "OR109"} if which == "fixture" else {"OR117", "OR109", "OR715"})
    assert [d for d in with_it if d not in extra] == without
    assert not _catalog_findings(without, catalog)


def test_the_real_catalog_knows_every_model_the_example_specs_use(schemas):
    checker = Checker(schemas=schemas, rules=[rule() for rule in all_rules()], catalog=_real_catalog())
    found = _lint_tree(checker, sorted(SPECS.glob("*.yaml")))
    assert not [d for d in found if d.code in {r.code for r in CATALOG_RULES}], found


def test_a_stale_catalog_changes_only_the_date_in_messages(with_catalog, write_spec, catalog):
    older = Checker(schemas=with_catalog.schemas, rules=with_catalog.rules, catalog=replace(catalog, fetched="2025-01-01"))
    [found] = _lint(older, write_spec, _spec("  model: anthropic/claude-sonet-4.5\n"), "OR117")
    assert "catalog of 2025-01-01" in found.message


ODD_BODIES = [
    {}, {"model": 5}, {"model": ""}, {"models": "openai/gpt-4o"}, {"models": [None, 3, {"id": "x"}]},
    {"model": "openai/gpt-4o", "provider": "cheap"}, {"model": "openai/gpt-4o", "provider": {"max_price": [1]}},
    {"model": "openai/gpt-4o", "provider": {"max_price": {"prompt": "cheap", "completion": True}}},
    {"model": "openai/gpt-4o", "provider": {"order": "openai", "only": [1], "allow_fallbacks": False}},
    {"model": "openai/gpt-4o", "max_tokens": "lots", "messages": "hi"},
    {"model": "openai/gpt-4o", "max_tokens": 10**9, "messages": [None, {"content": [None, 5, {"type": 3}]}]},
    {"model": "deepseek/deepseek-r1", "messages": [{"content": [{"type": "image_url"}]}], "tools": {"a": 1}},
    {"model": "openrouter/auto", "plugins": [{"id": "auto-router", "allowed_models": [None, "", "*"]}, "x"]},
]


@pytest.mark.parametrize("rule", CATALOG_RULES, ids=lambda r: r.code)
@pytest.mark.parametrize("body", ODD_BODIES, ids=range(len(ODD_BODIES)))
def test_catalog_rules_never_raise_on_odd_bodies(rule, body, catalog):
    from specc.rules import RuleContext

    for finding in rule().check(RuleContext(body=body, catalog=catalog)):
        assert isinstance(finding.pointer, tuple) and finding.message
    assert list(rule().check(RuleContext(body=body))) == []  # no catalog: nothing to say


# ---------------------------------------------------------------------------- OR109 and OR204 with the catalog


def test_or109_reads_supported_parameters_from_the_catalog(with_catalog, checker, write_spec):
    text = _spec("  model: anthropic/claude-haiku-4.5\n", "  seed: 7\n  temperature: 0.2\n")
    [found] = _lint(with_catalog, write_spec, text, "OR109")
    assert found.pointer == ("request", "seed") and f"catalog of {FETCHED}" in found.message
    assert not _lint(checker, write_spec, text, "OR109")  # no catalog: the names alone say nothing here
    required = text.replace("  seed: 7\n", "  seed: 7\n  provider: {require_parameters: true}\n")
    assert not _lint(with_catalog, write_spec, required, "OR109")


def test_or109_names_endpoints_that_drop_a_parameter(with_catalog, write_spec):
    # deepseek-v4.1-flash takes `seed` on Wafer but not on Relace
    text = _spec("  model: deepseek/deepseek-v4.1-flash\n", "  seed: 7\n")
    [found] = _lint(with_catalog, write_spec, text, "OR109")
    assert "not supported by the Relace endpoint of 'deepseek/deepseek-v4.1-flash'" in found.message
    pinned = text.replace("  seed: 7\n", "  seed: 7\n  provider: {only: [wafer]}\n")
    assert not _lint(with_catalog, write_spec, pinned, "OR109")


def test_or109_name_findings_are_unchanged_and_not_repeated(with_catalog, checker, write_spec):
    text = _spec("  model: openai/gpt-4o\n", "  top_k: 40\n")
    with_it = _lint(with_catalog, write_spec, text, "OR109")
    assert with_it == _lint(checker, write_spec, text, "OR109") and len(with_it) == 1
    wrong_type = _spec("  model: anthropic/claude-haiku-4.5\n", "  seed: lots\n")
    assert not _lint(with_catalog, write_spec, wrong_type, "OR109")  # the schema error says it


def _mandatory_catalog(catalog):
    model = catalog.get("deepseek/deepseek-v4.1-flash")
    changed = replace(model, reasoning={**model.reasoning, "mandatory": True})
    return replace(catalog, models={**catalog.models, model.id: changed})


def test_or204_reads_reasoning_mandatory_from_the_catalog(schemas, catalog, checker, write_spec):
    mandatory = Checker(schemas=schemas, rules=[rule() for rule in all_rules()], catalog=_mandatory_catalog(catalog))
    text = _spec("  model: deepseek/deepseek-v4.1-flash\n", "  reasoning: {effort: none}\n")
    [found] = _lint(mandatory, write_spec, text, "OR204")
    assert found.pointer == ("request", "reasoning", "effort")
    assert "`reasoning.mandatory: true` (catalog of" in found.message
    assert not _lint(checker, write_spec, text, "OR204")
    o3 = _spec("  model: openai/o3\n", "  reasoning: {effort: none}\n")
    assert _lint(mandatory, write_spec, o3, "OR204") == _lint(checker, write_spec, o3, "OR204")


# ---------------------------------------------------------------------------- OR118, OR119 and expect.usage.max_cost


_TEXT = "Open Settings, then Backups, and choose Restore to bring back a folder you deleted. " * 4


def _costed(model_lines: str, max_cost: float, extra: str = "") -> str:
    return _spec(model_lines, extra, _TEXT) + f"expect:\n  usage:\n    max_cost: {max_cost}\n"


def test_max_cost_below_the_cheapest_endpoint_warns_at_the_expectation(with_catalog, write_spec):
    [found] = _lint(with_catalog, write_spec, _costed("  model: openai/gpt-4o\n", 0.0001), "OR118")
    assert found.severity.value == "warning" and found.pointer == ("expect", "usage", "max_cost")
    assert "cheapest reachable endpoint, openai/gpt-4o on Azure" in found.message
    # a cheaper fallback in reach, a higher cap, no cap, an unknown model: nothing to say
    for text in (_costed("  model: openai/gpt-4o\n  models: [openai/gpt-4o-mini]\n", 0.0001),
                 _costed("  model: openai/gpt-4o\n", 0.01), _spec("  model: openai/gpt-4o\n", "", _TEXT),
                 _costed("  model: openai/gpt-4o\n  models: [acme/unlisted]\n", 0.0001)):
        assert not _lint(with_catalog, write_spec, text, "OR118")


def test_max_price_ruling_out_the_cheap_endpoints_is_an_error_not_a_warning(with_catalog, write_spec):
    models = "  model: deepseek/deepseek-v4.1-flash\n  models: [mistralai/mistral-small-3.2-24b-instruct]\n"
    capped = "  provider:\n    max_price: {completion: 0.5}\n"
    diagnostics = _lint(with_catalog, write_spec, _costed(models, 0.000002, capped))
    assert [d.code for d in diagnostics if d.code in ("OR118", "OR119")] == ["OR119"]
    [found] = [d for d in diagnostics if d.code == "OR119"]
    assert found.severity.value == "error" and found.pointer == ("request", "provider", "max_price")
    assert "it excludes deepseek/deepseek-v4.1-flash on" in found.message
    assert not _lint(with_catalog, write_spec, _costed(models, 0.000002), "OR119")  # no cap: nothing excluded
    # a cap that excludes every endpoint is OR107's, not this rule's
    nothing = "  provider:\n    max_price: {completion: 0.01}\n"
    assert not _lint(with_catalog, write_spec, _costed(models, 0.000002, nothing), "OR119")
