"""`[tool.specc]` in the nearest `pyproject.toml` (or a `specc.toml`), merged with CLI flags.

Found by walking up from the linted path. Every key is declared once in `KEYS`
with its type; an unknown key, a wrong type or an unknown rule is a `ConfigError`
that names it, which the CLI reports as a usage error (exit 2).
"""

from __future__ import annotations

from .errors import SpeccError

import os
import sys

from .diagnostics import Record
from .files import folders_upward

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


class ConfigError(SpeccError):
    """A configuration problem; the message names the file and the key."""


class Config(Record):
    """Settings for a run. Field names are the TOML keys with `-` written as `_`."""

    __slots__ = ("select", "ignore", "severity", "per_file_ignores", "fail_on", "exclude", "http_referer", "title",
                 "categories", "catalog", "catalog_max_age_days", "max_file_bytes", "max_depth",
                 "max_string_length", "max_aliases", "schema_dir", "overlay", "schema_max_age_days", "cache",
                 "force_exclude", "max_variants", "source", "root")
    select: tuple[str, ...]          # rule codes, code prefixes or names; empty = all
    ignore: tuple[str, ...]
    severity: dict[str, str]         # rule code or name -> error|warning|info
    per_file_ignores: dict[str, tuple[str, ...]]  # glob -> rules
    fail_on: str
    exclude: tuple[str, ...]         # globs, relative to the project root
    # send (issue 4): attribution headers
    http_referer: str | None
    title: str | None
    categories: tuple[str, ...]
    # model catalog (issue 9)
    catalog: str
    catalog_max_age_days: int
    # resource limits (issue 7); None = the documented default in load.Limits
    max_file_bytes: int | None
    max_depth: int | None
    max_string_length: int | None
    max_aliases: int | None
    schema_dir: str | None
    # issue 18: the team's own overlay file (applied after specc's, when it exists) and the age in
    # days past which a lint run warns that the vendored schema is old
    overlay: str
    schema_max_age_days: int
    cache: bool
    # `exclude` applies to files named on the command line too (as pre-commit names them); false:
    # a named file is always linted (ruff's `force-exclude`, on by default here)
    force_exclude: bool
    max_variants: int                # issue 19: a matrix spec with more variants is an error (E010)
    source: str | None               # the file this came from, for messages
    root: str | None                 # the folder that holds it: the project root

    def __init__(self, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
                 severity: dict[str, str] | None = None, per_file_ignores: dict[str, tuple[str, ...]] | None = None,
                 fail_on: str = "error", exclude: tuple[str, ...] = (), http_referer: str | None = None,
                 title: str | None = None, categories: tuple[str, ...] = (), catalog: str = "specc-catalog.json",
                 catalog_max_age_days: int = 30, max_file_bytes: int | None = None, max_depth: int | None = None,
                 max_string_length: int | None = None, max_aliases: int | None = None, schema_dir: str | None = None,
                 overlay: str = "specc-overlay.yaml", schema_max_age_days: int = 90, cache: bool = True, force_exclude: bool = True,
                 max_variants: int = 64, source: str | None = None, root: str | None = None) -> None:
        self._fill(select, ignore, {} if severity is None else severity,
                   {} if per_file_ignores is None else per_file_ignores, fail_on, exclude, http_referer, title,
                   categories, catalog, catalog_max_age_days, max_file_bytes, max_depth, max_string_length,
                   max_aliases, schema_dir, overlay, schema_max_age_days, cache, force_exclude, max_variants, source, root)

    def limits(self) -> Any:
        from dataclasses import replace

        from .load import DEFAULT_LIMITS

        overrides = {name: getattr(self, name) for name in
                     ("max_file_bytes", "max_depth", "max_string_length", "max_aliases")
                     if getattr(self, name) is not None}
        if self.max_file_bytes is not None and self.max_string_length is None:
            overrides["max_string_length"] = self.max_file_bytes  # a string the file limit admits is admitted
        return replace(DEFAULT_LIMITS, **overrides) if overrides else DEFAULT_LIMITS


_LIST_KEYS = {"select", "ignore", "exclude", "categories"}
_STR_KEYS = {"fail_on", "http_referer", "title", "catalog", "schema_dir", "overlay"}
_INT_KEYS = {"catalog_max_age_days", "schema_max_age_days", "max_file_bytes", "max_depth", "max_string_length", "max_aliases",
             "max_variants"}
_BOOL_KEYS = {"cache", "force_exclude"}
KEYS = tuple(name.replace("_", "-") for name in Config.__slots__ if name not in ("source", "root"))
SEVERITIES = ("error", "warning", "info")


def project_path(config: Config, value: str | None) -> str | None:
    """A path from `[tool.specc]` (`schema-dir`, `overlay`), relative to the project root."""
    if not value:
        return None
    return os.path.join(config.root, value) if config.root and not os.path.isabs(value) else value


