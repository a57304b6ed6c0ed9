"""Benchmark specc against the tools a team would otherwise use, side by side in one run.

Generates N specs (bench/generate.py), then times whole processes, several rounds
interleaved so that machine noise hits every tool alike, and prints medians and the
ratios the performance targets are stated in:

- `specc lint` on N specs (schema + all rules + positions) vs `check-jsonschema`
  (schema only) and `ajv validate` (Node, when `ajv` is found), same files, same schema;
- the same on 100 specs;
- cold start: `specc --version` vs `python -c pass`; `specc lint one.yaml` vs
  `check-jsonschema` on one file;
- a second, cached `specc lint` over the unchanged tree vs the first, and beside it the
  floor any cached run has in Python: a bare script that only starts, decodes the cache
  file and stats every file;
- peak memory of `specc lint` on N specs;
- what a person waits for (issue 21): `specc lint --no-cache one.yaml` and the cached re-run
  against `python -c pass`, and the language server's latency after a change to a 10 KB spec
  (bench/lsp_latency.py, when pygls is installed).

    python bench/run.py [--count 2000] [--rounds 5] [--scale 10000] [--smoke] [--baseline DIR]

`--baseline DIR` times another checkout of specc (say `git worktree add --detach ../base main`)
beside this one, in the same rounds, with the same interpreter, console script and peers: its
rows are labelled `base:` and it is imported through PYTHONPATH. `--smoke` (what CI runs) uses
a handful of files and one round, and only checks that every command runs. `ajv` is looked up
on PATH and in bench/node_modules/.bin (`npm install --prefix bench ajv-cli@5`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCHEMA = REPO / "schemas" / "spec.schema.json"
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def tool(name: str) -> str | None:
    """An executable beside this Python (the venv), on PATH, or in bench/node_modules/.bin."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    local = HERE / "node_modules" / ".bin" / name
    if local.exists():
        return str(local)
    return shutil.which(name)


def compile_bytecode(checkout: Path = REPO) -> None:
    """Compile specc's modules to bytecode first, as `pip install` does for a regular install.

    An editable install compiles on first import instead, and not at all when
    PYTHONDONTWRITEBYTECODE is set: every run would then re-compile specc from source
    while the peers, installed as wheels, load their compiled modules."""
    import compileall

    compileall.compile_dir(str(checkout / "specc"), quiet=1)


def lsp_figure(env: dict[str, str] | None, changes: int) -> str:
    """The language server's latency line from bench/lsp_latency.py, or why there is none."""
    try:
        import pygls  # noqa: F401
    except ImportError:
        return "not measured: pip install pygls lsprotocol (specc[server])"
    proc = subprocess.run([sys.executable, str(HERE / "lsp_latency.py"), "--changes", str(changes)],
                          capture_output=True, text=True, env=env, timeout=300)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(("after a change", "first"))]
    return "; ".join(lines) if proc.returncode == 0 and lines else f"failed: {proc.stderr.strip()[-300:]}"


# The least any cached re-run must do, as a bare script: start Python, decode the cache file
# (JSON), walk the folder and stat every YAML file in it. Timed beside the cached re-run to
# show how much of it is specc's own.
CACHE_FLOOR = """
import json, os, sys
cache_file, folder = sys.argv[1:]
with open(cache_file, "rb") as handle:
    entries = json.loads(handle.read())["entries"]
unchanged, folders = 0, [folder]
while folders:
    with os.scandir(folders.pop()) as listing:
        for entry in listing:
            if entry.is_dir():
                folders.append(entry.path)
            elif entry.name.endswith((".yaml", ".yml")):
                info = os.stat(entry.path)
                known = entries.get(entry.path)
                unchanged += known is not None and known[0][:2] == [info.st_mtime_ns, info.st_size]
print(unchanged)
"""


# The least any one-file lint must do, as a bare script: start Python, import the YAML parser
# and the compiled schema validator specc uses (PyYAML's libyaml binding, jsonschema-rs), build
# the validator for the request from the vendored schema, parse the spec and validate its body.
# Timed beside `specc lint one` to show how much of it is specc's own.
ONE_FILE_FLOOR = """
import json, sys
import yaml, jsonschema_rs
schema_file, lock_file, spec_file = sys.argv[1:]
with open(schema_file, "rb") as handle:
    defs = json.loads(handle.read())["$defs"]
with open(lock_file, "rb") as handle:
    request = json.loads(handle.read())["entry_points"]["request"]
validator = jsonschema_rs.Draft202012Validator({"$defs": defs, "$ref": "#/$defs/" + request})
with open(spec_file, "rb") as handle:
    spec = yaml.load(handle.read(), Loader=yaml.CSafeLoader)
print(validator.is_valid(spec["request"]))
"""


