"""The one HTTP client factory: every request specc makes (send, the catalog pull, the schema vendor) goes through it.

One policy, the same for every caller:

- **Redirects are never followed.** `send` carries the API key in the Authorization
  header, and a redirect could hand it to another host; the catalog and the schema
  source are read from a URL the user named, and a redirect is reported (with where it
  points) so they can name the final URL instead. A 3xx is an answer like any other,
  for the caller to report.
- **The environment is ignored** (`trust_env=False`): no proxies from `HTTP(S)_PROXY` /
  `ALL_PROXY`, no `.netrc` credentials, no `SSL_CERT_FILE`. A proxy configured for
  something else would otherwise see the key (and every prompt) without the user
  having asked specc to use it; what specc talks to is only what `--base-url` /
  `OPENROUTER_BASE_URL` or the command's URL says. This is what `send` has always done.
- **TLS is verified** against httpx's bundled CA store (certifi); there is no switch to
  turn verification off.
- **Timeouts are always explicit:** the caller passes seconds (one figure for every phase)
  or an `httpx.Timeout`; there is no unbounded default.

httpx is imported only when a client is really made, so importing this module costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    import httpx


def make_client(timeout: "float | httpx.Timeout", transport: "httpx.BaseTransport | None" = None,
                headers: Mapping[str, str] | None = None) -> "httpx.Client":
    """An `httpx.Client` with specc's policy (see the module docstring). `transport` replaces the
    network (a cassette, a mock); `headers` are sent with every request the client makes."""
    import httpx

    return httpx.Client(transport=transport, timeout=timeout, headers=dict(headers) if headers else None,
                        follow_redirects=False, trust_env=False, verify=True)
