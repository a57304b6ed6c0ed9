"""Rule OR410: sampling parameters outside their documented ranges."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

from ..diagnostics import Severity
from ._limits import is_number
from ._rule import Finding, Rule, RuleContext


@dataclass(frozen=True)
class Range:
    """A numeric interval; `None` bounds are open-ended, `*_open` excludes the bound itself."""

    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False

    def contains(self, value: float) -> bool:
        if isinstance(value, float) and math.isnan(value):  # math.isnan(huge int) overflows
            return False
        if self.low is not None and (value < self.low or self.low_open and value == self.low):
            return False
        return not (self.high is not None and (value > self.high or self.high_open and value == self.high))

    def __str__(self) -> str:
        if self.high is None:
            return f"{'>' if self.low_open else '>='} {self.low:g}"
        return f"{'(' if self.low_open else '['}{self.low:g}, {self.high:g}{')' if self.high_open else ']'}"


RANGES: dict[str, Range] = {
    "temperature": Range(0, 2),
    "top_p": Range(0, 1, low_open=True),
    "top_k": Range(1, None),
    "frequency_penalty": Range(-2, 2),
    "presence_penalty": Range(-2, 2),
    "repetition_penalty": Range(0, 2, low_open=True),
    "min_p": Range(0, 1),
    "top_a": Range(0, 1),
}
LOGIT_BIAS = Range(-100, 100)


class SamplingParamOutOfRange(Rule):
    """A sampling parameter (temperature, top_p, penalties, logit_bias, ...) outside its range.

    ## Why
    Each sampling knob has a documented range: `temperature` 0 to 2, `top_p` above 0 up
    to 1, `top_k` at least 1, `frequency_penalty` and `presence_penalty` -2 to 2,
    `repetition_penalty` above 0 up to 2, `min_p` and `top_a` 0 to 1, and each
    `logit_bias` value -100 to 100. A value outside is refused by OpenRouter or the
    provider instead of being clamped, and a penalty of 5 is rarely what was meant.

    ## Example
    ```yaml
    request:
      model: mistralai/mistral-small-3.2-24b-instruct
      temperature: 2.5
      messages:
        - role: user
          content: Invent a name for a bakery.
    ```

    ## Fix
    ```yaml
    request:
      model: mistralai/mistral-small-3.2-24b-instruct
      temperature: 1.5
      messages:
        - role: user
          content: Invent a name for a bakery.
    ```

    ## Source
    OpenRouter API overview and parameters pages (`api_reference/overview.mdx`,
    `api_reference/parameters.mdx`: the range of each sampling parameter).
    """

    code = "OR410"
    name = "sampling-param-out-of-range"
    severity = Severity.ERROR
    checks_partial_specs = True  # judges values written, never what is missing
    request_keys = (*RANGES, "logit_bias")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        for field, allowed in RANGES.items():
            value = body.get(field)
            if is_number(value) and not allowed.contains(value):
                yield Finding((field,), f"`{field}` is {value!r}, outside its range {allowed}: use a value within it")
        logit_bias = body.get("logit_bias")
        for token, bias in (logit_bias.items() if isinstance(logit_bias, dict) else ()):
            if is_number(bias) and not LOGIT_BIAS.contains(bias):
                yield Finding(("logit_bias", token), f"`logit_bias` for token {token!r} is {bias!r}, outside the "
                                                     f"range {LOGIT_BIAS}: use -100 to ban the token, 100 to force it, "
                                                     "or a value in between")
