"""Rule OR406: `metadata` beyond its limits (16 pairs, 64-character keys, 512-character values)."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Severity
from ._rule import Finding, Rule, RuleContext

MAX_PAIRS = 16
MAX_KEY = 64
MAX_VALUE = 512


class MetadataTooManyPairs(Rule):
    """`metadata` with more than 16 pairs, a key over 64 characters or a value over 512.

    ## Why
    Request metadata is stored alongside the generation for your own bookkeeping, and
    OpenRouter bounds it: at most 16 key/value pairs, keys up to 64 characters, values
    up to 512 characters. A request over any of these limits is rejected.

    ## Example
    ```yaml
    request:
      model: openai/gpt-5-mini
      metadata:
        customer_reference_number_as_issued_by_the_legacy_billing_system_v1: "A-1009"
      messages:
        - role: user
          content: Hello!
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-5-mini
      metadata:
        customer_ref: "A-1009"
      messages:
        - role: user
          content: Hello!
    ```

    ## Source
    OpenAPI schema `ChatRequest.metadata` (at most 16 pairs, 64-character keys, 512-character values).
    """

    code = "OR406"
    name = "metadata-too-many-pairs"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = ("metadata",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        metadata = ctx.body.get("metadata")
        if not isinstance(metadata, dict):
            return
        if len(metadata) > MAX_PAIRS:
            yield Finding(("metadata",), f"`metadata` has {len(metadata)} pairs; at most {MAX_PAIRS} are allowed: "
                                         "drop or merge some", on_key=True)
        for key, value in metadata.items():
            if isinstance(key, str) and len(key) > MAX_KEY:
                yield Finding(("metadata", key), f"`metadata` key {_short(key)} is {len(key)} characters; keys may "
                                                 f"have at most {MAX_KEY}: shorten it", on_key=True)
            if isinstance(value, str) and len(value) > MAX_VALUE:
                yield Finding(("metadata", key), f"`metadata.{_short(key, quote=False)}` is {len(value)} characters; "
                                                 f"values may have at most {MAX_VALUE}: shorten it or store it "
                                                 "elsewhere and keep a reference")


def _short(text, quote: bool = True, width: int = 32) -> str:
    """A long key shortened for a message (the span already shows where it is)."""
    text = str(text)
    shown = text if len(text) <= width else text[:width - 3] + "..."
    return repr(shown) if quote else shown
