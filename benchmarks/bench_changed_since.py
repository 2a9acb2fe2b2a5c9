"""What `qa validate --changed-since` saves: one changed return vs the whole repository.

Prints figures, asserts nothing. Run: `.venv/bin/python benchmarks/bench_changed_since.py`.
Copies examples/demo-repo to a temporary git repository, changes one return, then times, side
by side in one run (best of 3 each, subprocesses of the installed `qa`):

1. `qa validate` (every file);
2. `qa validate --changed-since HEAD` (the changed return only);
3. the pre-commit hook's call, `qa validate FILE` (the staged file only).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QA = str(Path(sys.executable).parent / "qa")
# the demo's first September return (read from the demo: its case codes change when it is rebuilt)
RETURN = (
    sorted(ROOT.glob("examples/demo-repo/audits/2026-09/*.yaml"))[0]
    .relative_to(ROOT / "examples" / "demo-repo")
    .as_posix()
)


def best(args: list[str], cwd: Path, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([QA, *args], cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    env = {
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    os.environ.update(env)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(ROOT / "examples" / "demo-repo", repo)
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "demo"]):
            subprocess.run(["git", *args], cwd=repo, check=True)
        path = repo / RETURN
        path.write_text(path.read_text() + "# a comment added: the one change\n")
        files = sum(1 for _ in repo.rglob("*.yaml"))
        full = best(["validate"], repo)
        changed = best(["validate", "--changed-since", "HEAD"], repo)
        hook = best(["validate", RETURN], repo)
        print(f"demo repository, {files} YAML files, one return changed:")
        print(f"  qa validate (everything)            {full:6.2f} s")
        ratio = full / changed
        print(f"  qa validate --changed-since HEAD    {changed:6.2f} s  ({ratio:4.1f}x faster)")
        print(f"  qa validate FILE (pre-commit hook)  {hook:6.2f} s  ({full / hook:4.1f}x faster)")


if __name__ == "__main__":
    main()