def timed(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak RSS (KiB) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, os.waitstatus_to_exitcode(status), usage.ru_maxrss


class Runs:
    """Collects wall times per label over interleaved rounds."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.memory: dict[str, int] = {}
        self.codes: dict[str, set[int]] = {}

    def add(self, label: str, cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        elapsed, code, rss = timed(cmd, env, cwd)
        self.times.setdefault(label, []).append(elapsed)
        self.memory[label] = max(self.memory.get(label, 0), rss)
        self.codes.setdefault(label, set()).add(code)

    def median(self, label: str) -> float:
        return statistics.median(self.times[label])


def ratio_line(runs: Runs, label: str, against: str, target: str) -> str:
    mine, theirs = runs.median(label), runs.median(against)
    return f"  {label:<34} {mine:7.3f}s  vs {against:<28} {theirs:7.3f}s  ratio {mine / theirs:6.3f}  (target {target})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", type=int, default=0, help="also lint this many specs to check linear growth")
    parser.add_argument("--smoke", action="store_true", help="a few files, one round: check that it all runs")
    parser.add_argument("--keep", type=Path, default=None, help="generate into this folder and keep it")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another specc checkout to time beside this one (rows labelled 'base:')")
    parser.add_argument("--lsp-changes", type=int, default=30, help="changes timed by the language-server bench (0: skip)")
    args = parser.parse_args()
    if args.smoke:
        args.count, args.rounds, args.lsp_changes = 12, 1, 0

    specc = tool("specc")
    check_jsonschema = tool("check-jsonschema")
    ajv = tool("ajv")
    if not specc:
        print("specc is not installed (pip install -e .)", file=sys.stderr)
        return 2

    compile_bytecode()
    # Each specc under test: a label prefix and the environment that imports it.
    variants: list[tuple[str, dict[str, str]]] = [("", dict(os.environ))]
    if args.baseline:
        baseline = args.baseline.resolve()
        if not (baseline / "specc" / "__init__.py").is_file():
            print(f"--baseline {baseline}: not a specc checkout", file=sys.stderr)
            return 2
        compile_bytecode(baseline)
        variants.append(("base: ", dict(os.environ, PYTHONPATH=str(baseline))))
    work = args.keep or Path(tempfile.mkdtemp(prefix="specc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    big, small = work / "big", work / "small"
    for folder in (big, small):
        if folder.exists():
            shutil.rmtree(folder)
    (work / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
    files = generate(big, args.count)
    generate(small, min(100, args.count), seed=11)
    one = files[0]
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} specs, {size / 1e6:.1f} MB, in {work}; {os.cpu_count()} cores; {args.rounds} rounds")

    runs = Runs()
    for _ in range(args.rounds):
        runs.add("python -c pass", [sys.executable, "-c", "pass"])
        for prefix, env in variants:
            no_cache = dict(env, SPECC_NO_CACHE="1")
            runs.add(f"{prefix}specc --version", [specc, "--version"], env=env)
            runs.add(f"{prefix}specc lint one", [specc, "lint", "-q", "--no-cache", str(one)], env=no_cache, cwd=work)
            runs.add(f"{prefix}specc lint {args.count}", [specc, "lint", "-q", str(big)], env=no_cache, cwd=work)
            runs.add(f"{prefix}specc lint 100", [specc, "lint", "-q", str(small)], env=no_cache, cwd=work)
            # the cached pair: a cold run that fills the cache, then the re-run it speeds up
            shutil.rmtree(work / ".specc_cache", ignore_errors=True)
            runs.add(f"{prefix}specc lint (cache filling)", [specc, "lint", "-q", str(big)], env=env, cwd=work)
            runs.add(f"{prefix}specc lint (cached re-run)", [specc, "lint", "-q", str(big)], env=env, cwd=work)
        runs.add("one-file floor (bare script)", [sys.executable, "-c", ONE_FILE_FLOOR, str(REPO / "schemas" / "openrouter.schema.json"),
                                                  str(REPO / "schemas" / "openrouter.lock.json"), str(one)], cwd=work)
        cache_files = sorted((work / ".specc_cache").glob("lint-*.json"))
        if cache_files:
            runs.add("cached re-run floor (bare script)", [sys.executable, "-c", CACHE_FLOOR, str(cache_files[0]), str(big)], cwd=work)
        if check_jsonschema:
            base = [check_jsonschema, "--schemafile", str(SCHEMA)]
            runs.add("check-jsonschema one", base + [str(one)])
            runs.add(f"check-jsonschema {args.count}", base + [str(p) for p in files])
            runs.add("check-jsonschema 100", base + [str(p) for p in sorted(small.rglob("*.yaml"))])
        if ajv:
            runs.add(f"ajv {args.count}", [ajv, "validate", "--spec=draft2020", "--strict=false",
                                          "--validate-formats=false", "-s", str(SCHEMA), "-d", f"{big}/**/*.yaml"])

    print("\nmedians (whole processes):")
    for label in runs.times:
        print(f"  {label:<34} {runs.median(label):7.3f}s  peak {runs.memory[label] / 1024:6.1f} MB  exit {sorted(runs.codes[label])}")

    print("\nratios against the targets of issue 6:")
    if check_jsonschema:
        print(ratio_line(runs, f"specc lint {args.count}", f"check-jsonschema {args.count}", "<= 0.125"))
        print(ratio_line(runs, "specc lint 100", "check-jsonschema 100", "<= 0.5"))
        print(ratio_line(runs, "specc lint one", "check-jsonschema one", "<= 0.5"))
    else:
        print("  check-jsonschema not found: pip install check-jsonschema")
    if ajv:
        print(ratio_line(runs, f"specc lint {args.count}", f"ajv {args.count}", "< 1"))
    else:
        print("  ajv not found: npm install --prefix bench ajv-cli@5")
    print(ratio_line(runs, "specc --version", "python -c pass", "<= 5"))
    print(ratio_line(runs, "specc lint (cached re-run)", "specc lint (cache filling)", "<= 0.05"))
    if "cached re-run floor (bare script)" in runs.times:
        floor, first = runs.median("cached re-run floor (bare script)"), runs.median("specc lint (cache filling)")
        print(f"  {'cached re-run floor (bare script)':<34} {floor:7.3f}s  = {floor / first:.3f} of the first run "
              "(start Python, decode the cache, stat every file: nothing else)")
    print(f"  peak memory, specc lint {args.count}: {runs.memory[f'specc lint {args.count}'] / 1024:.1f} MB (target < 150 MB)")

    print("\nwhat a person waits for (issue 21):")
    print(ratio_line(runs, "one-file floor (bare script)", "python -c pass", "-") +
          "  (start, import yaml + jsonschema_rs, build the validator, parse and validate: nothing else)")
    if "cached re-run floor (bare script)" in runs.times:
        print(ratio_line(runs, "cached re-run floor (bare script)", "python -c pass", "-"))
    for prefix, env in variants:
        print(ratio_line(runs, f"{prefix}specc lint one", "python -c pass", "<= 4"))
        print(ratio_line(runs, f"{prefix}specc lint (cached re-run)", "python -c pass", "<= 3"))
        if ajv:
            print(ratio_line(runs, f"{prefix}specc lint {args.count}", f"ajv {args.count}", "<= 0.5"))
        if args.lsp_changes:
            print(f"  {prefix}language server, 10 KB spec: {lsp_figure(env, args.lsp_changes)} (target <= 50 ms)")
    if not ajv:
        print("  ajv not found: npm install --prefix bench ajv-cli@5")

    if args.scale:
        scaled = work / "scaled"
        shutil.rmtree(scaled, ignore_errors=True)
        generate(scaled, args.scale, seed=13)
        elapsed, code, rss = timed([specc, "lint", "-q", str(scaled)], env=no_cache, cwd=work)
        per_file_big = runs.median(f"specc lint {args.count}") / args.count
        print(f"\nlinear growth: {args.scale} specs in {elapsed:.2f}s ({elapsed / args.scale * 1e3:.3f} ms/spec) "
              f"vs {per_file_big * 1e3:.3f} ms/spec at {args.count}; peak {rss / 1024:.1f} MB; exit {code}")

    failed = [label for label, codes in runs.codes.items() if not codes <= {0, 1}]
    if failed:
        print(f"\ncommands that crashed or were misused: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
