"""`specc init`: turn an existing repository into a specc project, never overwriting anything.

`plan_init` works out every step (a file to create, a file to add to, a file left alone and
why) without writing; `apply_init` writes the planned files atomically. What is added to an
existing file is added by a round-trip editor (tomlkit for `pyproject.toml`, ruamel.yaml for
`.pre-commit-config.yaml`) and checked: the file's other content must come back unchanged, or
the file is left alone and the snippet to add by hand is reported instead.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CREATE, UPDATE, EXISTS, PROBLEM = "create", "update", "exists", "problem"

HOOK_IDS = ("specc-lint", "specc-compile-check")
EDITOR_TAGS = ("!file scalar", "!data-url scalar", "!base64 scalar")  # yaml.customTags: the tags are strings to an editor
SPECS_GLOB = "specs/**/*.yaml"

BASE_SPEC = """\
# The base spec: what every request of this project shares. Specs extend it
# (`extends: base/default.yaml`) and override `vars` or request fields. A base
# only (`abstract: true`) is linted for what it holds, never sent or tested.
name: default-base
description: Shared model, routing and system prompt.
abstract: true
vars:
  question: What can you help me with?
request:
  model: openai/gpt-4o-mini
  provider:
    data_collection: deny
  messages:
    - role: system
      content: You are a concise, friendly assistant. Answer in at most three sentences.
    - role: user
      content: "{{ question }}"
  temperature: 0.3
"""

EXAMPLE_SPEC = """\
# An example request: the base spec with its own question and a lower temperature.
# Try: specc lint specs/ && specc compile specs/example.yaml --var question="..."
name: example
description: A first spec, extending the project's base spec.
extends: base/default.yaml
vars:
  question: Summarize the benefits of writing API requests as reviewed YAML specs.
request:
  temperature: 0.1
