"""The only code that knows what a secret looks like. Every output channel redacts through it.

Keys come from the environment; they must never reach stdout, stderr, a log, a
report, a cassette, the cache or an exception message. `scrub` replaces OpenRouter
keys (`sk-or-...`), bearer tokens, other well-known key shapes, and every *known*
secret of the run: the value of OPENROUTER_API_KEY and the values a command line
or OR801 marked as secret (`run_secrets`). A known secret is redacted whole, by any
run of `MIN_RUN` or more of its characters (a message that quotes the middle of the
key), by its base64 (at each of the three byte alignments, so the base64 of a text
that holds the key at any offset) and by its URL encodings.

`StreamRedactor` does the same for a stream written in pieces: it holds back the
tail of what it was given, long enough that a secret cut between two pieces is
still seen whole, and releases it at `finish`.
"""

from __future__ import annotations

import contextvars
import math
import os
import re

# base64 and urllib.parse are imported where a known secret's forms are made or a token is
# decoded: every command scrubs its output, and those imports were a tenth of a cached
# re-run's own time (issue 21).

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Iterator, Mapping

REDACTED = "REDACTED"
KEY_PLACEHOLDER = "sk-or-...REDACTED"
API_KEY_ENV = "OPENROUTER_API_KEY"
# A run of this many characters of a known secret is redacted: long enough that ordinary
# text never matches one by chance, short enough that a quoted piece of a key reveals little.
MIN_RUN = 16

# sk-or-v1-<64 hex> in practice; be generous about the tail so test and partial keys are caught too.
OPENROUTER_KEY = re.compile(r"sk-or-[A-Za-z0-9_\-]{4,}")
BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=\-]{8,}")
# Other well-known secret shapes, for spotting keys pasted into specs.
OTHER_SECRETS = (
    re.compile(r"\bsk-(?:proj-|ant-(?:api\d{2}-)?)?[A-Za-z0-9_\-]{20,}"),  # OpenAI / Anthropic
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),  # AWS access key id
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),  # GitHub tokens
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{40,}\b"),  # GitHub fine-grained tokens
    re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}\b"),  # Slack tokens
    re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"),  # Google API key
    re.compile(r"\bhf_[A-Za-z0-9]{30,}\b"),  # Hugging Face tokens
    re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}\b"),  # GitLab tokens
)
# A bare OpenRouter / hex key without its prefix: exactly 64 hex digits, not part of a longer run.
BARE_HEX_KEY = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])")
# Candidates for the entropy and base64 checks: a long run of token characters.
_TOKEN = re.compile(r"[A-Za-z0-9+/_\-]{24,}={0,2}")
_BASE64_MEDIA = re.compile(r"data:[^,;]*(?:;[^,;]*)*;base64,", re.IGNORECASE)


# Looser forms of the patterns above (no word boundaries), for fast passes over a whole
# document: they match wherever the patterns could, so a miss means there is nothing to find.
# Searched one by one rather than as one union: each starts with fixed text (`sk-`, `AKIA`,
# ...) that the regex engine skips ahead to, which a union defeats (15 -> 10 us for 4 KB).
_SCREENS = tuple(re.compile(p.pattern.replace(r"\b", "")) for p in (OPENROUTER_KEY, *OTHER_SECRETS))


def might_contain_secret(text: str) -> bool:
    """A cheap screen: False guarantees `looks_like_secret` is False for every part of `text`."""
    return any(screen.search(text) for screen in _SCREENS)


def looks_like_secret(text: str) -> bool:
    """True when `text` contains something shaped like an API key or token."""
    return bool(OPENROUTER_KEY.search(text) or any(p.search(text) for p in OTHER_SECRETS))


# ------------------------------------------------------------------ OR801's wider net


def shannon_entropy(text: str) -> float:
    """Bits per character of `text`'s character distribution."""
    if not text:
        return 0.0
    counts: dict[str, int] = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


# Random base62/base64 text of 32+ characters carries 4.6+ bits per character; English words,
# identifiers, paths and model slugs stay under 4.2 (measured over the corpus' accepted requests).
ENTROPY_THRESHOLD = 4.5
_ENTROPY_MIN_LENGTH = 32
# Longer runs are data (media, documents, encoded blobs), not a key someone pasted.
_ENTROPY_MAX_LENGTH = 200


