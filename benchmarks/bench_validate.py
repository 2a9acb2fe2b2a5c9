"""How fast `qa validate` reads a repository, and what the fast path buys.

Prints figures, asserts nothing. Run: `.venv/bin/python benchmarks/bench_validate.py [N]`.
Generates N audit returns (copies of a real-sized return from the example repository,
or the test base when the example is absent) in a temporary folder, then times:

1. parsing one return: C safe loader (the bulk path) vs pure-Python safe vs round-trip,
   side by side in one run;
2. `qa validate` over the whole generated repository.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa_cli import yamlio  # noqa: E402
from qa_cli.validation.engine import validate  # noqa: E402

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _best(fn, repeat: int = 5, number: int = 20) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return min(times)


def parse_figures(text: str) -> None:
    pure = YAML(typ="safe", pure=True)
    fast = _best(lambda: yamlio.load_text(text))
    slow = _best(lambda: pure.load(text))
    rt = _best(lambda: yamlio.load_roundtrip(text), number=5)
    print(f"one return of {len(text.encode()):,} bytes:")
    print(f"  C safe loader (bulk path)   {fast * 1e3:7.2f} ms")
    print(
        f"  pure-Python safe loader     {slow * 1e3:7.2f} ms  ({slow / fast:4.1f}x the bulk path)"
    )
    print(f"  round-trip loader           {rt * 1e3:7.2f} ms  ({rt / fast:4.1f}x the bulk path)")


def build_repo(dest: Path, n: int) -> None:
    base = ROOT / "tests" / "cases" / "base"
    shutil.copytree(base, dest)
    template = (base / "audits/2026-09/C-7F3K2Q9M--mini-audit.yaml").read_text()
    rng = random.Random(1)
    allocations = []
    (dest / "audits/2026-09/C-7F3K2Q9M--mini-audit.yaml").unlink()
    for _ in range(n):
        code = "C-" + "".join(rng.choice(ALPHABET) for _ in range(8))
        rel = f"audits/2026-09/{code}--mini-audit.yaml"
        (dest / rel).write_text(template.replace("C-7F3K2Q9M", code))
        allocations.append(
            f"  - case: {code}\n    team: child-protection\n    category: CP\n"
            f"    tool: mini-audit@1\n    auditors: [sm-cdale, tm-bmoor]\n"
            f"    allocated: 2026-09-01\n    due: 2026-11-02\n    file: {rel}\n"
        )
    sample = (base / "samples/2026-09.yaml").read_text().split("allocations:")[0]
    (dest / "samples/2026-09.yaml").write_text(sample + "allocations:\n" + "".join(allocations))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    demo = sorted((ROOT / "examples/demo-repo/audits").glob("*/*.yaml"))
    sample_file = (
        demo[0] if demo else ROOT / "tests/cases/base/audits/2026-09/C-7F3K2Q9M--mini-audit.yaml"
    )
    parse_figures(sample_file.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        build_repo(repo, n)
        t0 = time.perf_counter()
        _, report = validate(repo)
        elapsed = time.perf_counter() - t0
        print(
            f"qa validate over {report.files_checked:,} files: {elapsed:.2f} s "
            f"({elapsed / report.files_checked * 1e3:.2f} ms a file), "
            f"{len(report.diagnostics)} findings"
        )


if __name__ == "__main__":
    main()
