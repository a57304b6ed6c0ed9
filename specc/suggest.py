"""Did-you-mean suggestions for typos in keys and values."""

from __future__ import annotations

import difflib
from typing import Iterable


def suggest(word: str, choices: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The closest of `choices` to `word`, when one is close enough to be a likely typo."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.75) -> str:
    """`"; did you mean 'x'?"` or the empty string."""
    match = suggest(word, choices, cutoff)
    return f"; did you mean {match!r}?" if match else ""