def _looks_random(token: str) -> bool:
    """A token shaped like a generated key: long, mixed case and digits, high entropy."""
    core = token.rstrip("=")
    if len(core) > _ENTROPY_MAX_LENGTH:
        return False
    # Judged by its longest part between `-` / `_`: public ids (`gen-1748708011-Q5TMAKDhTBwiwgBqYyxU`,
    # `call_...`, `toolu_01...`) join short random parts with a prefix; a key is one long random part.
    core = max(re.split(r"[-_]", core), key=len)
    if len(core) < _ENTROPY_MIN_LENGTH:
        return False
    classes = sum((any(c.islower() for c in core), any(c.isupper() for c in core), any(c.isdigit() for c in core)))
    return classes == 3 and shannon_entropy(core) >= ENTROPY_THRESHOLD


def _decodes_to_secret(token: str) -> bool:
    """Whether `token` is the base64 of a text holding a key shape (at any of the three alignments)."""
    import base64

    core = token.rstrip("=")
    for skip in range(4):  # a run cut out of a longer base64 text may start mid-group
        part = core[skip:]
        part = part[: len(part) - len(part) % 4]
        if len(part) < 16:
            break
        for decoder in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                decoded = decoder(part).decode("utf-8", "ignore")
            except ValueError:
                continue
            if looks_like_secret(decoded) or BARE_HEX_KEY.search(decoded):
                return True
    return False


def might_hold_token(text: str) -> bool:
    """A cheap screen for `find_secrets`' prefix-less shapes: False means no bare hex key, base64 or random token."""
    return _TOKEN.search(text) is not None


def find_secrets(text: str) -> list[str]:
    """Every piece of `text` that OR801 takes for a secret: a known key shape, a bare 64-hex key,
    the base64 of a key, or a long high-entropy token. Base64 media (`data:...;base64,`) is data, not a key."""
    found = [m.group(0) for p in (OPENROUTER_KEY, *OTHER_SECRETS) for m in p.finditer(text)]
    found += [m.group(0) for m in BARE_HEX_KEY.finditer(text)]
    media = [(m.end(), _media_end(text, m.end())) for m in _BASE64_MEDIA.finditer(text)]
    for match in _TOKEN.finditer(text):
        if any(start <= match.start() < end for start, end in media):
            continue
        token = match.group(0)
        if any(token in f or f in token for f in found):
            continue
        if _decodes_to_secret(token) or (not _in_url(text, match.start()) and _looks_random(token)):
            found.append(token)
    return found


def _in_url(text: str, at: int) -> bool:
    """Whether position `at` lies in a URL (its word holds `://` before it): image ids in paths are not keys."""
    word_start = max(text.rfind(c, 0, at) for c in " \t\r\n\"'<>()") + 1
    return "://" in text[word_start:at]


def _media_end(text: str, start: int) -> int:
    match = re.compile(r"[^A-Za-z0-9+/=_\-]").search(text, start)
    return match.start() if match else len(text)


# ------------------------------------------------------------------ known secrets of a run

_RUN_SECRETS: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("specc_run_secrets", default=frozenset())


def run_secrets() -> frozenset[str]:
    """The secrets this run knows of besides the environment's key (command-line values, OR801's finds)."""
    return _RUN_SECRETS.get()


class secrets_of_run:
    """Within the `with` block, `values` are redacted like the key by every channel (scoped to the
    run's context). A class, not contextlib's decorator: a cached `specc lint` never imports contextlib."""

    def __init__(self, values: Iterable[str]) -> None:
        self.values = {v for v in values if len(v) >= 8}

    def __enter__(self) -> None:
        self.token = _RUN_SECRETS.set(_RUN_SECRETS.get() | self.values)

    def __exit__(self, *exc_info: object) -> None:
        _RUN_SECRETS.reset(self.token)


