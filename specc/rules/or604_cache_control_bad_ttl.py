"""Rule OR604: a `cache_control` whose `ttl` or `type` Anthropic does not accept."""

from __future__ import annotations

import re
from typing import Any, Iterator

from ..diagnostics import Edit, Fix, Severity
from ._plugins import cache_control_directives, path_text
from ._rule import Finding, Rule, RuleContext

TTLS = ("5m", "1h")
EPHEMERAL = "ephemeral"
_DURATION = re.compile(r"^\s*(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?)\s*$", re.I)
_SECONDS = {"s": 1, "m": 60, "h": 3600}


class CacheControlBadTtl(Rule):
    """A `cache_control` with a `ttl` other than `5m`/`1h`, or a `type` other than `ephemeral`.

    ## Why
    A cache breakpoint is `{type: ephemeral}` with an optional `ttl` of exactly `"5m"`
    (the default) or `"1h"`; no other lifetime exists, and `ephemeral` is the only type.
    Anything else (`ttl: 10m`, `ttl: 300s`, `type: persistent`, or a bare
    `cache_control: ephemeral`) is rejected. Where the intended value is unambiguous
    (`300s`, `60 minutes`, `Ephemeral`, a bare `ephemeral`) the fix rewrites it.

    ## Example
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      messages:
        - role: user
          content:
            - type: text
              text: "<long contract text>"
              cache_control: {type: ephemeral, ttl: 60m}
            - type: text
              text: List the termination clauses.
    ```

    ## Fix
    ```yaml
    request:
      model: anthropic/claude-sonnet-4.5
      messages:
        - role: user
          content:
            - type: text
              text: "<long contract text>"
              cache_control: {type: ephemeral, ttl: 1h}
            - type: text
              text: List the termination clauses.
    ```

    ## Source
    OpenAPI schemas `AnthropicCacheControlDirective` and `AnthropicCacheControlTtl`;
    OpenRouter prompt caching guide (`guides/best-practices/prompt-caching.mdx`, cache TTL
    options).
    """

    code = "OR604"
    name = "cache-control-bad-ttl"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    fixable = True
    request_keys = ("cache_control", "tools", "messages")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for pointer, value in cache_control_directives(ctx):
            yield from _check_directive(pointer, value)


def _check_directive(pointer: tuple, value: Any) -> Iterator[Finding]:
    where = path_text(pointer)
    if value is None:
        return  # a null is a type error the schema reports; nothing to say about ttl/type
    if not isinstance(value, dict):
        meant = _meant_directive(value)
        fix = Fix(f"write {meant}", (Edit("set", pointer, meant),)) if meant else None
        yield Finding(pointer, f"`{where}` must be a mapping such as {{type: ephemeral}} (optionally with ttl "
                      f"'5m' or '1h'), not {value!r}", fix=fix)
        return
    kind = value.get("type")
    if "type" not in value:
        yield Finding(pointer, f"`{where}` has no `type`; write `type: ephemeral`, the only kind of cache breakpoint",
                      fix=Fix("add `type: ephemeral`", (Edit("set", (*pointer, "type"), EPHEMERAL),)))
    elif kind != EPHEMERAL:
        fix = None
        if isinstance(kind, str) and kind.strip().lower() == EPHEMERAL:
            fix = Fix("write 'ephemeral'", (Edit("set", (*pointer, "type"), EPHEMERAL),))
        yield Finding((*pointer, "type"), f"`{where}.type` is {kind!r}; the only cache type is 'ephemeral' (choose "
                      "the lifetime with `ttl`)", fix=fix)
    if "ttl" in value and value["ttl"] not in TTLS:
        ttl = value["ttl"]
        fix, instead = None, "use '5m' (the default) or '1h'"
        if ttl is None:
            fix = Fix("delete the null `ttl` (the default is '5m')", (Edit("delete", (*pointer, "ttl")),))
            instead = "leave `ttl` out for the default '5m', or write '1h'"
        elif (normal := normalize_ttl(ttl)) is not None:
            fix, instead = Fix(f"write {normal!r}", (Edit("set", (*pointer, "ttl"), normal),)), f"write {normal!r}"
        shown = "null" if ttl is None else repr(ttl)
        yield Finding((*pointer, "ttl"), f"`{where}.ttl` is {shown}; cache breakpoints live '5m' or '1h' only: "
                      f"{instead}", fix=fix)


def normalize_ttl(ttl: Any) -> str | None:
    """'5m' or '1h' when `ttl` spells five minutes or one hour another way ('300s', '60 min', '1 hour'), else None."""
    if not isinstance(ttl, str):
        return None
    match = _DURATION.match(ttl)
    if not match:
        return None
    seconds = int(match.group(1)) * _SECONDS[match.group(2)[0].lower()]
    return {300: "5m", 3600: "1h"}.get(seconds)


def _meant_directive(value: Any) -> dict | None:
    """The mapping a shorthand stands for: `ephemeral`/`true` → {type: ephemeral}, `1h` → with that ttl."""
    if value is True or (isinstance(value, str) and value.strip().lower() == EPHEMERAL):
        return {"type": EPHEMERAL}
    ttl = value if isinstance(value, str) and value in TTLS else normalize_ttl(value)
    return {"type": EPHEMERAL, "ttl": ttl} if ttl else None
