"""`specc schema vendor SOURCE` and `specc schema spec`: refresh the schemas specc validates with;
`specc schema path [--url]`: where the editor schema is installed (or published)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..cli import EXIT_OK, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="schema_command", metavar="ACTION", required=True, parser_class=type(parser))
    vendor = sub.add_parser("vendor", help="reduce OpenRouter's OpenAPI document (path or https URL) into schemas/")
    vendor.add_argument("source", metavar="SOURCE", help="path or https:// URL of the OpenAPI document")
    vendor.add_argument("--dir", default="schemas", help="folder to write into (default: schemas)")
    spec = sub.add_parser("spec", help="regenerate spec.schema.json (the spec format, for editors)")
    spec.add_argument("--dir", default="schemas", help="folder holding the vendored schema (default: schemas)")
    status = sub.add_parser("status", help="the schema in use: source, date, sha256, age, overlay entries, retirable ones")
    status.add_argument("--config", default=None, metavar="FILE", help="use this pyproject.toml or specc.toml")
    status.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    diff = sub.add_parser("diff", help="what a newer OpenAPI document changes for your specs and cassettes (exit 1: something newly fails)")
    diff.add_argument("source", metavar="NEW_SOURCE", help="path or https:// URL of the newer OpenAPI document")
    diff.add_argument("paths", nargs="*", metavar="PATH", help="spec files or folders (default: the project's specs/)")
    diff.add_argument("--config", default=None, metavar="FILE", help="use this pyproject.toml or specc.toml")
    diff.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format (default: text)")
    learn = sub.add_parser("learn", help="propose overlay entries from what the live API accepted and sent (2xx exchanges)")
    learn.add_argument("paths", nargs="*", metavar="CASSETTES", help="cassettes, folders of them, or a corpus folder "
                       "(requests/ + responses/); default: the project's cassettes/")
    learn.add_argument("--config", default=None, metavar="FILE", help="use this pyproject.toml or specc.toml")
    learn.add_argument("--write", action="store_true", help="add the proposals to the team's overlay file (atomically)")
    learn.add_argument("--without-overlay", action="store_true",
                       help="learn against the vendored schema alone (to compare with specc's overlay)")
    path = sub.add_parser("path", help="print the installed spec.schema.json's path (for an editor's YAML settings)")
    path.add_argument("--url", action="store_true", help="print the stable URL this version's schema is published at")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..atomic import write_text_atomic
    from ..vendor import LOCK_FILE, SCHEMA_FILE, VendorError, dump_json, parse_document, read_source, vendor

    if args.schema_command == "path":
        return _print_path(args.url, out)
    if args.schema_command == "status":
        return _status(args, out)
    if args.schema_command == "diff":
        return _diff(args, out)
    if args.schema_command == "learn":
        return _learn(args, out, err)
    folder = Path(args.dir)
    if args.schema_command == "vendor":
        try:
            raw = read_source(args.source)
            result = vendor(parse_document(raw, args.source), args.source, raw)
        except VendorError as exc:
            raise UsageError(str(exc)) from None
        summary = _adoption_summary(raw, args.source)  # before writing: afterwards "current" is the new one
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(folder / SCHEMA_FILE, dump_json(result.schema))
        write_text_atomic(folder / LOCK_FILE, dump_json(result.lock))
        err.write(f"wrote {folder / SCHEMA_FILE} ({result.lock['components']} components) and {folder / LOCK_FILE}\n")
    write_spec_schema(folder)
    err.write(f"wrote {folder / 'spec.schema.json'}\n")
    if args.schema_command == "vendor" and summary:
        err.write(f"what it changes for the project's specs (details: specc schema diff):\n{summary}")
    return EXIT_OK


def _adoption_summary(raw: bytes, source: str) -> str | None:
    """The `schema diff` summary table of adopting `raw` in the project of the working folder, or None
    when there is no spec to compare (vendoring outside a project) or the comparison cannot be made."""
    from ..config import ConfigError
    from ..lint import PathError, build_checker
    from ..schema import SchemaError, project_layers
    from ..schemadiff import default_paths, impact, new_layers, spec_targets, summary_text
    from ..vendor import VendorError
    from .lint import load_run_config

    try:
        config = load_run_config(["."], None)
        targets = spec_targets(default_paths(Path(config.root) if config.root else Path.cwd()), config)
        if not targets:
            return None
        current = project_layers(config)
        new, document = new_layers(current, raw, source)
        report = impact(current, new, document, source, targets, lambda schemas: build_checker(config, schemas=schemas, strict_placeholders=False))
    except (SchemaError, VendorError, PathError, ConfigError, UsageError):
        return None  # the vendoring itself succeeded; the summary is a courtesy
    return summary_text(report)


def _status(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from ..schema import SchemaError, project_layers, render_status, schema_status
    from .lint import load_run_config

    config = load_run_config(["."], args.config)
    try:
        status = schema_status(project_layers(config))
    except SchemaError as exc:
        raise UsageError(str(exc)) from None
    out.write(json.dumps(status, indent=2) + "\n" if args.format == "json" else render_status(status))
    return EXIT_OK


def _diff(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from ..cli import EXIT_FINDINGS
    from ..config import ConfigError
    from ..lint import PathError, build_checker
    from ..schema import SchemaError, project_layers
    from ..schemadiff import default_paths, impact, new_layers, render_markdown, render_text, spec_targets
    from ..vendor import VendorError, read_source
    from .lint import load_run_config

    config = load_run_config(args.paths or ["."], args.config)
    paths = args.paths or default_paths(Path(config.root) if config.root else Path.cwd())
    try:
        current = project_layers(config)
        raw = read_source(args.source)
        new, document = new_layers(current, raw, args.source)
        report = impact(current, new, document, args.source, spec_targets(paths, config),
                        lambda schemas: build_checker(config, schemas=schemas, strict_placeholders=False))
    except (SchemaError, VendorError, PathError, ConfigError) as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        out.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        out.write(render_markdown(report) if args.format == "markdown" else render_text(report))
    return EXIT_FINDINGS if report.fails else EXIT_OK


def _learn(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..atomic import write_text_atomic
    from ..learn import learn, merge_into_overlay, overlay_yaml, read_exchanges
    from ..lint import project_path
    from ..schema import SchemaError, apply_overlay, project_layers, read_overlay
    from .lint import load_run_config

    config = load_run_config(args.paths or ["."], args.config)
    root = Path(config.root) if config.root else Path.cwd()
    paths = [Path(p) for p in args.paths] or [_shown(root / "cassettes")]
    try:
        layers = project_layers(config)
        defs = layers.vendored["$defs"] if args.without_overlay else layers.applied()["$defs"]
    except SchemaError as exc:
        raise UsageError(str(exc)) from None
    result = learn(read_exchanges(paths), defs, layers.lock["entry_points"])
    for problem in result.problems:
        err.write(f"{problem}\n")
    err.write(f"{len(result.proposals)} proposal(s) from {result.exchanges} 2xx exchange(s); "
              f"{result.refused} not answered 2xx, not learned from\n")
    if not args.write:
        out.write(overlay_yaml(result.proposals))
        return EXIT_OK
    target = Path(project_path(config, config.overlay) or config.overlay)
    try:
        existing = read_overlay(target)[0] if target.is_file() else []
        merged = merge_into_overlay(existing, result.proposals)
        apply_overlay(apply_overlay(layers.vendored, layers.specc_overlay, strict=False), merged)  # it must apply
    except SchemaError as exc:
        raise UsageError(str(exc)) from None
    text = "# The team's overlay (specc schema learn --write); the same format as specc's overlay.yaml.\n"
    write_text_atomic(target, text + _dump_entries(merged))
    err.write(f"wrote {len(merged) - len(existing)} new entr(ies) to {target}\n")
    return EXIT_OK


def _shown(path: Path) -> Path:
    """`path` relative to the working folder when it is inside it (evidence reads as the user types it)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _dump_entries(entries: list) -> str:
    from io import StringIO

    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None
    yaml.width = 120
    stream = StringIO()
    yaml.dump(entries, stream)
    return stream.getvalue()


def _print_path(url: bool, out: TextIO) -> int:
    if url:
        from ..about import AboutError, spec_schema_url

        try:
            out.write(spec_schema_url() + "\n")
        except AboutError as exc:
            raise UsageError(str(exc)) from None
        return EXIT_OK
    from ..schema import SPEC_SCHEMA_FILE, default_schema_dir

    path = default_schema_dir() / SPEC_SCHEMA_FILE
    if not path.is_file():
        raise UsageError(f"the editor schema is missing from this installation: {path}")
    out.write(f"{path}\n")
    return EXIT_OK


def write_spec_schema(folder: Path) -> None:
    from ..atomic import write_text_atomic
    from ..schema import SPEC_SCHEMA_FILE, SchemaError, SchemaSet
    from ..spec_schema import spec_schema_document
    from ..vendor import dump_json

    try:
        schemas = SchemaSet.load(folder)
    except SchemaError as exc:
        raise UsageError(str(exc)) from None
    write_text_atomic(folder / SPEC_SCHEMA_FILE, dump_json(spec_schema_document(schemas)))
