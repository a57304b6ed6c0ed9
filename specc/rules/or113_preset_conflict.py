"""Rule OR113: a `@preset/...` in the model and a different `preset` field."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import PRESET_PREFIX, model_fields, parse_model
from ._rule import Finding, Rule, RuleContext


def preset_slug(value: str) -> str:
    """`support` for both `support` and `@preset/support` (the field is documented bare)."""
    value = value.strip()
    return value[len(PRESET_PREFIX):] if value.startswith(PRESET_PREFIX) else value


class PresetConflict(Rule):
    """A model id naming one preset (`@preset/x`) and a `preset` field naming another.

    ## Why
    A preset can be chosen in the model id (`@preset/x`, alone or as
    `author/model@preset/x`) or with the `preset` field. When the two name different
    presets, the request asks for two sets of saved settings (system prompt, parameters,
    routing) at once and only one can apply, so you cannot tell which configuration ran.
    Name the preset once.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o@preset/support-triage
      preset: billing-replies
      messages:
        - role: user
          content: Where is my invoice?
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o@preset/support-triage
      messages:
        - role: user
          content: Where is my invoice?
    ```

    ## Source
    OpenRouter presets guide (`guides/features/presets.mdx`: the `@preset/` model forms and the
    `preset` field); the API digest's model-id forms.
    """

    code = "OR113"
    name = "preset-conflict"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = ("preset",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        field = ctx.body.get("preset")
        if not isinstance(field, str) or not field.strip():
            return
        for _, raw in model_fields(ctx.body):
            in_model = parse_model(raw).preset
            if in_model and in_model.strip().lower() != preset_slug(field).lower():
                yield Finding(("preset",), f"model {raw!r} selects preset {in_model!r} but `preset` is {field!r}: "
                                           "name one preset, in the model id or in the field")
