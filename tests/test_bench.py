"""The benchmark runs (as a smoke test: a few files, one round); its timings are never asserted."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_benchmark_smoke(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--smoke", "--keep", str(tmp_path / "bench")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ratios against the targets of issue 6" in result.stdout
    assert "specc lint (cached re-run)" in result.stdout


def test_generated_specs_are_realistic_and_mostly_clean(tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    (tmp_path / "pyproject.toml").write_text("[project]\nname='bench'\n")
    paths = generate(tmp_path / "specs", 60)
    sizes = [p.stat().st_size for p in paths]
    assert min(sizes) >= 1000 and max(sizes) <= 10_500
    assert generate(tmp_path / "again", 60)[7].read_text() == paths[7].read_text()  # deterministic
    from conftest import run_cli

    result = run_cli("lint", "--format", "json", "--no-cache", "specs", cwd=tmp_path)
    import json

    report = json.loads(result.out)
    assert report["summary"]["files"] == 60
    assert report["summary"]["errors"] == 1  # spec 49 carries the one deliberate mistake of the first fifty