def matches_glob(path: str, globs: tuple[str, ...] | list[str], root: str | None) -> bool:
    """Whether any of `globs` (from `exclude` or `per-file-ignores`) matches `path`: the one way
    both keys read a glob. A glob is matched against the path as given and relative to the project
    `root`; a glob without `/` also against the file's name; a glob naming a folder (`generated/`,
    `generated`) matches every file below it; a leading `./` is the root itself."""
    if not globs:
        return False
    import fnmatch

    candidates = {_posix(os.path.normpath(path))}
    if root:
        resolved = os.path.realpath(path)
        if resolved == root or resolved.startswith(os.path.join(root, "")):
            candidates.add(_posix(os.path.relpath(resolved, root)))
    name = os.path.basename(path)
    for glob in globs:
        glob = glob.removeprefix("./")
        folder = glob.rstrip("/") + "/*"
        names = candidates if "/" in glob else candidates | {name}
        if any(fnmatch.fnmatch(candidate, glob) or fnmatch.fnmatch(candidate, folder) for candidate in names):
            return True
    return False


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")


def find_config_file(start: Path) -> Path | None:
    """The nearest `specc.toml`, or `pyproject.toml` with a `[tool.specc]` table, upward from `start`."""
    found = find_config_path(os.fspath(start))
    if found is None:
        return None
    from pathlib import Path

    return Path(found)


def find_config_path(start: str) -> str | None:
    """`find_config_file` on plain strings, without importing pathlib (the cached lint run's way)."""
    for folder in folders_upward(start):
        specc_toml = os.path.join(folder, "specc.toml")
        if os.path.isfile(specc_toml):
            return specc_toml
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject) and _configures_specc(pyproject):
            return pyproject
    return None


def _configures_specc(pyproject: str) -> bool:
    """Whether a pyproject.toml has a `[tool.specc]` table (True when unreadable: load_config reports it)."""
    try:
        with open(pyproject, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return True
    # Most pyproject.toml files never name specc, and parsing TOML costs more than the rest of a
    # cached lint run. A quoted key may spell the name with escapes, so those files are parsed.
    if "specc" not in text and "\\u" not in text and "\\U" not in text:
        return False
    tomllib = _tomllib()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return True
    return "specc" in data.get("tool", {})


def _tomllib() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib


def load_config(path: str | os.PathLike[str] | None) -> Config:
    """Read and validate the config at `path` (None: the defaults)."""
    if path is None:
        return Config()
    tomllib = _tomllib()
    try:
        with open(path, encoding="utf-8") as handle:
            data = tomllib.loads(handle.read())
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    path = os.fspath(path)
    is_pyproject = os.path.basename(path) == "pyproject.toml"
    table = data.get("tool", {}).get("specc", {}) if is_pyproject else data.get("tool", {}).get("specc", data)
    return parse_config(table, path, root=os.path.realpath(os.path.dirname(path) or os.curdir))


def parse_config(table: dict[str, Any], source: str, root: str | None = None) -> Config:
    values: dict[str, Any] = {"source": source, "root": root}
    where = f"{source}: [tool.specc]"
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if raw_key.replace("_", "-") not in KEYS:
            from .suggest import did_you_mean

            raise ConfigError(f"{where}: unknown key {raw_key!r}{did_you_mean(raw_key, KEYS)}")
        if key in _LIST_KEYS:
            if isinstance(value, str) and key == "categories":
                value = [part.strip() for part in value.split(",") if part.strip()]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: {raw_key} must be a list of strings")
            values[key] = tuple(value)
        elif key in _STR_KEYS:
            if not isinstance(value, str):
                raise ConfigError(f"{where}: {raw_key} must be a string")
            values[key] = value
        elif key in _INT_KEYS:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{where}: {raw_key} must be a non-negative integer")
            values[key] = value
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: {raw_key} must be true or false")
            values[key] = value
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: severity must be a table of rule = \"error|warning|info\"")
            for rule, level in value.items():
                if level not in SEVERITIES:
                    raise ConfigError(f"{where}: severity of {rule!r} is {level!r}; expected one of {', '.join(SEVERITIES)}")
            values[key] = dict(value)
        elif key == "per_file_ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: per-file-ignores must be a table of \"glob\" = [rules]")
            for glob, rules in value.items():
                if not isinstance(rules, list) or not all(isinstance(x, str) for x in rules):
                    raise ConfigError(f"{where}: per-file-ignores[{glob!r}] must be a list of rules")
            values[key] = {glob: tuple(rules) for glob, rules in value.items()}
    if values.get("fail_on", "error") not in ("error", "warning"):
        raise ConfigError(f"{where}: fail-on must be 'error' or 'warning'")
    return Config(**values)
