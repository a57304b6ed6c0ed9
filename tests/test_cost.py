"""The cost bound (specc.cost, `specc cost`, `send --dry-run`): the estimate, routing, prices, the CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from specc.catalog import Catalog, ModelInfo, parse_endpoints_response, parse_models_response
from specc.cost import (IMAGE_TOKENS, IMAGE_TOKENS_LOW, TOKENS_PER_MESSAGE, TOKENS_PER_REQUEST, cost_bound,
                        estimate_prompt, usd)
from tests._catalogs import FETCHED, fixture_catalog, write_catalog
from conftest import REPO, SPECS, run_cli, shared_path


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return fixture_catalog()


def _body(model: str = "openai/gpt-4o", text: str = "x" * 400, **extra) -> dict:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


# ---------------------------------------------------------------------------- the estimate


def test_text_is_four_characters_a_token_plus_message_overhead():
    estimate = estimate_prompt(_body(text="x" * 400))
    assert estimate.tokens == 100 + TOKENS_PER_MESSAGE + TOKENS_PER_REQUEST
    two = estimate_prompt({"messages": [{"role": "system", "content": "y" * 40}, {"role": "user", "content": "x" * 400}]})
    assert two.tokens == 110 + 2 * TOKENS_PER_MESSAGE + TOKENS_PER_REQUEST
    assert estimate.low < estimate.tokens


def test_images_count_a_nominal_size_and_files_are_reported_not_guessed():
    content = [{"type": "text", "text": "x" * 40},
               {"type": "image_url", "image_url": {"url": "data:image/png;base64," + "A" * 10_000}},
               {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}},
               {"type": "file", "file": {"filename": "a.pdf", "file_data": "data:application/pdf;base64,AAAA"}}]
    estimate = estimate_prompt({"messages": [{"role": "user", "content": content}]})
    assert estimate.images == 2
    assert estimate.uncounted == ("file",)
    text = len("x" * 40) + len("text")  # the part's keys are rendered too; the data URL is not text
    assert estimate.tokens == -(-text // 4) + TOKENS_PER_MESSAGE + TOKENS_PER_REQUEST + IMAGE_TOKENS + IMAGE_TOKENS_LOW


def test_tools_and_a_response_schema_add_to_the_prompt():
    bare = estimate_prompt(_body())
    tool = {"type": "function", "function": {"name": "get_weather", "description": "Weather for a city",
                                             "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}
    schema = {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object"}}}
    assert estimate_prompt(_body(tools=[tool])).tokens > bare.tokens + 10
    assert estimate_prompt(_body(response_format=schema)).tokens > bare.tokens


# ---------------------------------------------------------------------------- the bound


def test_least_is_the_prompt_alone_and_most_adds_the_whole_completion(catalog):
    bound = cost_bound(_body(max_completion_tokens=1000), catalog)
    tokens = bound.prompt.tokens
    assert [row.provider for row in bound.rows] == ["Azure", "OpenAI"]
    assert bound.least == pytest.approx(tokens * 0.0000025)
    assert bound.most == pytest.approx(tokens * 0.0000025 + 1000 * 0.00001)
    assert bound.least is not None and bound.most is not None and bound.least <= bound.most
    assert bound.catalog_date == FETCHED and not bound.unknowns


def test_fallbacks_widen_the_bound(catalog):
    alone = cost_bound(_body("openai/gpt-4o-mini", max_tokens=100), catalog)
    both = cost_bound(_body("openai/gpt-4o-mini", max_tokens=100, models=["anthropic/claude-sonnet-4.5"]), catalog)
    assert both.least == alone.least  # the cheaper model is still reachable
    assert both.most is not None and alone.most is not None and both.most > alone.most
    assert {row.model for row in both.rows} == {"openai/gpt-4o-mini", "anthropic/claude-sonnet-4.5"}


def test_provider_only_and_ignore_narrow_the_endpoints(catalog):
    only = cost_bound(_body(provider={"only": ["azure"]}), catalog)
    assert [row.provider for row in only.rows] == ["Azure"]
    ignored = cost_bound(_body("deepseek/deepseek-v4.1-flash", provider={"ignore": ["relace"]}), catalog)
    assert [row.provider for row in ignored.rows] == ["Wafer"]
    order = cost_bound(_body(provider={"order": ["openai"], "allow_fallbacks": False}), catalog)
    assert [row.provider for row in order.rows] == ["OpenAI"]
    ordered_with_fallbacks = cost_bound(_body(provider={"order": ["openai"]}), catalog)
    assert len(ordered_with_fallbacks.rows) == 2  # `order` only orders while fallbacks are allowed


def test_max_price_excludes_the_endpoints_priced_above_it(catalog):
    body = _body("openai/gpt-4o", max_tokens=10, models=["openai/gpt-4o-mini"],
                 provider={"max_price": {"prompt": 1, "completion": 2}})
    bound = cost_bound(body, catalog)
    assert {row.model for row in bound.rows} == {"openai/gpt-4o-mini"}
    assert sorted(bound.excluded) == ["openai/gpt-4o on Azure", "openai/gpt-4o on OpenAI"]
    assert any("no endpoint within `provider.max_price`" in reason for reason in bound.unknowns)
    assert len(cost_bound(body, catalog, apply_max_price=False).rows) == 3


def test_unknown_model_is_reported_and_leaves_the_bound_unknown(catalog):
    bound = cost_bound(_body("acme/unlisted", models=["openai/gpt-4o"]), catalog)
    assert bound.least is None and bound.most is None  # a bound leaving a reachable model out is no bound
    assert any("'acme/unlisted': not in the catalog of" in reason for reason in bound.unknowns)
    assert [row.least is not None for row in bound.rows] == [False, True, True]
    assert cost_bound({"messages": []}, catalog).unknowns == ("the request names no model",)


def test_free_suffix_resolves_to_the_free_variant_at_zero_cost(catalog):
    bound = cost_bound(_body("meta-llama/llama-3.3-70b-instruct:free", max_tokens=500), catalog)
    [row] = bound.rows
    assert row.model == "meta-llama/llama-3.3-70b-instruct:free"
    assert bound.least == 0 and bound.most == 0
    paid = cost_bound(_body("meta-llama/llama-3.3-70b-instruct", max_tokens=500), catalog)
    assert paid.most is not None and paid.most > 0


def test_routing_suffixes_keep_the_model_and_its_price(catalog):
    plain, nitro = (cost_bound(_body(model, max_tokens=50), catalog)
                    for model in ("openai/gpt-4o", "openai/gpt-4o:nitro"))
    assert (nitro.least, nitro.most) == (plain.least, plain.most)


def test_completion_budget_comes_from_the_request_then_the_catalog(catalog):
    capped = cost_bound(_body(max_tokens=10**9), catalog)  # no provider writes past its max output
    assert {(row.completion_tokens, row.completion_source) for row in capped.rows} == {(16384, "endpoint max output")}
    uncapped = cost_bound(_body("anthropic/claude-haiku-4.5"), catalog)
    assert [(row.completion_tokens, row.completion_source) for row in uncapped.rows] == [(64000, "model max output")]
    free = cost_bound(_body("meta-llama/llama-3.3-70b-instruct:free"), catalog)
    assert free.rows[0].completion_source == "context length"
    bare = Catalog.build([ModelInfo("acme/bare", pricing={"prompt": "0.000001", "completion": "0.000002"})], FETCHED)
    unknown = cost_bound(_body("acme/bare"), bare)
    assert unknown.least is not None and unknown.most is None
    assert any("no max output known" in reason for reason in unknown.unknowns)


def test_dynamic_price_is_unknown_not_zero(catalog):
    bound = cost_bound(_body("openrouter/auto"), catalog)
    assert bound.least is None and bound.most is None
    assert "dynamic price" in (bound.rows[0].note or "")


def test_endpoints_not_pulled_fall_back_to_the_model_price():
    bound = cost_bound(_body(provider={"only": ["azure"]}), fixture_catalog(endpoints=False))
    [row] = bound.rows
    assert row.provider is None and row.prompt_price == 0.0000025
    assert any("`provider.only`/`ignore` are not applied" in reason for reason in bound.unknowns)


def test_usd_reads_small_amounts():
    assert [usd(v) for v in (None, 0, 0.0000049, 0.00525, 1.5)] == ["?", "$0", "$0.0000049", "$0.00525", "$1.50"]


# ---------------------------------------------------------------------------- the command


SPEC = """request:
  model: openai/gpt-4o
  models: [meta-llama/llama-3.3-70b-instruct:free]
  max_completion_tokens: 500
  messages:
    - role: user
      content: Summarize the plot of Hamlet in three sentences.
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.specc]\n", "utf-8")
    (tmp_path / "a.yaml").write_text(SPEC, "utf-8")
    return tmp_path