"""

SPECC_TABLE_COMMENT = "specc's settings: https://github.com/specc/specc#configuration-toolspecc"


@dataclass(frozen=True)
class Pin:
    """The repository and revision the pre-commit entry pins, and how they were chosen."""

    repo: str
    rev: str
    note: str = ""


@dataclass(frozen=True)
class Step:
    """One planned step: `action` is create, update, exists (left alone) or problem (left alone)."""

    path: str  # relative to the project, with "/"
    action: str
    text: str | None = None  # the file's new content (create, update)
    before: str | None = None  # its current content (update)
    note: str = ""  # what was done, or why the file is left alone
    snippet: str | None = None  # what to add by hand when the file is left alone

    @property
    def writes(self) -> bool:
        return self.action in (CREATE, UPDATE)


def default_pin() -> Pin:
    """Where this installation of specc came from: a `git+URL@commit` install pins that commit;
    a git checkout of specc its HEAD commit (at the project's repository URL); otherwise the
    release tag of this version."""
    from .about import release_tag, repository_url, source_revision

    source = source_revision()
    repo = repository_url()
    if source is not None:
        where, commit = source
        if "://" in where and not where.startswith("file://"):
            return Pin(where, commit, f"the commit specc was installed from ({where})")
        return Pin(repo, commit, f"the HEAD commit of the specc checkout at {where}; it must be pushed to {repo}")
    return Pin(repo, release_tag(), "this version's release tag")


def schema_url(pin: Pin) -> str:
    """The editor schema's URL at the pinned revision, so the editor and the hooks agree."""
    from .about import SPEC_SCHEMA_PATH, raw_url

    return raw_url(SPEC_SCHEMA_PATH, pin.rev)


def plan_init(root: Path, pin: Pin) -> list[Step]:
    """Every step `specc init` takes in the project at `root`; nothing is written."""
    return [
        _pyproject_step(root),
        _new_file_step(root, "specs/base/default.yaml", BASE_SPEC),
        _new_file_step(root, "specs/example.yaml", EXAMPLE_SPEC),
        _cassettes_step(root),
        _precommit_step(root, pin),
        _editor_step(root, schema_url(pin)),
    ]


def apply_init(root: Path, steps: list[Step]) -> None:
    """Write the files the steps create or update, each atomically."""
    from .atomic import write_text_atomic

    for step in steps:
        if step.writes and step.text is not None:
            write_text_atomic(root / step.path, step.text)


def describe(steps: list[Step], dry_run: bool) -> str:
    """What was (or, with `dry_run`, would be) done, file by file, for a terminal."""
    lines: list[str] = []
    for step in steps:
        if step.action == CREATE:
            lines.append(f"{'would create' if dry_run else 'created'} {step.path}" + (f" ({step.note})" if step.note else ""))
            if dry_run and step.text:
                lines.extend("    " + line for line in step.text.splitlines())
        elif step.action == UPDATE:
            lines.append(f"{'would update' if dry_run else 'updated'} {step.path}: {step.note}")
            if dry_run:
                diff = difflib.unified_diff((step.before or "").splitlines(), (step.text or "").splitlines(),
                                            f"a/{step.path}", f"b/{step.path}", lineterm="")
                lines.extend("    " + line for line in diff)
        else:
            lines.append(f"{'left alone' if step.action == EXISTS else 'cannot change'} {step.path}: {step.note}")
            if step.snippet:
                lines.append("    add by hand:")
                lines.extend("    " + line for line in step.snippet.splitlines())
    return "\n".join(lines) + "\n"


def _inside(root: Path, relative: str) -> bool:
    """Whether `relative` stays inside the project once symlinks are followed."""
    real_root = os.path.realpath(root)
    return os.path.commonpath([real_root, os.path.realpath(root / relative)]) == real_root


def _read(root: Path, relative: str) -> str:
    from .files import read_capped

    return read_capped(root / relative).decode("utf-8")


def _blocked(root: Path, relative: str) -> Step | None:
    if not _inside(root, relative):
        return Step(relative, PROBLEM, note="leads outside the project (a symlink); not followed")
    return None


def _new_file_step(root: Path, relative: str, text: str) -> Step:
    blocked = _blocked(root, relative)
    if blocked:
        return blocked
    if os.path.lexists(root / relative):
        return Step(relative, EXISTS, note="exists")
    return Step(relative, CREATE, text=text)


def _cassettes_step(root: Path) -> Step:
    # An empty file so git keeps the folder; recorded cassettes go beside it.
    if (root / "cassettes").is_dir():
        return Step("cassettes/", EXISTS, note="exists")
    step = _new_file_step(root, "cassettes/.gitkeep", "")
    return step if step.action != CREATE else Step(step.path, CREATE, text="", note="where `specc send --record` writes")


def specc_table_text() -> str:
    """The `[tool.specc]` table `specc init` adds (valid for `specc lint`'s config)."""
    import tomlkit

    table = tomlkit.table()
    table.add(tomlkit.comment(SPECC_TABLE_COMMENT))
    table.add("select", ["ALL"])
    table.add("fail-on", "error")
    table.add("exclude", tomlkit.array())
    document = tomlkit.document()
    tool = tomlkit.table(is_super_table=True)
    tool.add("specc", table)
    document.add("tool", tool)
    return tomlkit.dumps(document)


def _pyproject_step(root: Path) -> Step:
    relative = "pyproject.toml"
    blocked = _blocked(root, relative)
    if blocked:
        return blocked
    table = specc_table_text()
    if not (root / relative).exists():
        return Step(relative, CREATE, text=table, note="with [tool.specc]")
    try:
        before = _read(root, relative)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Step(relative, PROBLEM, note=f"cannot read: {exc}", snippet=table)
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        current = tomlkit.parse(before).unwrap()
    except TOMLKitError as exc:
        return Step(relative, PROBLEM, note=f"not valid TOML ({exc})", snippet=table)
    tool = current.get("tool")
    if isinstance(tool, dict) and "specc" in tool:
        return Step(relative, EXISTS, note="already has [tool.specc]")
    # Appended after the last byte, so every byte before it stays as it was (tomlkit would
    # insert the table among the other [tool.*] tables, gluing it to the next one).
    newline = "\r\n" if "\r\n" in before else "\n"
    separator = "" if not before else (newline if before.endswith(("\n", "\r")) else newline * 2)
    after = before + separator + table.replace("\n", newline)
    try:
        parsed = tomlkit.parse(after).unwrap()
    except TOMLKitError:
        parsed = None
    expected = dict(current, tool={**(tool if isinstance(tool, dict) else {}), "specc": tomlkit.parse(table).unwrap()["tool"]["specc"]})
    if parsed != expected or not only_insertions(before, after):  # e.g. `tool` is an inline table, which a [tool.specc] header cannot extend
        return Step(relative, PROBLEM, note="[tool.specc] cannot be added to this file's [tool] as it is written", snippet=table)
    return Step(relative, UPDATE, text=after, before=before, note="added [tool.specc]")


def precommit_entry_text(pin: Pin) -> str:
    """The `repos:` entry for specc's hooks."""
    hooks = "".join(f"      - id: {hook}\n" for hook in HOOK_IDS)
    return f"  - repo: {pin.repo}\n    rev: {pin.rev}\n    hooks:\n{hooks}"


def _precommit_step(root: Path, pin: Pin) -> Step:
    relative = ".pre-commit-config.yaml"
    blocked = _blocked(root, relative)
    if blocked:
        return blocked
    entry = precommit_entry_text(pin)
    note = f"rev {pin.rev}: {pin.note}" if pin.note else f"rev {pin.rev}"
    if not (root / relative).exists():
        return Step(relative, CREATE, text="repos:\n" + entry, note=note)
    try:
        before = _read(root, relative)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Step(relative, PROBLEM, note=f"cannot read: {exc}", snippet=entry)
    after, problem = _add_precommit_entry(before, pin)
    if problem == EXISTS:
        return Step(relative, EXISTS, note="already runs specc's hooks")
    if problem:
        return Step(relative, PROBLEM, note=problem, snippet=entry)
    return Step(relative, UPDATE, text=after, before=before, note=f"added specc's hooks ({note})")


def _add_precommit_entry(before: str, pin: Pin) -> tuple[str, str]:
    """(new text, "") or ("", why not): the entry appended to `repos:` with a round-trip YAML editor."""
    import io

    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError

    from .yamledit import new_yaml, plain

    try:
        found = _round_trip_yaml(before)
    except YAMLError as exc:
        return "", f"not valid YAML ({str(exc).splitlines()[0]})"
    data = found[1] if found else new_yaml(before).load(before)
    if not isinstance(data, dict) or not isinstance(data.get("repos"), list):
        return "", "has no `repos:` list"
    if any(isinstance(repo, dict) and any(isinstance(hook, dict) and hook.get("id") in HOOK_IDS
                                          for hook in repo.get("hooks") or [])
           for repo in data["repos"]):
        return "", EXISTS
    if found is None:
        return "", "its layout would not survive a round-trip edit"
    yaml = found[0]
    expected = plain(data)
    entry = CommentedMap([("repo", pin.repo), ("rev", pin.rev),
                          ("hooks", CommentedSeq([CommentedMap([("id", hook)]) for hook in HOOK_IDS]))])
    data["repos"].append(entry)
    written = io.StringIO()
    yaml.dump(data, written)
    after = written.getvalue()
    expected["repos"].append({"repo": pin.repo, "rev": pin.rev, "hooks": [{"id": hook} for hook in HOOK_IDS]})
    if plain(new_yaml(after).load(after)) != expected or not only_insertions(before, after):
        return "", "its layout would not survive a round-trip edit"
    return after, ""


def _round_trip_yaml(text: str) -> tuple[Any, Any] | None:
    """(editor, data) for the first indentation that writes `text` back byte for byte, else None.

    Files written by hand use many layouts (pre-commit's own sample uses `-   repo:`); the
    edit is made only with a setting that is known to reproduce the file as it is."""
    import io

    from .yamledit import guess_indent, new_yaml

    mapping, offset = guess_indent(text)
    tried = [(mapping, offset + 2, offset)]
    tried += [(m, offset_ + extra, offset_) for m in (2, 4) for offset_ in (0, 2, 4) for extra in (2, 4)]
    for mapping_indent, sequence_indent, dash_offset in tried:
        yaml = new_yaml(text)
        yaml.indent(mapping=mapping_indent, sequence=sequence_indent, offset=dash_offset)
        written = io.StringIO()
        yaml.dump(yaml.load(text), written)
        if written.getvalue() == text:
            return yaml, yaml.load(text)
    return None


def only_insertions(before: str, after: str) -> bool:
    """Whether `after` is `before` with lines inserted, and every line of `before` kept as it was
    (a missing newline at the end may be added)."""
    if before and not before.endswith(("\n", "\r")):
        before += "\r\n" if "\r\n" in after[len(before):len(before) + 2] else "\n"
    matcher = difflib.SequenceMatcher(None, before.splitlines(keepends=True), after.splitlines(keepends=True), autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


def editor_settings(url: str) -> dict[str, Any]:
    """The VS Code settings (YAML extension) that apply the editor schema to specs and make the tags known."""
    return {"yaml.schemas": {url: SPECS_GLOB}, "yaml.customTags": list(EDITOR_TAGS)}


def _editor_step(root: Path, url: str) -> Step:
    relative = ".vscode/settings.json"
    snippet = json.dumps(editor_settings(url), indent=2) + "\n"
    blocked = _blocked(root, relative)
    if blocked:
        return Step(relative, PROBLEM, note=blocked.note, snippet=snippet)
    if os.path.lexists(root / relative):
        return Step(relative, EXISTS, note="exists; merge these settings into it", snippet=snippet)
    return Step(relative, CREATE, text=snippet, note="the editor schema and specc's tags for VS Code's YAML extension")
