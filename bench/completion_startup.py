"""What shell completion costs, with shtab (what `specc completion` uses) and with argcomplete.

Times whole processes, rounds interleaved, and prints medians (ms):

- `python -c pass` and `specc --version` as shipped (shtab is imported only by `specc completion`);
- `specc --version` with argcomplete integrated as its documentation says (imported, and
  `autocomplete(parser)` called, before arguments are parsed; the parser is built for it);
- one TAB press: shtab's script runs in the shell and starts no Python (0 ms, not timed);
  argcomplete starts specc with `_ARGCOMPLETE=1`, which builds every command's parser;
- generating the script once: `specc completion bash`.

    python bench/completion_startup.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# specc's entry point with argcomplete wired in the documented way: before parse_args.
ARGCOMPLETE_MAIN = """
import sys, argcomplete
from specc.cli import build_parser, main
argcomplete.autocomplete(build_parser())
sys.exit(main(sys.argv[1:]))
"""


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(8, 9) if env.get("_ARGCOMPLETE") else ())
    return (time.perf_counter() - start) * 1e3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    python = sys.executable
    specc = str(Path(python).parent / "specc")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    line = "specc li"
    tab_env = {**env, "_ARGCOMPLETE": "1", "COMP_LINE": line, "COMP_POINT": str(len(line)), "_ARGCOMPLETE_IFS": "\n"}
    runs = {
        "python -c pass": ([python, "-c", "pass"], env),
        "specc --version (shipped, shtab)": ([specc, "--version"], env),
        "specc --version (argcomplete hook)": ([python, "-c", ARGCOMPLETE_MAIN, "--version"], env),
        "TAB with argcomplete": ([python, "-c", ARGCOMPLETE_MAIN], tab_env),
        "specc completion bash (once)": ([specc, "completion", "bash"], env),
    }
    read, write = os.pipe()  # argcomplete answers on fd 8 (and debugs to fd 9)
    os.dup2(write, 8)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 9)
    times: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(args.rounds):
        for label, (command, command_env) in runs.items():
            times[label].append(_time(command, command_env))
            os.set_blocking(read, False)
            try:
                while os.read(read, 65536):
                    pass
            except BlockingIOError:
                pass
    base = statistics.median(times["python -c pass"])
    print(f"{'':38} {'median ms':>10} {'x python -c pass':>17}")
    for label, values in times.items():
        median = statistics.median(values)
        print(f"{label:38} {median:10.1f} {median / base:17.2f}")
    print(f"{'TAB with shtab (static script)':38} {'0 (no process)':>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
