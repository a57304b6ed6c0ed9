"""Rule OR117: a model id the model catalog does not know."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._catalog import cited
from ._models import model_fields
from ._plugins import plugins
from ._rule import Finding, Rule, RuleContext, as_list


class UnknownModel(Rule):
    """A `model`, `models[]` entry or `auto-router` allowed model that is not in the model catalog.

    ## Why
    OpenRouter only checks model ids when the request arrives: a typo such as
    `anthropic/claude-sonet-4` fails at run time with "not a valid model ID", and in
    `models[]` it silently removes a fallback. With a catalog (`specc models pull`) the id
    is checked offline against every model OpenRouter lists, with the closest ids
    suggested. Variant suffixes (`:nitro`, `:online`, ...) and `@preset/...` are accepted;
    `:free` on a model without a free variant is reported on its own. An `auto-router`
    `allowed_models` pattern (`anthropic/*`) must match at least one model.

    The verdict is as true as the catalog is recent: models are retired. Measured with a
    June 2026 catalog snapshot, this rule fires on many recorded requests of 2025 that the
    live API accepted then, for models it has retired since; pull a fresh catalog before
    trusting it (messages name the catalog's date).

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonet-4.5
      messages:
        - role: user
          content: Hello
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      messages:
        - role: user
          content: Hello
    ```

    ## Source
    OpenRouter models API (`GET /api/v1/models`), model variants guide
    (`guides/routing/model-variants/*.mdx`), auto router (`guides/routing/routers/auto-router.mdx`).
    """

    code = "OR117"
    name = "unknown-model"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    needs_catalog = True
    request_keys = ("model", "models", "plugins")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.catalog is None:  # only run with a catalog (the checker skips it otherwise)
            return
        catalog = ctx.catalog
        for pointer, raw in model_fields(ctx.body):
            resolution = catalog.resolve(raw)
            if resolution.skipped:
                continue
            if resolution.free_missing:
                yield Finding(pointer, f"{raw!r}: {resolution.lookup!r} has no free variant (no "
                                       f"{resolution.lookup + ':free'!r} and its prices are not zero {cited(catalog)}): "
                                       "drop `:free` or pick a model that has one")
            elif resolution.model is None:
                yield Finding(pointer, f"{raw!r} is not a model in the {catalog.label}{self._hint(catalog, resolution.lookup)}")
        for index, plugin in plugins(ctx, "auto-router"):
            for position, pattern in enumerate(as_list(plugin.get("allowed_models"))):
                if isinstance(pattern, str) and pattern.strip() and not catalog.matching(pattern.strip()):
                    yield Finding(("plugins", index, "allowed_models", position),
                                  f"auto-router allowed model {pattern!r} matches no model in the "
                                  f"{catalog.label}{self._hint(catalog, pattern.rstrip('*'))}")

    @staticmethod
    def _hint(catalog, model_id: str) -> str:
        close = catalog.closest(model_id)
        if not close:
            return "; see `specc models search`"
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
