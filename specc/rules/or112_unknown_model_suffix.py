"""Rule OR112: a model `:suffix` that is not a documented variant."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import KNOWN_SUFFIXES, closest_suffix, model_fields, parse_model
from ._rule import Finding, Rule, RuleContext


class UnknownModelSuffix(Rule):
    """A `:suffix` on a model id that is not one of OpenRouter's variants.

    ## Why
    After the model slug, a colon selects a variant: `:free`, `:nitro`, `:floor`,
    `:online`, `:extended`, `:exacto` or `:thinking`. Anything else makes the id name a
    model that does not exist, and OpenRouter answers that the model is not a valid model
    id; in `models[]` the fallback is unusable. Usually it is a typo.

    ## Example
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct:nitr0
      messages:
        - role: user
          content: Hello
    ```

    ## Fix
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct:nitro
      messages:
        - role: user
          content: Hello
    ```

    ## Source
    OpenRouter model variants (`guides/routing/model-variants/*.mdx`: free, extended, exacto,
    thinking, online, nitro, floor).
    """

    code = "OR112"
    name = "unknown-model-suffix"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = ("model", "models")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for pointer, raw in model_fields(ctx.body):
            for suffix in parse_model(raw).suffixes:
                if suffix in KNOWN_SUFFIXES:
                    continue
                closest = closest_suffix(suffix) if suffix else None
                hint = f"did you mean `:{closest}`?" if closest else "the variants are " + ", ".join(
                    f":{known}" for known in KNOWN_SUFFIXES)
                shown = f"`:{suffix}`" if suffix else "an empty `:` suffix"
                yield Finding(pointer, f"{raw!r} has {shown}, which is not an OpenRouter model variant: {hint}")
