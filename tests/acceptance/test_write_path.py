"""The one write path: byte-preserving edits of sample files, the lock, clean OS errors.

Sample files saved by Windows editors carry a byte-order mark and CRLF line ends; `qa
moderate` and `qa sample --add` used to rewrite them through the YAML library and lose
both. Both now splice their lines in through `yamledit`, like `qa actions`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa_cli import safewrite
from tests.conftest import AS_OF, snapshot

from .test_sampling import add_crib_pair

BOM = b"\xef\xbb\xbf"


def _windows(path: Path) -> bytes:
    """Save ``path`` as Notepad would: a byte-order mark and CRLF line ends."""
    raw = BOM + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(raw)
    return raw


def _unchanged_except_added(before: bytes, after: bytes) -> list[bytes]:
    """The lines of ``after`` that are not in ``before``, checking every old line is kept."""
    import difflib

    old, new = before.split(b"\r\n"), after.split(b"\r\n")
    added: list[bytes] = []
    for tag, _i1, _i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
        assert tag in ("equal", "insert"), (tag, old[_i1:_i2], new[j1:j2])
        if tag == "insert":
            added += new[j1:j2]
    return added


def test_moderate_keeps_bom_and_crlf_byte_for_byte(demo_repo: Path, run) -> None:
    sample = demo_repo / "samples" / "2026-10.yaml"
    before = _windows(sample)
    r = run("moderate", "--month", "2026-10", "--as-of", AS_OF, "--repo", demo_repo)
    assert r.exit_code == 0, r.output
    after = sample.read_bytes()
    assert after.startswith(BOM + before[3:].rstrip(b"\r\n"))  # every byte before kept
    assert b"\n" not in after.replace(b"\r\n", b"")  # no bare LF
    added = _unchanged_except_added(before, after)
    assert added[0] == b"moderation:" and all(a.startswith(b"  ") for a in added[1:-1])
    assert run("validate", sample, "--repo", demo_repo).exit_code == 0


def test_moderate_force_replaces_only_the_block(demo_repo: Path, run) -> None:
    sample = demo_repo / "samples" / "2026-09.yaml"
    before = _windows(sample)
    r = run(
        "moderate",
        "--month",
        "2026-09",
        "--force",
        "--seed",
        "5",
        "--as-of",
        AS_OF,
        "--repo",
        demo_repo,
    )
    assert r.exit_code == 0, r.output
    after = sample.read_bytes()
    assert after.startswith(BOM) and b"\n" not in after.replace(b"\r\n", b"")
    head = before.split(b"moderation:")[0]
    assert after.startswith(head)
    assert b"  seed: 5\r\n" in after


def test_sample_add_keeps_bom_and_crlf(demo_repo: Path, run) -> None:
    assert run("sample", "--month", "2026-11", "--as-of", AS_OF, "--repo", demo_repo).exit_code == 0
    add_crib_pair(demo_repo)
    sample = demo_repo / "samples" / "2026-11.yaml"
    before = _windows(sample)
    r = run("sample", "--month", "2026-11", "--add", "--as-of", "2026-12-03", "--repo", demo_repo)
    assert r.exit_code == 0, r.output
    after = sample.read_bytes()
    assert after.startswith(BOM) and b"\n" not in after.replace(b"\r\n", b"")
    added = _unchanged_except_added(before, after)
    assert sum(1 for a in added if a.strip().startswith(b"- case: C-")) == 3
    assert run("sample", "--verify", "2026-11", "--repo", demo_repo).exit_code == 0


def test_a_second_writer_is_told_busy(demo_repo: Path, run) -> None:
    lock = demo_repo / ".qa" / "lock"
    lock.parent.mkdir(exist_ok=True)
    lock.write_text(f"{os.getppid()}\n")  # a process that is running
    before = snapshot(demo_repo)
    r = run("moderate", "--month", "2026-10", "--as-of", AS_OF, "--repo", demo_repo)
    assert r.exit_code == 2, r.output
    assert f"busy: another qa command is writing in this repository (pid {os.getppid()})" in (
        r.output
    )
    assert snapshot(demo_repo) == before
    # reading commands and dry runs do not need the lock
    assert run("validate", "--repo", demo_repo).exit_code == 0
    r = run("moderate", "--month", "2026-10", "--dry-run", "--as-of", AS_OF, "--repo", demo_repo)
    assert r.exit_code == 0


def test_a_lock_left_by_a_killed_command_is_taken_over(demo_repo: Path, run) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    lock = demo_repo / ".qa" / "lock"
    lock.parent.mkdir(exist_ok=True)
    lock.write_text(done.stdout)
    r = run("moderate", "--month", "2026-10", "--as-of", AS_OF, "--repo", demo_repo)
    assert r.exit_code == 0, r.output
    assert not lock.exists(), "the lock is released after the command"


def test_a_bug_after_a_partial_write_says_what_was_written(
    demo_repo: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_cli.repository import Repository

    real = Repository.write_new
    calls = []

    def flaky(self, rel, text):  # noqa: ANN001, ANN202
        calls.append(rel)
        if len(calls) == 2:
            raise RuntimeError("simulated bug")
        return real(self, rel, text)

    monkeypatch.setattr(Repository, "write_new", flaky)
    r = run("sample", "--month", "2026-11", "--as-of", AS_OF, "--repo", demo_repo)
    assert r.exit_code == 3, r.output
    assert "1 file(s) were written before it stopped" in r.output
    assert "samples/2026-11.yaml" in r.output
    assert "no file was changed" not in r.output and "Traceback" not in r.output


@contextlib.contextmanager
def _mounted(target: Path, *options: str) -> object:
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", *options, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip() or 'mount failed'}); needs root")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def test_a_read_only_repository_is_a_clean_error(demo_repo: Path, run, tmp_path: Path) -> None:
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a read-only bind mount needs root and mount(8)")
    ro = tmp_path / "ro"
    ro.mkdir()
    with _mounted(ro, "--bind", str(demo_repo)):
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
        before = snapshot(ro)
        r = run(
            "new",
            "practice-observation",
            "--worker",
            "sw-asmith",
            "--auditor",
            "qa-dlane",
            "--date",
            "2026-11-20",
            "--as-of",
            AS_OF,
            "--repo",
            ro,
        )
        assert r.exit_code == 2, r.output
        assert "read-only" in r.output and "Traceback" not in r.output
        assert "no file was changed" in r.output or "could not be" in r.output
        assert snapshot(ro) == before


def test_a_full_disk_is_a_clean_error(run, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    disk = tmp_path / "disk"
    with _mounted(disk, "-t", "tmpfs", "-o", "size=2m", "tmpfs"):
        repo = disk / "repo"
        assert run("init", repo).exit_code == 0
        filler = disk / "filler"
        with contextlib.suppress(OSError), open(filler, "wb") as fh:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        before = snapshot(disk)
        r = run("schema", "export", "--repo", repo)
        assert r.exit_code == 2, r.output
        assert "the disk is full" in r.output and "Traceback" not in r.output
        assert ".qa" in r.output
        assert snapshot(disk) == before


def test_permission_denied_names_the_path(demo_repo: Path, tmp_path: Path) -> None:
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("running as another user needs root and setpriv(1)")
    shared = Path("/tmp") / f"qa-perm-{os.getpid()}"
    shutil.rmtree(shared, ignore_errors=True)
    shutil.copytree(demo_repo, shared / "repo")
    try:
        os.chmod(shared, 0o755)
        for folder, dirs, files in os.walk(shared):
            for d in dirs:
                os.chmod(Path(folder) / d, 0o755)
            for f in files:
                os.chmod(Path(folder) / f, 0o644)
        before = snapshot(shared)
        qa = Path(sys.executable).parent / "qa"
        done = subprocess.run(
            [
                setpriv,
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                str(qa),
                "moderate",
                "--month",
                "2026-10",
                "--as-of",
                AS_OF,
                "--repo",
                str(shared / "repo"),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "HOME": str(shared)},
        )
        if "Permission denied" in done.stderr and "qa" not in done.stderr[:200]:
            pytest.skip("the installed qa is not readable by an unprivileged user")
        out = done.stdout + done.stderr
        assert done.returncode == 2, out
        assert "permission denied" in out and "Traceback" not in out
        assert snapshot(shared) == before
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_atomic_write_never_replaces_a_link(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    with pytest.raises(safewrite.QAError):
        safewrite.atomic_write(link, "new")
    assert link.is_symlink() and target.read_text() == "old"
    assert {p.name for p in tmp_path.iterdir()} == {"target.txt", "link.txt"}  # no temp left


def test_every_write_is_synced_unless_a_generator_asks_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # qa's commands sync each file and its folder; only `unsynced()` (the demo generator,
    # writing a tree it can make again) skips that, and the write is still whole and atomic.
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    safewrite.atomic_write(tmp_path / "a.yaml", "a: 1\n")
    assert len(synced) == 2  # the file, then its folder
    with safewrite.unsynced():
        safewrite.atomic_write(tmp_path / "b.yaml", "b: 1\n")
        safewrite.atomic_write(tmp_path / "a.yaml", "a: 2\n")
    assert len(synced) == 2
    assert (tmp_path / "a.yaml").read_text() == "a: 2\n"
    assert (tmp_path / "b.yaml").read_text() == "b: 1\n"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    safewrite.atomic_write(tmp_path / "c.yaml", "c: 1\n")  # after the block: synced again
    assert len(synced) == 4
