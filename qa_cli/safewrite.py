"""The one write path: atomic writes, the repository lock, and a record of what was written.

* :func:`atomic_write` writes a temporary file in the same folder, fsyncs it and renames it
  over the target, so a reader (or a crash) sees either the old file or the new one, whole.
  It never writes through or replaces a symbolic link.
* :func:`repository_lock` is taken by every command that writes into a repository: a second
  writing command stops with "busy" instead of interleaving its writes.
* :data:`WRITTEN` lists the files written by this process, so the error handler can say
  truthfully whether anything changed before a failure.
* An ``OSError`` while writing (permission denied, read-only file system, disk full) becomes
  a :class:`QAError` naming the path and the cause.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import QAError

LOCK_NAME = "lock"
# Files written (created or replaced) by this process, in order.
WRITTEN: list[Path] = []
# Whether atomic_write syncs each file and its folder to disk (see `unsynced`).
_SYNC = [True]

_CAUSES = {
    errno.EACCES: ("permission denied", "check that you may write to this folder"),
    errno.EPERM: ("permission denied", "check that you may write to this folder"),
    errno.EROFS: (
        "the file system is read-only",
        "run the command in a writable copy of the repository",
    ),
    errno.ENOSPC: ("the disk is full", "free some space on the disk, then run the command again"),
    errno.EDQUOT: ("the disk quota is exhausted", "free some space, then run the command again"),
    errno.ENAMETOOLONG: ("the file name is too long", "use a shorter id or folder name"),
}


def os_error(exc: OSError, path: Path | str, doing: str = "written") -> QAError:
    """A clean error for an OSError on ``path``: what, where and how to fix it."""
    cause, hint = _CAUSES.get(
        exc.errno or 0, (exc.strerror or type(exc).__name__, "check the path and try again")
    )
    return QAError(f"{path} could not be {doing}: {cause}", hint)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write(path: Path, text: str | bytes | Iterable[str]) -> None:
    """Write a file through a temporary file in the same folder, fsync and a rename.

    ``text`` may come in pieces (an iterable of strings, written as they come: a large
    export is never one string in memory). Refuses (QAError) to write through or replace a
    symbolic link; an OSError becomes a QAError naming the path and the cause, and the
    temporary file is removed.
    """
    if path.is_symlink():
        raise QAError(
            f"{path} is a symbolic link; qa never writes through or replaces a link",
            "replace the link with the real file, then run the command again",
        )
    pieces = [text] if isinstance(text, str | bytes) else text
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise os_error(exc, path) from None
    try:
        # mkstemp makes the file private (0600); give it the mode an ordinary write would.
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            fh.flush()
            if _SYNC[0]:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise os_error(exc, path) from None
        raise
    WRITTEN.append(path)
    if _SYNC[0]:
        _fsync_dir(path.parent)


@contextlib.contextmanager
def unsynced() -> Iterator[None]:
    """Inside the block, writes are atomic still (a temporary file, then a rename) but not
    synced to disk one by one.

    Only for a tool that writes a whole new tree it can simply write again, such as the
    demo generator (``scripts/make_demo_repo.py``): there, syncing each of a few hundred
    files takes longer than all the rest of the work and protects nothing. No qa command
    uses it: a command's writes are durable when it says they are done.
    """
    before = _SYNC[0]
    _SYNC[0] = False
    try:
        yield
    finally:
        _SYNC[0] = before


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (best effort: not every file system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_new(path: Path, text: str | bytes) -> None:
    """Create a file atomically; refuse (FileExistsError) if it already exists."""
    if path.exists() or path.is_symlink():
        raise FileExistsError(path)
    atomic_write(path, text)


def _holder(lock: Path) -> str:
    try:
        return lock.read_text(encoding="utf-8").strip() or "?"
    except OSError:
        return "?"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def repository_lock(root: Path) -> Iterator[None]:
    """Hold ``.qa/lock`` in the repository while a command writes; "busy" if another does.

    The lock file holds the holder's process id. A lock left by a process that no longer
    runs (killed) is taken over. Nested use in one process is allowed.
    """
    from .pathguard import inside

    lock = inside(root, f".qa/{LOCK_NAME}", ".qa/lock", write=True)
    if lock in _HELD:
        yield
        return
    try:
        lock.parent.mkdir(exist_ok=True)
    except OSError as exc:
        raise os_error(exc, lock.parent, "created") from None
    fd = _take(lock)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{os.getpid()}\n")
    except OSError as exc:
        with contextlib.suppress(OSError):
            lock.unlink()
        raise os_error(exc, lock, "created") from None
    _HELD.add(lock)
    try:
        yield
    finally:
        _HELD.discard(lock)
        with contextlib.suppress(OSError):
            lock.unlink()


def _take(lock: Path) -> int:
    for _ in range(2):
        try:
            return os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _holder(lock)
            if holder.isdigit() and not _pid_alive(int(holder)):
                with contextlib.suppress(OSError):
                    lock.unlink()
                continue
            raise QAError(
                f"busy: another qa command is writing in this repository (pid {holder})",
                "wait for it to finish and run the command again; if no qa command is "
                f"running, delete {lock}",
            ) from None
        except OSError as exc:
            raise os_error(exc, lock, "created") from None
    raise QAError(f"busy: {lock} is held by another qa command", "run the command again")


_HELD: set[Path] = set()
