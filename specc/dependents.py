"""The dependency index behind `specc lint --dependents`: which specs read a given file.

A spec reads other files through `extends`, `!file`, `!data-url` and `!base64`; when one of
those changes (a JSON schema, a prompt, a base), the specs that read it must be checked again
even though none of them changed. pre-commit names only the changed files, so the index maps
them back to the specs.

The lint cache already records, for each result, every file it was computed from; an entry
the cache still trusts (nothing it read changed) is an exact answer for its spec. A spec
with no trusted entry (new, changed, never linted, or the cache off) is loaded (read and
resolved, not checked) to see what it reads. Specs are looked for under the project root,
as folder discovery finds them (the configured `exclude` applies).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

    from .cache import LintCache
    from .config import Config


class Dependents:
    """What `find_dependents` learnt: for each named file, the specs that read it."""

    def __init__(self) -> None:
        self.readers: dict[str, list[str]] = {}  # named file (as given) -> the specs that read it (display paths)

    def specs(self) -> list[str]:
        """Every spec that reads a named file, each once, in a stable order."""
        return list(dict.fromkeys(spec for specs in self.readers.values() for spec in specs))


def find_dependents(named: Sequence[str], config: Config, cache: LintCache | None = None) -> Dependents:
    """The specs under the project root that read any of the `named` files (other than themselves)."""
    from .files import project_root_of

    found = Dependents()
    wanted: dict[str, str] = {}  # real path -> the name it was given as
    for path in named:
        if os.path.isfile(path):
            wanted.setdefault(os.path.realpath(path), path)
    if not wanted:
        return found
    root = config.root or project_root_of(named[0])
    real_of: dict[str, str] = {}  # a watched dependency path -> its real path, resolved once per run

    def real(path: str) -> str:
        if path not in real_of:
            real_of[path] = os.path.realpath(path)
        return real_of[path]

    # cache entries are keyed by the path as given on the run that linted them: find them by any name
    linted = {os.path.abspath(path): path for path in cache.entries} if cache is not None else {}
    for spec in _specs_under(root, config):
        spec_real = real(spec)
        for dep in _reads(spec, cache, linted, config):
            given = wanted.get(real(dep))
            if given is not None and real(dep) != spec_real:
                readers = found.readers.setdefault(given, [])
                shown = _shown(spec)
                if shown not in readers:
                    readers.append(shown)
    return found


def _specs_under(root: str, config: Config) -> list[str]:
    """The candidate spec files under the project root, as folder discovery walks them (unread)."""
    from .lint import discover

    return [target.path for target in discover([root], config.exclude, config.root, look=False).targets
            if target.refused is None]


def _reads(spec: str, cache: LintCache | None, linted: dict[str, str], config: Config) -> list[str]:
    """The files `spec` reads (as the cache watches them): from a cache entry that nothing it read
    has invalidated (an exact answer), else by loading the spec."""
    key = linted.get(os.path.abspath(spec))
    if cache is not None and key is not None:
        entry = cache.get(key)
        if entry is not None:
            return entry.deps if entry.is_spec else []
    from .load import load_document, looks_like_spec

    if not looks_like_spec(spec):
        return []
    return load_document(spec, limits=config.limits()).files


def _shown(path: str) -> str:
    """A spec's path as reports name it: relative to the working folder when inside it."""
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if absolute.startswith(os.path.join(here, "")):
        return os.path.relpath(absolute, here)
    return absolute
