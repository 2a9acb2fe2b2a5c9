"""How long the demo generator takes: this checkout against earlier commits, side by side.

Prints figures, asserts nothing. Run:

    .venv/bin/python benchmarks/bench_demo.py --ref 04b44a5 --repeat 3

Each ``--ref`` is exported (``git archive``) to a temporary folder; then, round after round,
every checkout's ``scripts/make_demo_repo.py`` writes the demo into a temporary folder, as a
child process of this Python (the script puts its own checkout first on ``sys.path``, so each
runs its own ``qa_cli``). Prints the median wall and CPU seconds (the child's user + system
time) of each, and each one's ratio to the first ``--ref``. With a loaded machine, compare
the CPU seconds and the ratios, not the wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def export(ref: str, into: Path) -> Path:
    """The tree of commit ``ref`` of this repository, written under ``into``."""
    out = into / ref.replace("/", "_")
    out.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref],
        check=True,
        capture_output=True,
    ).stdout
    archive_path = into / f"{out.name}.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(out, filter="data")
    return out


def run_once(checkout: Path, out: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one generation by ``checkout`` into ``out``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, str(checkout / "scripts" / "make_demo_repo.py"), str(out)],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", action="append", default=[], help="an earlier commit to time")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        checkouts = {ref: export(ref, Path(tmp)) for ref in args.ref}
        checkouts["this checkout"] = ROOT
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in checkouts}
        print(f"load average at the start: {os.getloadavg()[0]:.1f}")
        for _ in range(args.repeat):
            for name, checkout in checkouts.items():
                times[name].append(run_once(checkout, Path(tmp) / "demo-repo"))
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    first = None
    print(f"median of {args.repeat} runs     wall s   CPU s   CPU ratio")
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        first = first or cpu
        print(f"{name:24} {wall:8.2f} {cpu:7.2f} {cpu / first:8.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
