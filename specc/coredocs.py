"""The pages of the core codes (E, S, W, X): what `specc rule E004` prints after the summary.

A rule's page is its docstring; a core code has no class, so its page lives here, in the same
sections (Why, Example, Fix), and its one-line summary stays in `diagnostics.CORE_CODES`. The
README's table and `specc rules` are generated from these two places (`ruledocs.py`).
"""

from __future__ import annotations

CORE_PAGES: dict[str, str] = {
    "E001": """\
## Why
specc reads each spec as one YAML document in UTF-8. A syntax error, a byte that is not UTF-8
(a binary file), a duplicate key (YAML parsers disagree on which one wins), or a number JSON
cannot carry (NaN, infinity) would make the request something other than what the file says.

## Example
```yaml
request:
  model: openai/gpt-4o
  messages:
    - role: user
      content: "Say hi
```

## Fix
```yaml
request:
  model: openai/gpt-4o
  messages:
    - role: user
      content: "Say hi"
```
""",
    "E002": """\
## Why
A spec holds `request:` and a few keys of its own (`name`, `description`, `extends`, `abstract`,
`vars`, `matrix`, `headers`, `endpoint`, `expect`, `cassette`; `specc schema spec` prints them all). Any other top-level key is a typo or belongs inside `request:`; specc
refuses it rather than silently drop what was meant.

## Example
```yaml
descripton: Summaries for the inbox.
request:
  model: openai/gpt-4o
  messages: [{role: user, content: Summarise this.}]
```

## Fix
```yaml
description: Summaries for the inbox.
request:
  model: openai/gpt-4o
  messages: [{role: user, content: Summarise this.}]
```
""",
    "E003": """\
## Why
`extends` merges a base spec into this one. A base that is missing, unreadable, outside the
project, not a mapping, or that (through other bases) extends this spec again leaves the
request undefined.

## Example
```yaml
extends: bases/chat.yaml   # no such file
request:
  messages: [{role: user, content: hi}]
```

## Fix
```yaml
extends: base.yaml         # a path relative to this spec, inside the project
request:
  messages: [{role: user, content: hi}]
```
""",
    "E004": """\
## Why
A `{{ name }}` placeholder is filled from `vars:`, `--var NAME=VALUE` or, for `{{ env.NAME }}`,
the environment, else from its default (`{{ env.NAME | default text }}`). Placeholders are
always on: one that nothing fills is never sent as the literal braces. `specc compile`, `send`
and `test`, the pytest plugin and `specc.load_spec` refuse the spec at the placeholder. Lint
says E004 only for a var missing from the spec's own `vars:` (a typo, on any machine); a value
that only the machine or the run gives is I001 there.

To write braces that look like a placeholder, escape them: `\\{{ name }}` is sent as `{{ name }}`.

## Example
```yaml
vars:
  customer: Ada
request:
  model: openai/gpt-4o
  messages: [{role: user, content: "Greet {{ custmer }}"}]   # not a var of this spec
```

## Fix
```yaml
vars:
  customer: Ada
request:
  model: openai/gpt-4o
  messages: [{role: user, content: "Greet {{ customer }}"}]
```

At compile, send or test time, `model: "{{ env.HELPDESK_MODEL }}"` on a machine without the
variable is E004 too: set it, or give a default (`{{ env.HELPDESK_MODEL | openai/gpt-4o }}`).
""",
    "E005": """\
## Why
`!file`, `!data-url` and `!base64` put a file's content into the request. A file that is
missing, unreadable, outside the project, empty, of an unknown media type, or (for `.json`,
`.yaml`) not parsable would leave a hole in the request.

## Example
```yaml
request:
  model: openai/gpt-4o
  messages:
    - role: system
      content: !file prompts/sytem.md
```

## Fix
```yaml
request:
  model: openai/gpt-4o
  messages:
    - role: system
      content: !file prompts/system.md   # relative to this spec, inside the project
```
""",
    "E006": """\
## Why
A spec is a mapping with a `request:` key. An empty file, a list or a scalar at the top is no
request at all.

## Example
```yaml
- model: openai/gpt-4o
  messages: [{role: user, content: hi}]
```

## Fix
```yaml
request:
  model: openai/gpt-4o
  messages: [{role: user, content: hi}]
```
""",
    "E007": """\
## Why
specc bounds what one spec may cost to read: file size, nesting depth, alias expansion,
string length and the number of files pulled in. Past a bound the input is refused at the
offending place, so a hostile or runaway file cannot exhaust memory or time.

## Example
```yaml
request:
  model: openai/gpt-4o
  messages:
    - role: user
      content:
        - {type: image_url, image_url: {url: !data-url media/scan-600dpi.tiff}}   # 80 MB
```

## Fix
```yaml
request:
  model: openai/gpt-4o
  messages:
    - role: user
      content:
        - {type: image_url, image_url: {url: !data-url media/scan.png}}   # or raise max-file-bytes under [tool.specc]
```
""",
    "E008": """\
## Why
The spec's own keys have types: `name` and `description` are strings, `extends` a path or a
list of paths, `vars` a mapping, `expect` a mapping of checks. A value of another type cannot
mean what was intended.

## Example
```yaml
vars: [model, openai/gpt-4o]
request:
  model: "{{ model }}"
  messages: [{role: user, content: hi}]
```

## Fix
```yaml
vars: {model: openai/gpt-4o}
request:
  model: "{{ model }}"
  messages: [{role: user, content: hi}]
```
""",
    "E009": """\
## Why
`specc send --record` keeps the answer at the spec's `cassette:` path. A path that is a URL,
absolute, outside the project or a folder can hold no recording; said at lint time, so a
request is never sent (and billed) for an answer that cannot be kept.

## Example
```yaml
cassette: /tmp/capital.yaml
request:
  model: openai/gpt-4o
  messages: [{role: user, content: Capital of France?}]
```

## Fix
```yaml
cassette: cassettes/capital.yaml
request:
  model: openai/gpt-4o
  messages: [{role: user, content: Capital of France?}]
```
""",
    "E010": """\
## Why
A `matrix:` turns one spec into variants: each name is a `{{ name }}` placeholder or a request
path (`request.model`, `request.provider.sort`) with a list of values, crossed, then `exclude:`
drops and `include:` adds combinations (GitHub Actions' rules). A name that is neither, an empty
list, a non-scalar value for a placeholder, an `exclude` naming something that is not an axis,
no variant left, or more variants than `max-variants` (64 by default, in `[tool.specc]`) leaves
no set of requests specc could check and send as meant.

## Example
```yaml
matrix:
  request.model: [openai/gpt-4o, anthropic/claude-sonnet-4.5]
  exclude:
    - {model: openai/gpt-4o}        # `model` is not an axis: the axis is request.model
request:
  messages: [{role: user, content: hi}]
```

## Fix
```yaml
matrix:
  request.model: [openai/gpt-4o, anthropic/claude-sonnet-4.5]
  exclude:
    - {request.model: openai/gpt-4o}
request:
  messages: [{role: user, content: hi}]
```
""",
    "I001": """\
## Why
Lint must not need secrets or per-machine settings: a spec whose `{{ env.NAME }}` has no value
on this machine (or whose `{{ name }}` is meant for `--var`, in a spec without `vars:`) is
still checked, with the placeholder standing in for a string. The schema and the rules say
nothing about that value (it is not the one that will be sent: `unknown-model` does not fire
on `model: "{{ env.MODEL }}"`), and this note says it was not checked. `compile`, `send` and
`test` refuse the placeholder (E004) until it has a value. Info: printed, never a reason for a
non-zero exit; ignore it like any code (`ignore = ["I001"]`).

## Example
```yaml
request:
  model: "{{ env.HELPDESK_MODEL }}"
  messages: [{role: user, content: hi}]
```

## Fix
```yaml
request:
  model: "{{ env.HELPDESK_MODEL | openai/gpt-4o }}"   # checked as openai/gpt-4o
  messages: [{role: user, content: hi}]
```
""",
    "S101": """\
## Why
The compiled request body is validated against OpenRouter's OpenAPI request schema (with
specc's overlay). A body the schema refuses is answered with a 400, or worse, coerced.

## Example
```yaml
request:
  model: openai/gpt-4o
  messages: [{role: user, content: hi}]
  temperature: hot
```

## Fix
```yaml
request:
  model: openai/gpt-4o
  messages: [{role: user, content: hi}]
  temperature: 0.7
```
""",
    "S102": """\
## Why
OpenRouter passes request fields it does not know through, unchecked, so a misspelt field is
silently ignored. Close to a known field it is an error with the suggestion; otherwise a
warning (it may be a provider's own field).

## Example
```yaml
request:
  model: openai/gpt-4o
  messages: [{role: user, content: hi}]
  temprature: 0.7
```

## Fix
```yaml
request:
  model: openai/gpt-4o
  messages: [{role: user, content: hi}]
  temperature: 0.7
```
""",
    "S103": """\
## Why
At extension points (server tools, plugin ids, engines, effort levels, ...) OpenRouter adds
values faster than the vendored schema follows. A value the schema lacks, close to no known
one, may be new rather than wrong: a warning, with the schema's date.

## Example
```yaml
request:
  model: openai/gpt-5
  messages: [{role: user, content: hi}]
  reasoning: {effort: maximal}
```

## Fix
```yaml
request:
  model: openai/gpt-5
  messages: [{role: user, content: hi}]
  reasoning: {effort: high}   # or refresh the schema (`specc schema status`), or add it to the overlay
```
""",
    "W001": """\
## Why
A suppression that silences nothing outlives the finding it was written for, and would hide
the next one on that line. One naming an unknown rule or an E-code never worked.

## Example
```yaml
request:
  model: openai/gpt-4o
  messages: [{role: user, content: hi}]
  max_tokens: 1000   # specc: ignore[OR401]
```

## Fix
```yaml
request:
  model: openai/gpt-4o
  messages: [{role: user, content: hi}]
  max_tokens: 1000
```
""",
    "X001": """\
## Why
A rule raised an exception on this spec. The other rules still ran, and the rule's crash is
reported rather than hidden, so a lint run never passes by accident.

## Example
```text
spec.yaml:1:1: X001 rule OR7xx (...) crashed: TypeError: ...; please report this
```

## Fix
Report it with the spec (or a reduced one) that triggers it; `--ignore` the rule meanwhile.
""",
}


def core_page(code: str, summary: str) -> str:
    """A core code's page: its summary, then its Why / Example / Fix sections."""
    page = CORE_PAGES.get(code)
    return f"{summary}\n\n{page}" if page else summary
