"""The few git operations qa needs, run through the `git` program (never a library).

Every function raises :class:`QAError` (exit 2) with a plain message when git is missing, the
folder is not a git repository, or a ref is unknown; none of them changes a file unless it says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from .errors import QAError


def available() -> bool:
    return shutil.which("git") is not None


def _run(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    if not available():
        raise QAError("git is not installed here", "install git, or run without the git option")
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    proc = subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
    )
    if check and proc.returncode != 0:
        raise QAError(f"git {args[0]} failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc


def work_tree(root: Path) -> Path | None:
    """The top folder of the git work tree holding ``root``, or None outside git."""
    if not available():
        return None
    proc = _run(root, "rev-parse", "--show-toplevel", check=False)
    if proc.returncode != 0:
        return None
    return Path(proc.stdout.strip()).resolve()


def require_work_tree(root: Path, why: str) -> Path:
    top = work_tree(root)
    if top is None:
        raise QAError(
            f"{root} is not in a git repository, so {why}",
            "run it inside the audit repository's git checkout (or `git init` it first)",
        )
    return top


def resolve_ref(root: Path, ref: str) -> str:
    """The commit id ``ref`` names; a clean error when it names nothing."""
    if ref.startswith("-"):
        raise QAError(f"`{ref}` is not a git ref", "give a branch, tag or commit, e.g. origin/main")
    proc = _run(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if proc.returncode != 0:
        raise QAError(
            f"`{ref}` is not a branch, tag or commit of this git repository",
            "check the name with `git branch -a` or `git log --oneline`; in CI, fetch the base "
            "branch first (actions/checkout with fetch-depth: 0)",
        )
    return proc.stdout.strip()


def changed_files(root: Path, ref: str) -> list[Path]:
    """Files changed since ``ref`` (committed, staged, unstaged and untracked), deleted ones too."""
    top = require_work_tree(root, "--changed-since cannot tell what changed")
    commit = resolve_ref(root, ref)
    diff = _run(top, "diff", "--name-only", "--no-renames", "-z", commit, "--")
    untracked = _run(top, "ls-files", "--others", "--exclude-standard", "-z")
    names = [n for n in (diff.stdout + untracked.stdout).split("\0") if n]
    return sorted({(top / n).resolve() for n in names})


def staged_files(root: Path) -> list[Path]:
    """Files added or changed in the index (what the next commit holds)."""
    top = require_work_tree(root, "the staged files cannot be listed")
    proc = _run(top, "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z")
    return sorted({(top / n).resolve() for n in proc.stdout.split("\0") if n})


def committed_versions(root: Path, path: Path) -> Iterator[tuple[str, str]]:
    """(commit, text) of each committed version of ``path``, oldest first; nothing outside git.

    Lazy: a caller looking for the first version with some property stops early.
    """
    top = work_tree(root)
    if top is None:
        return
    rel = path.resolve().relative_to(top).as_posix()
    log = _run(top, "log", "--reverse", "--format=%H", "--", rel, check=False)
    for commit in log.stdout.split() if log.returncode == 0 else []:
        shown = _run(top, "show", f"{commit}:{rel}", check=False)
        if shown.returncode == 0:
            yield commit, shown.stdout


def init_and_commit(root: Path, message: str, paths: list[str] | None = None) -> str | None:
    """`git init` ``root`` and commit ``paths`` (default: everything); why not, or None.

    `qa init` passes the files it wrote, so a file already in the folder (a case-list export,
    say) is never committed by it.
    """
    if not available():
        return "git is not installed, so no git repository was made"
    if work_tree(root) is not None:
        return "the folder is already inside a git repository; nothing was committed"
    _run(root, "init", "--quiet")
    _run(root, "symbolic-ref", "HEAD", "refs/heads/main")
    if paths is None:
        _run(root, "add", "--all")
    else:
        _run(root, "add", "--", *paths)
    proc = _run(root, "commit", "--quiet", "-m", message, check=False)
    if proc.returncode != 0:
        return (
            "git could not make the first commit ("
            + (proc.stderr.strip().splitlines() or [""])[-1]
            + "); set your name and email with `git config --global user.name ...` and "
            "`git config --global user.email ...`, then `git commit -m 'New audit repository'`"
        )
    return None