def test_cli_prints_the_bound_with_the_catalog_date(project):
    write_catalog(project)
    result = run_cli("cost", "a.yaml", cwd=project)
    assert result.code == 0, result.err
    assert result.out.startswith("a.yaml: $0 to $0.00505 per request")
    assert f"catalog of {FETCHED}" in result.out
    assert "Azure" in result.out and "meta-llama/llama-3.3-70b-instruct:free" in result.out


def test_cli_json_and_markdown(project):
    write_catalog(project)
    [entry] = json.loads(run_cli("cost", "a.yaml", "--format", "json", cwd=project).out)
    assert entry["spec"] == "a.yaml" and entry["least_usd"] == 0 and entry["catalog_date"] == FETCHED
    assert entry["least_usd"] <= entry["most_usd"] and len(entry["rows"]) == 3
    markdown = run_cli("cost", "a.yaml", "--format", "markdown", cwd=project).out
    assert "| model | endpoint |" in markdown and "| openai/gpt-4o | Azure |" in markdown


def test_cli_without_a_catalog_exits_2_saying_how_to_get_one(project):
    result = run_cli("cost", "a.yaml", cwd=project)
    assert result.code == 2 and result.out == ""
    assert "specc models pull" in result.err and "Traceback" not in result.err


def test_cli_spec_with_errors_exits_1_and_others_are_still_bounded(project):
    write_catalog(project)
    (project / "bad.yaml").write_text("request:\n  model: openai/gpt-4o\n  messages: 3\n", "utf-8")
    result = run_cli("cost", "a.yaml", "bad.yaml", cwd=project)
    assert result.code == 1
    assert "a.yaml: $0 to" in result.out and "bad.yaml has errors" in result.err


