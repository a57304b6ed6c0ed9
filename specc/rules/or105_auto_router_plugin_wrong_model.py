"""Rule OR105: the `auto-router` plugin with a model other than `openrouter/auto`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import parse_model
from ._rule import Finding, Rule, RuleContext, as_list

AUTO_ROUTER_MODEL = "openrouter/auto"


class AutoRouterPluginWrongModel(Rule):
    """An `auto-router` plugin in a request whose `model` is not `openrouter/auto`.

    ## Why
    The `auto-router` plugin only configures the Auto Router (which models it may pick,
    the cost tier). It takes effect when the request asks for `openrouter/auto`; with any
    other model it does nothing, so the allowed/excluded model lists you wrote are not
    applied. Either ask for `openrouter/auto` or drop the plugin.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini
      plugins:
        - id: auto-router
          allowed_models: [openai/gpt-4o-mini, anthropic/claude-haiku-4.5]
      messages:
        - role: user
          content: Hello
    ```

    ## Fix
    ```yaml
    request:
      model: openrouter/auto
      plugins:
        - id: auto-router
          allowed_models: [openai/gpt-4o-mini, anthropic/claude-haiku-4.5]
      messages:
        - role: user
          content: Hello
    ```

    ## Source
    OpenRouter Auto Router guide (`guides/routing/routers/auto-router.mdx`); agent-skills
    `references/plugins.md`; OpenAPI `AutoRouterPlugin`.
    """

    code = "OR105"
    name = "auto-router-plugin-wrong-model"
    severity = Severity.WARNING
    request_keys = ("plugins",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        model = ctx.body.get("model")
        if not isinstance(model, str) or not model.strip():
            return  # no model: the account default or a preset decides, which we cannot see
        parsed = parse_model(model)
        if parsed.base == AUTO_ROUTER_MODEL or not parsed.base:
            return  # a bare `@preset/x` may itself select openrouter/auto
        for index, plugin in enumerate(as_list(ctx.body.get("plugins"))):
            if isinstance(plugin, dict) and plugin.get("id") == "auto-router" and plugin.get("enabled") is not False:
                yield Finding(("plugins", index, "id"),
                              f"the auto-router plugin only applies to model '{AUTO_ROUTER_MODEL}', but the model "
                              f"is {model!r}: set `model: {AUTO_ROUTER_MODEL}` or remove the plugin")
