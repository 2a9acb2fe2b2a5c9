"""`qa report monthly`'s next run against a warm `qa validate`, before and after, side by side.

    .venv/bin/python benchmarks/bench_report.py [--returns 10000] [--months 36] \\
        [--before DIR] [--month YYYY-MM] [--repeat 3]

The repository is ``run.py``'s generated one (``--months 3``: the stress layout, every
return in three months). ``--before DIR`` is an older toolkit's checkout (``git archive
COMMIT | tar -x -C DIR``), run with ``PYTHONPATH=DIR`` (the checkout's ``qa_cli`` then comes
first: check with ``PYTHONPATH=DIR python -c 'import qa_cli; print(qa_cli.__file__)'``) on a
copy of the repository of its own, since each toolkit takes the other's ``.qa`` cache for a
foreign one. Each toolkit's caches are warmed first (a validate, then a report: the report's
first run), then the measures run in turn, toolkit after toolkit, ``--repeat`` times, and
the best of each is kept: the machine is shared, so the order is interleaved and the CPU
time (user + system, of the child) is given beside the wall time. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (the generated repository and the machine line)

QA = Path(sys.executable).parent / "qa"


@dataclass
class Toolkit:
    name: str
    repo: Path
    env: dict[str, str]

    def run(self, *args: str | Path) -> bench.Run:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [str(QA), *map(str, args)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        return bench.Run(
            time.perf_counter() - t0,
            usage.ru_maxrss / 1024,
            os.waitstatus_to_exitcode(status),
            usage.ru_utime + usage.ru_stime,
        )


def _copy_for(repo: Path, name: str) -> Path:
    """A copy of the generated repository (with its git) for another toolkit's caches."""
    dest = repo.parent / f"{repo.name}-{name}"
    stamp = repo / ".bench-stamp"
    if not (dest / ".bench-stamp").is_file() or (dest / ".bench-stamp").read_text() != (
        stamp.read_text()
    ):
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(repo, dest, ignore=shutil.ignore_patterns(".qa", "reports"))
    return dest


def _month(repo: Path) -> str:
    audits = sorted((repo / "audits").glob("*/*.yaml"))
    return audits[len(audits) // 2].parent.name  # as run.py's report rows


def measure(toolkits: list[Toolkit], month: str, repeat: int) -> None:
    report = ["report", "monthly", "--month", month, "--as-of", "2027-01-31", "--repo"]
    validate = ["validate", "--format", "json", "--repo"]
    for t in toolkits:  # warm: the validation cache, the report's summaries and models
        t.run(*validate, t.repo)
        t.run(*report, t.repo)
    best: dict[tuple[str, str], bench.Run] = {}
    for _ in range(repeat):
        for t in toolkits:
            for what, args in (("validate", validate), ("report", report)):
                r = t.run(*args, t.repo)
                key = (t.name, what)
                if key not in best or r.seconds < best[key].seconds:
                    best[key] = r
    print("\n| toolkit | warm `qa validate` | `qa report monthly`, next run | ratio (wall; CPU) |")
    print("| --- | --- | --- | --- |")
    for t in toolkits:
        v, r = best[(t.name, "validate")], best[(t.name, "report")]
        print(
            f"| {t.name} | {v.seconds:.2f} s (CPU {v.cpu:.2f} s) | {r.seconds:.2f} s "
            f"(CPU {r.cpu:.2f} s), {r.rss_mib:.0f} MiB, exit {r.code} | "
            f"{r.seconds / v.seconds:.1f}x; {r.cpu / v.cpu:.1f}x |",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--returns", type=int, default=10_000)
    ap.add_argument("--months", type=int, default=bench.MONTHS)
    ap.add_argument("--before", type=Path, help="an older toolkit's checkout, to compare")
    ap.add_argument("--month", help="the report's month (default: run.py's)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    bench.CACHE.mkdir(parents=True, exist_ok=True)
    bench.compile_toolkit()
    repo = bench.repository(args.returns, args.months)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    toolkits = []
    if args.before is not None:
        before = args.before.resolve()
        subprocess.run([sys.executable, "-m", "compileall", "-q", before / "qa_cli"], check=True)
        toolkits.append(
            Toolkit("before", _copy_for(repo, "before"), env | {"PYTHONPATH": str(before)})
        )
    toolkits.append(Toolkit("after", repo, env))
    month = args.month or _month(repo)
    per_month = sum(1 for _ in (repo / "audits" / month).glob("*.yaml"))
    print(f"machine: {bench.machine()}")
    print(
        f"{args.returns:,} returns over {args.months} months; the report's month {month}: "
        f"{per_month:,} returns"
    )
    measure(toolkits, month, args.repeat)
    print(f"\nafter the run: {bench.machine()}")


if __name__ == "__main__":
    main()