def test_cli_missing_file_and_broken_catalog_are_usage_errors(project):
    assert run_cli("cost", "nothere.yaml", cwd=project).code == 2
    (project / "specc-catalog.json").write_text("{", "utf-8")
    result = run_cli("cost", "a.yaml", cwd=project)
    assert result.code == 2 and "not valid JSON" in result.err


def test_send_dry_run_shows_a_cost_line_only_with_a_catalog(project):
    plain = run_cli("send", "a.yaml", "--dry-run", cwd=project)
    assert plain.code == 0 and "cost" not in plain.err
    write_catalog(project)
    priced = run_cli("send", "a.yaml", "--dry-run", cwd=project)
    assert priced.code == 0 and priced.out == plain.out  # stdout stays the exact request
    assert "specc: cost $0 to $0.00505" in priced.err


# ---------------------------------------------------------------------------- the real catalog snapshot


def _shared_catalog() -> Catalog:
    folder = shared_path("catalog")
    models = parse_models_response(json.loads((folder / "models.chlnga-models-pie.2026-06-16.json").read_text("utf-8")))
    catalog = Catalog.build(models, "2026-06-16", source="shared")
    model_id, endpoints = parse_endpoints_response(
        json.loads((folder / "endpoints.fener.openai-gpt-4o.2026-08-31.json").read_text("utf-8")))
    return catalog.with_endpoints({model_id or "openai/gpt-4o": endpoints})


def test_every_example_spec_gets_a_bound_from_the_shared_catalog(schemas):
    from specc.check import Checker

    catalog = _shared_catalog()
    checker = Checker(schemas=schemas, rules=[])
    bounded = 0
    for path in sorted(SPECS.glob("*.yaml")):
        body = checker.check_path(path).body
        if body is None or not isinstance(body.get("model"), str):
            continue
        bound = cost_bound(body, catalog)
        assert bound.catalog_date == "2026-06-16"
        if bound.least is not None and bound.most is not None:
            assert 0 <= bound.least <= bound.most, path.name
            bounded += 1
        else:
            assert bound.unknowns, path.name  # an unknown figure always says why
    assert bounded >= 3


def test_gpt_4o_on_the_shared_endpoints_is_priced_per_endpoint():
    bound = cost_bound(_body(max_completion_tokens=100), _shared_catalog())
    assert {row.provider for row in bound.rows} == {"OpenAI", "Azure"}
    assert bound.least is not None and bound.most is not None and bound.least < bound.most


def test_estimate_is_measured_against_the_corpus():
    corpus = shared_path("corpus")
    sys.path.insert(0, str(REPO / "scripts"))
    import token_estimate_error

    figures = token_estimate_error.report(token_estimate_error.samples(corpus))["all"]
    # the README states these figures; a change to the estimator that worsens them must be noticed
    assert figures["n"] > 800
    assert abs(figures["median_error"]) <= 0.10
    assert figures["median_abs_error"] <= 0.45
    assert figures["actual_below_low"] <= 0.10