def remember_secrets(values: Iterable[str]) -> None:
    """Add `values` to the current run's secrets (OR801's finds, which the run then never repeats)."""
    new = {v for v in values if len(v) >= 8} - _RUN_SECRETS.get()
    if new:
        _RUN_SECRETS.set(_RUN_SECRETS.get() | new)


def secret_forms(secret: str) -> list[str]:
    """The texts that give `secret` away: itself, its base64 at the three alignments, its URL encodings."""
    import base64
    from urllib.parse import quote, quote_plus

    forms = [secret]
    raw = secret.encode("utf-8")
    for offset in range(3):
        # base64 of `offset` unknown bytes + the secret + anything: drop the groups the unknown bytes touch
        encoded = base64.b64encode(b"\0" * offset + raw).decode("ascii")
        start = 4 if offset else 0
        end = (offset + len(raw)) // 3 * 4
        core = encoded[start:end]
        if len(core) >= MIN_RUN:
            forms += [core, core.replace("+", "-").replace("/", "_")]
    forms += [quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret)]
    unique: list[str] = []
    for form in forms:
        if form not in unique:
            unique.append(form)
    return unique


class Redactor:
    """Redacts a set of known secrets (in every form) and every key-shaped string from text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.forms = sorted({f for s in secrets if len(s) >= 8 for f in secret_forms(s)}, key=len, reverse=True)
        self.whole = frozenset(s for s in secrets if len(s) >= 8)
        # Any run of MIN_RUN characters of a form holds one of its blocks of MIN_RUN // 2 starting at a
        # multiple of MIN_RUN // 2: finding the blocks (plain `str.find`) finds every run.
        step = MIN_RUN // 2
        self._blocks: list[tuple[str, str, int]] = [
            (form[at:at + step], form, at) for form in self.forms if len(form) >= MIN_RUN
            for at in range(0, len(form) - step + 1, step)]
        self.longest = max((len(f) for f in self.forms), default=0)

    def runs(self, text: str) -> list[tuple[int, int]]:
        """Spans of `text` that are a whole short secret or a MIN_RUN+ run of a secret's form, merged."""
        spans: list[tuple[int, int]] = []
        for form in self.forms:
            if len(form) < MIN_RUN:
                at = text.find(form)
                while at != -1:
                    spans.append((at, at + len(form)))
                    at = text.find(form, at + len(form))
        for block, form, offset in self._blocks:
            at = text.find(block)
            while at != -1:
                start, end = at, at + len(block)
                lo, hi = offset, offset + len(block)
                while start > 0 and lo > 0 and text[start - 1] == form[lo - 1]:
                    start, lo = start - 1, lo - 1
                while end < len(text) and hi < len(form) and text[end] == form[hi]:
                    end, hi = end + 1, hi + 1
                if end - start >= MIN_RUN:
                    spans.append((start, end))
                at = text.find(block, at + 1)
        return _merged(spans)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Every span `redact` would change: known secrets' runs and key-shaped strings."""
        spans = self.runs(text)
        for pattern in (OPENROUTER_KEY, BEARER, *OTHER_SECRETS):
            spans += [m.span() for m in pattern.finditer(text)]
        return _merged(spans)

    def redact(self, text: str) -> str:
        if not text:
            return text
        runs = self.runs(text) if self.forms else []
        if runs:
            pieces, last = [], 0
            for start, end in runs:
                piece = text[start:end]
                pieces += [text[last:start], KEY_PLACEHOLDER if piece.startswith("sk-or-") else REDACTED]
                last = end
            text = "".join(pieces) + text[last:]
        text = OPENROUTER_KEY.sub(lambda m: m.group(0) if m.group(0) == KEY_PLACEHOLDER else KEY_PLACEHOLDER, text)
        # already-redacted tokens stay as they are (`Bearer sk-or-...REDACTED` is what --dry-run shows)
        text = BEARER.sub(lambda m: m.group(0) if m.group(0)[len(m.group(1)):] in (REDACTED, KEY_PLACEHOLDER)
                          else m.group(1) + REDACTED, text)
        for pattern in OTHER_SECRETS:
            text = pattern.sub(REDACTED, text)
        return text


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def known_secrets(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """The environment's key (when set) and the run's other known secrets."""
    env = os.environ if environ is None else environ
    key = env.get(API_KEY_ENV, "").strip()
    return frozenset({key} if len(key) >= 8 else set()) | run_secrets()


_REDACTORS: dict[frozenset[str], Redactor] = {}  # a cache of pure values: the same secrets, the same redactor


def redactor(environ: Mapping[str, str] | None = None) -> Redactor:
    """The redactor for the current run's known secrets."""
    secrets = known_secrets(environ)
    found = _REDACTORS.get(secrets)
    if found is None:
        if len(_REDACTORS) > 32:
            _REDACTORS.clear()
        found = _REDACTORS[secrets] = Redactor(secrets)
    return found


def scrub(text: str, environ: Mapping[str, str] | None = None) -> str:
    """`text` with every key-shaped string and every form of the run's known secrets replaced."""
    if not text:
        return text
    return redactor(environ).redact(text)


def scrub_data(value: Any, environ: Mapping[str, str] | None = None) -> Any:
    """`scrub` applied to every string in a JSON-like structure (keys included)."""
    if isinstance(value, str):
        return scrub(value, environ)
    if isinstance(value, dict):
        return {scrub(k, environ) if isinstance(k, str) else k: scrub_data(v, environ) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_data(v, environ) for v in value]
    return value


# ------------------------------------------------------------------ streams

_BEARER_AT_END = re.compile(r"(?i)bearer\s*$")
# How every pattern above starts: a trailing word that is, or may grow into, one of these is held back.
_SHAPE_STARTS = ("sk-", "AKIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "AIza", "hf_", "glpat-")


class StreamRedactor:
    """Redacts a text that arrives in pieces: a secret cut between two pieces is still caught.

    `feed` returns what may be shown now. It holds back only what could be the start of a
    secret: the end of the text that is a piece of a known secret's form, a trailing word
    that begins (or could begin) a key shape, and a key-shaped match that reaches the end.
    Secrets hold no spaces, so text up to the last space is never held for them. `finish`
    returns the rest.
    """

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ
        self._pending = ""

    def feed(self, text: str) -> str:
        if not text:
            return ""
        engine = redactor(self._environ)
        buffer = self._pending + text
        cut = len(buffer) - _held_tail(buffer, engine)
        bearer = _BEARER_AT_END.search(buffer, 0, cut)
        if bearer:
            cut = bearer.start()
        for start, end in engine.spans(buffer):
            if start < cut and (end > cut or end == len(buffer)):
                cut = start
                break
        self._pending = buffer[cut:]
        return engine.redact(buffer[:cut])

    def finish(self) -> str:
        """The held-back rest, redacted; the redactor can be fed again afterwards."""
        rest, self._pending = self._pending, ""
        return redactor(self._environ).redact(rest)


def _held_tail(buffer: str, engine: Redactor) -> int:
    """How many trailing characters of `buffer` could be the start of a secret that the next piece completes."""
    space = max(buffer.rfind(c) for c in " \t\r\n\f\v")
    word = buffer[space + 1:]
    held = 0
    for size in range(min(len(word), max(engine.longest - 1, 0)), 0, -1):  # a piece of a known secret's form
        tail = word[-size:]
        if any(tail in form for form in engine.forms):
            held = size
            break
    for at in range(len(word)):  # the start of a key shape
        rest = word[at:]
        if any(rest.startswith(p) or p.startswith(rest) for p in _SHAPE_STARTS):
            return max(held, len(rest))
    return held


def redact_stream(pieces: Iterable[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """`pieces` redacted as one stream; the boundaries stay where no secret crosses them."""
    stream = StreamRedactor(environ)
    out = [stream.feed(p) for p in pieces]
    out.append(stream.finish())
    return [p for p in out if p]


# ------------------------------------------------------------------ terminals

# C0 controls but tab, newline and carriage return; DEL; C1 controls; bidirectional overrides.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def neutralise_controls(text: str) -> str:
    """`text` with terminal control characters shown as `\\uXXXX` (escape sequences cannot act;
    inside a JSON string the escape is valid JSON for the same character)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
