"""Run the hostile corpus (tests/hostile/corpus.py) over copies of the demo repository.

Each case: plant files and links in a fresh copy, hash every file of the repository and of
the folder around it, run the command in-process, then check the exit code, that no
traceback or "internal problem" was printed, that the offending file or option is named,
and that no file changed anywhere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import snapshot

from .conftest import COUNTS
from .corpus import CASES, RET, Case
from .payloads import xlsx_bytes


@pytest.fixture(scope="session")
def template(_demo_template: Path) -> Path:
    """One copy of the demo repository per session, its parse cache filled (see
    tests/conftest.py): each case copies this copy, so only what a case plants is parsed."""
    return _demo_template


def _plant(world: Path, repo: Path, case: Case) -> None:
    (world / "outside").mkdir()
    (world / "outside" / "secret.yaml").write_text("schema: qa/audit@1\nsecret: do not read\n")
    for rel, payload in case.plant:
        path = world / rel[1:] if rel.startswith("@") else repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(payload):
            source = path if path.exists() else repo / RET  # a new file starts as a return
            data = payload(source.read_text(encoding="utf-8"))
        elif payload == b"" and path.suffix == ".xlsx":
            data = xlsx_bytes(case.id.removeprefix("cases-import-export-"))
        else:
            data = payload
        path.write_bytes(data)
    for rel, target in case.links:
        link = world / rel[1:] if rel.startswith("@") else repo / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        elif link.exists() and not link.is_symlink():
            link.unlink()
        link.symlink_to(world / target)


def _mount(target: Path, *options: str) -> None:
    done = subprocess.run(["mount", *options, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        why = done.stderr.strip()
        pytest.skip(f"cannot mount ({why}); read-only and full-disk cases need root")


@contextlib.contextmanager
def _condition(world: Path, repo: Path, condition: str | None) -> Iterator[Path]:
    """The repository to run on: as it is, read-only (a bind mount) or on a full disk."""
    if condition is None:
        yield repo
        return
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip(f"{condition}: needs root and mount(8) to make the condition")
    where = world / condition
    where.mkdir()
    try:
        if condition == "readonly":
            _mount(where, "--bind", str(repo))
            subprocess.run(["mount", "-o", "remount,bind,ro", str(where)], check=True)
            yield where
        else:
            _mount(where, "-t", "tmpfs", "-o", "size=4m", "tmpfs")
            shutil.copytree(repo, where / "repo")
            with contextlib.suppress(OSError), open(where / "filler", "wb") as fh:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            yield where / "repo"
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _args(case: Case, world: Path, repo: Path) -> list[str]:
    args = [a.replace("{repo}", str(repo)).replace("{world}", str(world)) for a in case.args]
    return [*args, "--repo", str(repo)] if case.repo_option else args


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case(
    case: Case, template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_cli.cli import app

    world = tmp_path
    repo = world / "repo"
    shutil.copytree(template, repo, symlinks=True)
    _plant(world, repo, case)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(world / "config"))
    monkeypatch.delenv("QA_CASE_KEY", raising=False)
    for key, value in case.env:
        monkeypatch.setenv(key, value)
    with _condition(world, repo, case.condition) as where:
        monkeypatch.chdir(where)
        before = snapshot(world)
        result = CliRunner().invoke(app, _args(case, world, where), catch_exceptions=False)
        after = snapshot(world)
    out = result.output
    expected = case.exit if isinstance(case.exit, tuple) else (case.exit,)
    assert result.exit_code in expected, f"exit {result.exit_code}:\n{out[-3000:]}"
    assert "Traceback" not in out and "internal problem" not in out, out[-3000:]
    if case.names is not None:
        assert case.names in out, f"{case.names!r} not named:\n{out[-3000:]}"
    if case.exit == 0 and "--ics" in case.args:  # the calendar asked for is the one change
        ics = [k for k in after.keys() - before.keys() if k.endswith(".ics")]
        assert len(ics) == 1 and after.pop(ics[0]).startswith(b"BEGIN:VCALENDAR")
    assert after == before, "a file changed: " + ", ".join(
        sorted(k for k in after.keys() | before.keys() if after.get(k) != before.get(k))
    )
    COUNTS["hostile cases"] += 1


def test_corpus_is_large_enough() -> None:
    kinds = {c.id.split("-")[0] for c in CASES}
    assert len(CASES) >= 150, len(CASES)
    assert {"validate", "due", "sample", "moderate", "new", "actions", "report", "cases"} <= kinds
    assert {"readonly", "fulldisk", "retention", "grades", "schema", "option"} <= kinds
