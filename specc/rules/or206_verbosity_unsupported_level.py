"""Rule OR206: a `verbosity` level the requested model does not offer."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import ModelId, at_least, claude_opus_version, describe, matching_models
from ._rule import Finding, Rule, RuleContext

# Level -> the first Claude Opus version that offers it.
MINIMUM_OPUS = {"xhigh": (4, 7), "max": (4, 6)}


class VerbosityUnsupportedLevel(Rule):
    """`verbosity: xhigh` or `max` for a model older than the Claude Opus that offers it.

    ## Why
    `low`, `medium` and `high` are the portable verbosity levels. The two highest exist
    only on recent Claude Opus models, where verbosity becomes Anthropic's
    `output_config.effort`: `max` needs Claude Opus 4.6 or later and `xhigh` needs Claude
    Opus 4.7 or later. Every other model, including other Anthropic models and non-Anthropic
    ones such as OpenAI's (whose verbosity stops at `high`), does not offer them, so the
    level is not applied as written. Use `high`, or one of those Opus models.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-opus-4.6
      verbosity: xhigh
      messages:
        - role: user
          content: Explain the CAP theorem in depth.
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-opus-4.7
      verbosity: xhigh
      messages:
        - role: user
          content: Explain the CAP theorem in depth.
    ```

    ## Source
    OpenRouter parameters page (`api_reference/parameters.mdx`, verbosity).
    """

    code = "OR206"
    name = "verbosity-unsupported-level"
    severity = Severity.WARNING
    request_keys = ("verbosity",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        level = ctx.body.get("verbosity")
        minimum = MINIMUM_OPUS.get(level) if isinstance(level, str) else None
        if minimum is None:
            return

        def lacks_level(model: ModelId) -> bool:
            return bool(model.author) and not at_least(claude_opus_version(model), minimum)

        models = matching_models(ctx.body, lacks_level)
        if models:
            version = f"{minimum[0]}.{minimum[1]}"
            yield Finding(("verbosity",), f"verbosity {level!r} is only offered by Claude Opus {version} and later, "
                                          f"not by {describe(models)}: use 'high' or a newer Claude Opus")
