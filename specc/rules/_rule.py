"""What a lint rule is.

A rule is a class in its own module, `specc/rules/<code>_<name>.py`. Its docstring
is its documentation page and follows one layout, because `specc rule CODE`, the
README table, the SARIF help text and the doc tests are all generated from it:

    One-line summary (what it checks).

    ## Why
    The consequence at the API.

    ## Example
    ```yaml
    request: ...      # a spec that makes the rule fire
    ```

    ## Fix
    ```yaml
    request: ...      # the same spec, fixed: the rule stays silent
    ```

    ## Source
    Where the pitfall is documented.

`check(ctx)` yields `Finding`s: a pointer into the request body, a message, and
optionally a mechanical `Fix`. Rules read the body and never raise on odd input:
the body may violate the schema (a string where a list belongs), so look before
you index.

Two things keep the 70-odd rules cheap on every spec of a large tree:

- `request_keys` names the top-level request keys a rule is about. A rule cannot
  fire on a body holding none of them, so the checker skips it without calling
  `check`; a test removes those keys from every case body and expects silence.
- `ctx.conversation` (the messages, their content parts and tool calls; see
  `_messages.Conversation`), `ctx.tools` and `ctx.plugins` are views of the body
  built on first use and shared by every rule of the spec, instead of each rule
  walking the body again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable

from ..diagnostics import Fix, Severity
from ._messages import Conversation
from ._values import as_dict, as_list  # noqa: F401  (the rules import them from here)

if TYPE_CHECKING:
    from ..load import Document
    from ..specfile import SpecFile


@dataclass(frozen=True)
class Finding:
    """One thing a rule found: where in the request body (a JSON pointer as a tuple) and what to say."""

    pointer: tuple[str | int, ...]
    message: str
    on_key: bool = False  # point at the key rather than its value
    fix: Fix | None = None
    in_spec: bool = False  # `pointer` is into the whole spec (headers, vars, ...), not the request body


class shared_view:
    """A view of the body computed on a context's first use and then kept: every rule of the spec reads it.

    `functools.cached_property` does the same but takes a lock on every first use (Python
    3.11), which cost more than some views; a context is never shared between threads.
    Rules read views and never modify them.
    """

    def __init__(self, compute: Callable[["RuleContext"], Any]):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, ctx: "RuleContext | None", owner: type | None = None) -> Any:
        if ctx is None:
            return self
        value = ctx.__dict__[self.name] = self.compute(ctx)  # from now on found before this descriptor
        return value


@dataclass(frozen=True)
class RuleContext:
    """What a rule may look at. `catalog` is None unless a model catalog is loaded."""

    body: dict[str, Any]
    spec: "SpecFile | None" = None  # the spec's own keys (headers, vars, ...)
    doc: "Document | None" = None
    catalog: Any = None

    @shared_view
    def conversation(self) -> "Conversation":
        """The body's messages, content parts and tool calls (see `_messages.Conversation`)."""
        return Conversation(self.body)

    @shared_view
    def tools(self) -> list[tuple[int, dict[str, Any]]]:
        """`(index, tool)` for every mapping in `tools`."""
        return [(k, tool) for k, tool in enumerate(as_list(self.body.get("tools"))) if isinstance(tool, dict)]

    @shared_view
    def plugins(self) -> list[tuple[int, dict[str, Any]]]:
        """`(index, plugin)` for every mapping in `plugins`."""
        return [(i, plugin) for i, plugin in enumerate(as_list(self.body.get("plugins"))) if isinstance(plugin, dict)]


class Rule:
    """Base class: set the class attributes, write the docstring, implement `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    needs_catalog: ClassVar[bool] = False
    fixable: ClassVar[bool] = False
    # Opt-in rules (advice most real requests would draw, like ruff's upgrade rules) are not in
    # the default selection: they run only when `select` names them by code or name.
    opt_in: ClassVar[bool] = False
    # The top-level request keys the rule is about: on a body with none of them it cannot
    # fire, so the checker skips it. Empty: the rule runs on every spec.
    request_keys: ClassVar[tuple[str, ...]] = ()
    # True for a rule that judges only values written (a number out of range, a secret), never
    # that something is missing: it also runs on a partial spec (a base, `abstract: true`, or a
    # spec whose base is missing), where most rules would mistake "not here" for "not sent".
    checks_partial_specs: ClassVar[bool] = False

    def check(self, ctx: RuleContext) -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    # ---------------------------------------------------------------- docs from the docstring

    @classmethod
    def doc(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The docstring's first line. Read without `cleandoc`, which every lint run paid for
        all 80 rules only to keep one line of each (10 ms of a 250 ms profiled one-file run)."""
        return next((line.strip() for line in (cls.__doc__ or "").splitlines() if line.strip()), "")

    @classmethod
    def section(cls, title: str) -> str:
        """The text of a `## title` section of the docstring ('' when absent)."""
        match = re.search(rf"^## {re.escape(title)}\s*\n(.*?)(?=^## |\Z)", cls.doc(), re.M | re.S)
        return match.group(1).strip() if match else ""

    @classmethod
    def example(cls, title: str) -> str:
        """The YAML of the fenced block in section `title` ("Example" fires, "Fix" does not)."""
        match = re.search(r"```yaml\n(.*?)```", cls.section(title), re.S)
        return match.group(1) if match else ""
