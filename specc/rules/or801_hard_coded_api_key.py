"""Rule OR801: an API key or other secret written into a spec."""

from __future__ import annotations

import json
from typing import Iterator

from ..diagnostics import Severity
from ..secrets import OPENROUTER_KEY, find_secrets, looks_like_secret, might_contain_secret, might_hold_token
from ._messages import describe_pointer, walk_strings
from ._rule import Finding, Rule, RuleContext


class HardCodedApiKey(Rule):
    """An OpenRouter key, or anything shaped like an API key or token, written into a spec.

    Besides keys with a known prefix (`sk-or-`, `sk-`, `sk-ant-`, `AIza`, `ghp_`, `AKIA`, ...) it
    recognises a bare 64-hex key, the base64 of a key, and long random-looking tokens (mixed
    case and digits, 32 to 200 characters, 4.5+ bits of entropy per character); base64 media
    in a `data:` URL is data, not a key. No diagnostic repeats a value this rule flags: the run
    redacts it from every message, excerpt and output.

    ## Why
    Specs are committed, reviewed, shared and recorded into cassettes. A key pasted
    into one (in the request, a header, a var, a `!file`-included file or an `extends`
    base) leaks to everyone who can read the repository; OpenRouter watches for exposed
    keys and asks their owner to replace them. specc reads the OpenRouter key from `OPENROUTER_API_KEY` in
    the environment; other secrets belong in the environment too, referenced as
    `{{ env.NAME }}`. The message says where the secret is but never repeats it.

    ## Example
    ```yaml
    vars:
      api_key: sk-or-v1-example-not-a-real-key
    request:
      model: openai/gpt-4o-mini
      messages:
        - role: user
          content: Summarise the release notes.
    ```

    ## Fix
    ```yaml
    request:
      model: openai/gpt-4o-mini
      messages:
        - role: user
          content: Summarise the release notes.
    ```

    ## Source
    OpenRouter authentication docs (`api_reference/authentication.mdx`: keys go in the
    Authorization header, keys stay out of the codebase, OpenRouter is a GitHub secret-scanning
    partner); the skill digest's base-URL and auth section.
    """

    code = "OR801"
    name = "hard-coded-api-key"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    # no `request_keys`: a secret may sit anywhere in the spec, not only in the request

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # Scan what the user wrote (merged `extends` bases and `!file` includes), not the
        # rendered body: a key that `{{ env.NAME }}` fills in at compile time is not hard-coded.
        data = ctx.doc.data if ctx.doc is not None and isinstance(ctx.doc.data, dict) else None
        if data is None:
            if _might_contain(_serialized(ctx.body)):
                yield from self._scan(ctx.body, in_spec=False)
            return
        if might_hold_a_secret(ctx.doc):
            yield from self._scan(data, in_spec=True)

    def _scan(self, value, in_spec: bool):
        """A finding for every string (or key) of `value` that looks like a secret."""
        for pointer, text, is_key in walk_strings(value):
            if not find_secrets(text):
                continue
            kind = "an OpenRouter API key" if OPENROUTER_KEY.search(text) else "an API key or token"
            steps = _redacted(pointer[:-1] if is_key else pointer)
            where = describe_pointer(steps if in_spec else ("request", *steps))
            if is_key:
                subject = f"a key of {where}" if where else "a top-level key"
            else:
                subject = where or "the spec"
            yield Finding(pointer, f"{subject} contains something that looks like {kind}: remove it and keep "
                          "secrets in the environment (OPENROUTER_API_KEY for the OpenRouter key, "
                          "`{{ env.NAME }}` for others)", on_key=is_key, in_spec=in_spec)


def might_hold_a_secret(doc) -> bool:
    """A cheap screen of a loaded spec: False guarantees that no string of `doc.data` looks like a secret.

    One regex pass rules out nearly every spec; only a spec that might hold a secret is
    walked string by string to say where. The pass runs over the text the user wrote (the
    spec and its `extends` bases, `doc.sources`), which spells out every string of the data
    except what a YAML escape encodes (`"\\x73k-..."`, a `\\` line continuation) and what
    a tag pulls in (`!file`, `!base64`, ...). A spec whose sources hold a backslash or a tag
    is screened the exact way instead: over its data, serialized.
    """
    texts = [source.text for source in doc.sources]
    if not texts or any("\\" in text or _may_hold_a_tag(text) for text in texts):
        return _might_contain(_serialized(doc.data))
    return any(_might_contain(text) for text in texts)


def _might_contain(text: str) -> bool:
    return might_contain_secret(text) or might_hold_token(text)


def flagged_values(doc) -> list[str]:
    """The values this rule flags in `doc` (what the user wrote), for the run to redact everywhere."""
    data = doc.data if doc is not None and isinstance(doc.data, dict) else None
    if data is None:
        return []
    return [found for _, text, _ in walk_strings(data) for found in find_secrets(text)]


def _may_hold_a_tag(text: str) -> bool:
    """Whether `text` may hold a YAML tag: an `!` that does not end a word (`!file`, `[!base64 a]`, not `Hi!`)."""
    at = text.find("!")
    while at != -1:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
            return True
        at = text.find("!", at + 1)
    return False


def _serialized(value) -> str:
    """Every string of `value` (keys included) in one text, for the screen."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _redacted(pointer: tuple) -> tuple:
    """`pointer` with any step that itself looks like a secret hidden, so the location never leaks it."""
    return tuple("<redacted>" if isinstance(step, str) and find_secrets(step) else step for step in pointer)
