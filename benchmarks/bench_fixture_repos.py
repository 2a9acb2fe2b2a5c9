"""The test fixtures side by side: a command sequence on the demo and on the mini repository.

Usage: python benchmarks/bench_fixture_repos.py [ROUNDS]

Runs what the action tests do (list the actions, mark one done, list what is due, validate)
in-process through the CLI, on a fresh copy of examples/demo-repo and of
tests/fixtures/mini-repo, alternating the two in each round so both see the same machine
load. Prints the median seconds of each and their ratio.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from typer.testing import CliRunner

from qa_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
REPOS = {
    "demo": ROOT / "examples" / "demo-repo",
    "mini": ROOT / "tests" / "fixtures" / "mini-repo",
}
AS_OF = "2026-11-29"


def sequence(repo: Path) -> float:
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, [*args, "--repo", str(repo)], catch_exceptions=False)
        return result.output

    start = time.perf_counter()
    rows = json.loads(run("actions", "list", "--as-of", AS_OF, "-f", "json"))
    first = next(r for r in rows if r["status"] == "open")
    run("actions", "done", first["path"], first["id"], "--as-of", AS_OF)
    run("due", "--as-of", AS_OF, "-f", "json")
    run("validate")
    return time.perf_counter() - start


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    times: dict[str, list[float]] = {name: [] for name in REPOS}
    for _ in range(rounds):
        for name, source in REPOS.items():
            with tempfile.TemporaryDirectory() as tmp:
                copy = Path(tmp) / name
                shutil.copytree(source, copy)
                times[name].append(sequence(copy))
    med = {name: statistics.median(t) for name, t in times.items()}
    files = {name: sum(1 for p in src.rglob("*.yaml")) for name, src in REPOS.items()}
    for name in REPOS:
        print(f"{name}: {files[name]} YAML files, median {med[name]:.2f} s over {rounds} rounds")
    print(f"demo / mini: {med['demo'] / med['mini']:.1f}x")


if __name__ == "__main__":
    main()
