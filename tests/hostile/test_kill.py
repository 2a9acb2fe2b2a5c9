"""SIGKILL a writing command at random moments; every file must still be whole.

Writes go through a temporary file, fsync and a rename, so a killed command leaves each file
either as it was or as the command meant it, never half-written. After each kill every YAML
file of the repository must load, the edited file must be exactly the old or the new text,
and the next writing command must run (a lock left by the killed one is taken over).
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from qa_cli import yamlio
from tests.conftest import AS_OF, DEMO

from .conftest import COUNTS

QA = Path(sys.executable).parent / "qa"


def _return_with_open_a1() -> str:
    """The first October return of the demo whose action A1 is still open (read, not typed,
    so the test follows the generated demo's case codes)."""
    for path in sorted((DEMO / "audits" / "2026-10").glob("*.yaml")):
        data = yamlio.load_fast(path.read_bytes())
        actions = data.get("actions") if isinstance(data, dict) else None
        if any(a.get("id") == "A1" and a.get("status") == "open" for a in actions or []):
            return path.relative_to(DEMO).as_posix()
    raise AssertionError("the demo has no October return with an open action A1")


RET = _return_with_open_a1()


def _run_and_kill(args: list[str], delay: float) -> int | None:
    proc = subprocess.Popen([str(QA), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return proc.wait(timeout=delay)  # finished before the kill
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return None


def _all_whole(repo: Path) -> None:
    for path in repo.rglob("*.yaml"):
        if any(p.startswith(".") for p in path.relative_to(repo).parts):
            continue
        loaded = yamlio.load_fast(path.read_bytes())
        assert isinstance(loaded, dict), f"{path.relative_to(repo)} is not whole: {loaded}"


@pytest.mark.skipif(not QA.exists(), reason="the qa entry point is not installed in this venv")
@pytest.mark.parametrize("command", ["sample", "moderate", "actions"])
def test_sigkill_leaves_every_file_whole(command: str, tmp_path: Path) -> None:
    rng = random.Random(f"kill/{command}")
    killed = 0
    for attempt in range(3):
        repo = tmp_path / f"repo{attempt}"
        shutil.copytree(DEMO, repo)
        args = {
            "sample": ["sample", "--month", "2026-11"],
            "moderate": ["moderate", "--month", "2026-10"],
            "actions": ["actions", "done", RET, "A1"],
        }[command] + ["--as-of", AS_OF, "--repo", str(repo)]
        edited = repo / ("samples/2026-10.yaml" if command == "moderate" else RET)
        old = edited.read_bytes()
        code = _run_and_kill(args, rng.uniform(0.2, 2.5))
        killed += code is None
        _all_whole(repo)
        now = edited.read_bytes()
        if now != old:
            assert command != "sample", "the draw never edits an existing return"
            assert (b"moderation:" in now) if command == "moderate" else (b"status: done" in now)
        # the lock of a killed command does not block the next one
        again = subprocess.run([str(QA), *args], capture_output=True, text=True)
        assert "busy" not in again.stderr, again.stderr
        assert "Traceback" not in again.stderr
        _all_whole(repo)
        COUNTS["kill runs"] += 1
    COUNTS["kill runs killed mid-write"] += killed
    # sample writes ~30 files over seconds, so some run is always killed; the short edits of
    # moderate and actions may finish first under a light load
    assert killed >= 1 or command != "sample", "no run was killed: widen the delays"
