"""Time `qa cases import` and `qa sample` on a 50,000-row case list (generated, never committed).

    .venv/bin/python benchmarks/bench_sample.py [ROWS]

Copies examples/demo-repo to a temporary folder, writes a synthetic export of ROWS children
(default 50,000) across the demo's teams, and prints how long each step takes.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    from qa_cli import sampling
    from qa_cli.caselist import import_export, read_case_list
    from qa_cli.repository import Repository

    with tempfile.TemporaryDirectory() as tmp:
        repo_dir = Path(tmp) / "repo"
        shutil.copytree(ROOT / "examples" / "demo-repo", repo_dir)
        repo = Repository.load(repo_dir)
        config = repo.config
        workers = [(s.id, s.team) for s in config.staff if "social_worker" in s.roles and s.team]
        names = {t.id: t.name for t in config.teams}
        rng = random.Random(1)
        export = Path(tmp) / "export.csv"
        with export.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(
                [
                    "Child Unique ID",
                    "Allocated Team",
                    "Allocated Worker",
                    "Category",
                    "Start Date",
                    "Date of Birth",
                ]
            )
            for i in range(n):
                sid, team = rng.choice(workers)
                w.writerow(
                    [
                        1_000_000 + i,
                        names[team],
                        sid,
                        rng.choice(["CIN", "CP", "CLA", "Care leaver", "Early help"]),
                        f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025",
                        f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/"
                        f"{rng.randint(2008, 2025)}",
                    ]
                )
        today = dt.date(2026, 11, 29)
        t = time.perf_counter()
        result = import_export(export, config, b"bench-key-" + b"0" * 30, today)
        t_import = time.perf_counter() - t
        rel = f"cases/{today}.csv"
        (repo_dir / rel).write_text(result.text)
        t = time.perf_counter()
        rows, _ = read_case_list(repo_dir / rel, rel)
        t_read = time.perf_counter() - t
        t = time.perf_counter()
        repo = Repository.load(repo_dir)
        t_load = time.perf_counter() - t
        t = time.perf_counter()
        plan = sampling.plan_sample(repo, "single-agency", "2026-12", today)
        t_plan = time.perf_counter() - t
        t = time.perf_counter()
        sampling.write_plan(repo, plan)
        t_write = time.perf_counter() - t
        t = time.perf_counter()
        v = sampling.verify_sample(Repository.load(repo_dir), "2026-12", "single-agency")
        t_verify = time.perf_counter() - t
        size = os.path.getsize(repo_dir / plan.rel)
        print(f"case list: {len(rows):,} cases from a {n:,}-row export")
        print(f"import (read, pseudonymise, check)   {t_import:6.2f} s")
        print(f"read case list                       {t_read:6.2f} s")
        print(f"load repository                      {t_load:6.2f} s")
        print(
            f"draw + render sample and returns     {t_plan:6.2f} s "
            f"({len(plan.result.allocations)} allocations, {len(plan.result.excluded):,} "
            f"excluded, sample file {size / 1024:.0f} KiB)"
        )
        print(f"write sample and returns             {t_write:6.2f} s")
        print(f"verify (load + re-draw + compare)    {t_verify:6.2f} s  ok={v.ok}")


if __name__ == "__main__":
    main()
