"""Time `qa report monthly` on a repository of 10,000 generated returns.

    .venv/bin/python benchmarks/bench_report.py [--returns 10000]

The repository is generated in a temporary folder from the example repository (its qa.yaml,
tools and one month's sample): the October returns are copied under new case codes across
as many months as needed. Nothing generated is kept. Prints where the time goes: loading
(YAML parse + models), collation and due items, rendering Markdown and Excel.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import random
import shutil
import string
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-repo"


def _code(rng: random.Random) -> str:
    return "C-" + "".join(rng.choice(string.digits + string.ascii_uppercase) for _ in range(8))


def generate(dest: Path, returns: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    for name in ("qa.yaml", "audit_tools"):
        src = DEMO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    templates = sorted((DEMO / "audits").rglob("*.yaml"))
    texts = [(p.name.split("--")[0], p.read_text()) for p in templates]
    per_month = 500
    month = dt.date(2026, 10, 1)
    made = 0
    while made < returns:
        folder = dest / "audits" / month.strftime("%Y-%m")
        folder.mkdir(parents=True, exist_ok=True)
        for _ in range(min(per_month, returns - made)):
            old, text = texts[made % len(texts)]
            new = _code(rng)
            tool = (
                "single-agency-cla"
                if "single-agency-cla@" in text
                else "single-agency-safeguarding"
            )
            (folder / f"{new}--{tool}.yaml").write_text(text.replace(old, new))
            made += 1
        y, m = divmod(month.month - 2, 12)
        month = dt.date(month.year + y, m + 1, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--returns", type=int, default=10_000)
    ap.add_argument("--profile", action="store_true", help="print the top functions by time")
    args = ap.parse_args()
    from qa_cli.reports.monthly import build_monthly
    from qa_cli.reports.output import write_report
    from qa_cli.repository import Repository

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        t0 = time.perf_counter()
        generate(root, args.returns)
        print(f"generated {args.returns} returns in {time.perf_counter() - t0:.1f}s")
        prof = cProfile.Profile() if args.profile else None
        if prof:
            prof.enable()
        t1 = time.perf_counter()
        repo = Repository.load(root)
        t2 = time.perf_counter()
        report = build_monthly(repo, "2026-10", dt.date(2026, 11, 29))
        t3 = time.perf_counter()
        write_report(repo, report)
        t4 = time.perf_counter()
        if prof:
            prof.disable()
        print(f"qa report monthly over {args.returns} returns: {t4 - t1:.2f}s in all")
        print(f"  load repository (parse YAML, validate models): {t2 - t1:.2f}s")
        print(f"  collate (grades, themes, moderation, due items): {t3 - t2:.2f}s")
        print(f"  render and write Markdown and Excel: {t4 - t3:.2f}s")
        if prof:
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())


if __name__ == "__main__":
    main()
