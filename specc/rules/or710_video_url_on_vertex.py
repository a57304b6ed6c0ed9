"""Rule OR710: a video URL that the Google provider a Gemini request is routed to cannot fetch."""

from __future__ import annotations

from typing import Any, Iterator

from ..diagnostics import Severity
from ._messages import VIDEO_PART_TYPES, is_data_url, is_youtube_url, video_url
from ._models import describe, is_gemini, matching_models
from ._rule import Finding, Rule, RuleContext, as_dict, as_list

VERTEX, AI_STUDIO, OTHER = "Google Vertex", "Google AI Studio", "other"
GEMINI_HOSTS = frozenset({VERTEX, AI_STUDIO})


class VideoUrlOnVertex(Rule):
    """A video URL sent to Gemini through a Google provider that cannot take it.

    ## Why
    Which video URLs work depends on the provider that serves the request. Gemini on
    Google Vertex takes no video URLs at all, only base64 `data:` URLs; Gemini on Google
    AI Studio takes YouTube links and nothing else. OpenRouter forwards a video URL only
    to a provider that supports it, so when the routing leaves no such provider the
    request fails.

    The rule is deliberately conservative: it fires only for a Gemini model whose
    `provider` routing names Google Vertex or Google AI Studio (`order` or `only`, any
    spelling such as `google-vertex` or `"Google AI Studio"`), and only when *every*
    provider the routing still allows rejects the URL. With `allow_fallbacks` left on,
    both Google providers stay reachable, so a YouTube link passes; a provider outside
    Google in `only`/`order`, or no routing at all, keeps the rule silent.

    ## Example
    ```yaml
    request:
      model: google/gemini-2.5-flash
      provider:
        only: [google-vertex]
      messages:
        - role: user
          content:
            - type: text
              text: Summarise this clip.
            - type: video_url
              video_url:
                url: https://www.youtube.com/watch?v=dQw4w9WgXcQ
    ```

    ## Fix
    ```yaml
    request:
      model: google/gemini-2.5-flash
      provider:
        only: [google-ai-studio]
      messages:
        - role: user
          content:
            - type: text
              text: Summarise this clip.
            - type: video_url
              video_url:
                url: https://www.youtube.com/watch?v=dQw4w9WgXcQ
    ```

    ## Source
    OpenRouter video guide (`guides/overview/multimodal/videos.mdx`, provider-specific video URL
    support); agent-skills `references/multimodal.md`.
    """

    code = "OR710"
    name = "video-url-on-vertex"
    severity = Severity.ERROR
    request_keys = ("messages",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        body = ctx.body
        videos = ctx.conversation.parts_of_type(*VIDEO_PART_TYPES)
        if not videos:
            return  # cheaper to know than the routing below
        gemini = matching_models(body, is_gemini)
        hosts, route = reachable_hosts(body)
        if not gemini or not hosts or OTHER in hosts:
            return
        for i, j, part in videos:
            url = video_url(part)
            if url is None or is_data_url(url):
                continue
            youtube = is_youtube_url(url)
            if youtube and AI_STUDIO in hosts:
                continue
            if hosts == {VERTEX}:
                why = "Google Vertex takes no video URLs"
            elif hosts == {AI_STUDIO}:
                why = "Google AI Studio takes only YouTube links"
            else:
                why = "Google Vertex takes no video URLs and Google AI Studio only YouTube links"
            instead = "send the video as a base64 `data:video/...` URL"
            if not youtube and AI_STUDIO in hosts:
                instead += " or use a YouTube link"
            elif youtube:
                instead += " or route to Google AI Studio"
            routed = " / ".join(sorted(hosts))
            yield Finding(("messages", i, "content", j, "video_url", "url"),
                          f"{describe(gemini)} is routed to {routed} ({route}): {why}; {instead}")


def provider_host(name: str) -> str:
    """Which Gemini host a provider name means (`google-vertex`, `"Google AI Studio"`, ...)."""
    key = name.strip().lower().replace(" ", "-").replace("_", "-")
    if "vertex" in key:
        return VERTEX
    if "ai-studio" in key or "aistudio" in key:
        return AI_STUDIO
    return OTHER  # including a bare "Google", which has named Vertex in the past: too ambiguous to judge


def reachable_hosts(body: dict[str, Any]) -> tuple[set[str], str]:
    """The hosts the routing allows when it names a Google provider, and which setting decided.

    Empty when the routing names no Google provider: then the rule has no basis to judge.
    """
    provider = as_dict(body.get("provider"))
    only = [provider_host(n) for n in as_list(provider.get("only")) if isinstance(n, str)]
    order = [provider_host(n) for n in as_list(provider.get("order")) if isinstance(n, str)]
    ignored = {provider_host(n) for n in as_list(provider.get("ignore")) if isinstance(n, str)}
    if only:
        named, route = set(only), "provider.only"
    elif order:
        named, route = set(order), "provider.order"
        if provider.get("allow_fallbacks") is not False:
            named |= GEMINI_HOSTS  # fallbacks may reach the other Google host
            route += " with fallbacks"
        else:
            route += ", allow_fallbacks: false"
    else:
        return set(), ""
    if not named & GEMINI_HOSTS:
        return set(), ""
    return named - (ignored - {OTHER}), route
