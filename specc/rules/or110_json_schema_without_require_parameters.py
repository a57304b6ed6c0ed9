"""Rule OR110: `response_format: json_schema` without `provider.require_parameters: true`."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._models import requires_parameters
from ._rule import Finding, Rule, RuleContext, as_dict


class JsonSchemaWithoutRequireParameters(Rule):
    """Structured output (`json_schema`) without `provider.require_parameters: true`.

    ## Why
    Whether `response_format: {type: json_schema}` is enforced depends on the endpoint
    serving the request, not on the model: several providers host the same model and not
    all of them support structured outputs. Without `provider.require_parameters: true`
    OpenRouter may pick one that ignores the schema, and the reply is free text that your
    parser then rejects.

    ## Example
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct
      response_format:
        type: json_schema
        json_schema:
          name: ticket
          schema: {type: object, properties: {priority: {type: string}}}
      messages:
        - role: user
          content: My laptop will not boot.
    ```

    ## Fix
    ```yaml
    request:
      model: meta-llama/llama-3.3-70b-instruct
      provider:
        require_parameters: true
      response_format:
        type: json_schema
        json_schema:
          name: ticket
          schema: {type: object, properties: {priority: {type: string}}}
      messages:
        - role: user
          content: My laptop will not boot.
    ```

    ## Source
    OpenRouter structured outputs guide (`guides/features/structured-outputs.mdx`);
    agent-skills `references/structured-outputs.md`.
    """

    code = "OR110"
    name = "json-schema-without-require-parameters"
    severity = Severity.WARNING
    request_keys = ("response_format",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if as_dict(ctx.body.get("response_format")).get("type") == "json_schema" and not requires_parameters(ctx.body):
            yield Finding(("response_format", "type"),
                          "structured output (`json_schema`) is supported per endpoint: without "
                          "`provider.require_parameters: true` the request may be served by an endpoint that "
                          "ignores the schema; set it")
