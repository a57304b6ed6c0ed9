"""Rule OR101: more than three entries in `models[]`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext, as_list

MAX_FALLBACK_MODELS = 3


class ModelsTooMany(Rule):
    """A `models` fallback list with more than three entries.

    ## Why
    OpenRouter tries the models in `models` in order when one fails, but it only accepts a
    short list: a request with four or more entries is refused outright with a 400
    (`'models' array must have 3 items or fewer`), so none of the models is ever tried.
    The limit is enforced by the live API although the documentation does not state it.
    Keep the three fallbacks you care about most.

    ## Example
    ```yaml
    request:
      model: openai/gpt-4o-mini
      models:
        - openai/gpt-4o-mini
        - anthropic/claude-haiku-4.5
        - google/gemini-2.5-flash
        - meta-llama/llama-3.3-70b-instruct
      messages:
        - role: user
          content: Summarise these notes.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      models:
        - openai/gpt-4o-mini
        - anthropic/claude-haiku-4.5
        - google/gemini-2.5-flash
      messages:
        - role: user
          content: Summarise these notes.
    ```

    ## Source
    Observed API behaviour reported in issue threads (github.com/ever-co/ever-gauzy/pull/9915,
    github.com/coder/xum/issues/2963, github.com/openclaw/openclaw/pull/95692); the model
    fallbacks guide (`guides/routing/model-fallbacks.mdx`) describes `models` without the limit.
    """

    code = "OR101"
    name = "models-too-many"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = ("models",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        models = as_list(ctx.body.get("models"))
        if len(models) > MAX_FALLBACK_MODELS:
            yield Finding(("models", MAX_FALLBACK_MODELS),
                          f"`models` has {len(models)} entries; OpenRouter rejects the request when there are more "
                          f"than {MAX_FALLBACK_MODELS}: keep at most {MAX_FALLBACK_MODELS} fallback models")
