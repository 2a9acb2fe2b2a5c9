"""`qa` (its console script, `qa_cli.cli:main`) leaves what a command kept to the operating
system when it ends: the objects are frozen, so the interpreter's last garbage collection
does not walk a report's million objects (issue 16). What the command wrote and printed is
the same as from an in-process run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import AS_OF

# Run `qa ARGS` in a fresh interpreter, as the console script does; then say whether the
# objects were frozen (gc.get_freeze_count() > 0) once the command had ended.
_PROBE = """
import gc, json, sys
from qa_cli.cli import main
sys.argv = ["qa", *json.loads(sys.argv[1])]
code = 0
try:
    main()
except SystemExit as exit:
    code = exit.code or 0
print(json.dumps({"frozen": gc.get_freeze_count() > 0, "code": code}))
"""


def _console(*args: str | Path) -> tuple[list[str], dict[str, object]]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps([str(a) for a in args])],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "100", "PATH": ""},
    )
    *printed, last = proc.stdout.rstrip("\n").split("\n")
    return printed, json.loads(last)


def test_the_console_script_freezes_what_a_report_kept_and_writes_the_same(
    run, mini_repo: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    shutil.copytree(mini_repo, other)
    args = ["report", "monthly", "--month", "2026-10", "--as-of", AS_OF, "--repo"]
    printed, state = _console(*args, other)
    assert state == {"frozen": True, "code": 0}
    in_process = run(*args, mini_repo)
    assert in_process.exit_code == 0, in_process.output
    assert printed == in_process.output.rstrip("\n").split("\n")  # "wrote ..." both files
    md = Path("reports/2026-10/monthly.md")
    assert (other / md).read_bytes() == (mini_repo / md).read_bytes()
    assert (other / md.with_suffix(".xlsx")).stat().st_size > 0


def test_a_failing_command_freezes_too_and_keeps_its_exit_code(tmp_path: Path) -> None:
    _, state = _console("validate", "--repo", tmp_path / "no-such-repo")
    assert state == {"frozen": True, "code": 2}
