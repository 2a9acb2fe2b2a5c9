"""The one guard for paths that a command derives from user input.

Every id, theme, audit id, month, case code or worker id that becomes part of a file name
is checked against :data:`SAFE_ID` first (:func:`check_id`). Every path a command reads or
writes in the repository goes through :func:`inside` (a path relative to the repository)
or :func:`user_path` (a path typed on the command line); both keep the result inside the
repository and never follow a symbolic link out of it. Explicitly named outputs outside the
repository (``--out``, ``--ics``) go through :func:`output_file` / :func:`output_dir`, which
never write through a link.

A refusal is a :class:`~qa_cli.errors.QAError` with exit code 2 naming the argument.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from .errors import QAError

# Letters, digits, dot, hyphen, underscore; starts with a letter or digit; at most 80
# characters. No separator, no "..", nothing a shell or a file system reads specially.
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_ID_HINT = (
    "use letters, digits, '.', '-' or '_' only (no '/', '\\' or '..'), starting with a "
    "letter or digit, at most 80 characters"
)


def _shown(option: str, value: str) -> str:
    # A value that fails the check is no known id: masked whatever the option (issue 10).
    from .masking import masked

    return masked(value)


def is_safe_id(value: object) -> bool:
    """True when ``value`` can be used as one component of a file name."""
    return isinstance(value, str) and bool(SAFE_ID.match(value)) and ".." not in value


def check_id(value: str, option: str) -> str:
    """``value`` if it is safe in a file name; else a QAError (exit 2) naming ``option``."""
    if not is_safe_id(value):
        raise QAError(
            f"{option}: {_shown(option, value)} cannot be used in a file name",
            _ID_HINT,
            exit_code=2,
        )
    return value


def check_ids(values: Mapping[str, str | None]) -> None:
    """:func:`check_id` on every value given (None is skipped)."""
    for option, value in values.items():
        if value is not None:
            check_id(value, option)


def is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _link_escapes(root: Path, candidate: Path) -> Path | None:
    """The first link on the way from ``root`` to ``candidate`` that leads outside ``root``."""
    current = root
    for part in candidate.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            target = current.resolve()
            if not is_within(target, root):
                return current
    return None


def inside(root: Path, rel: str | os.PathLike[str], arg: str, *, write: bool = False) -> Path:
    """``root / rel``, refused unless it stays inside the repository ``root``.

    ``..`` may not climb out, no link on the way may lead out, and with ``write=True`` the
    file itself may not be a link (writing would replace the link or write through it).
    """
    root = root.resolve()
    text = os.fspath(rel)
    if "\x00" in text:
        raise QAError(f"{arg}: the path holds a NUL character", "give an ordinary path")
    candidate = Path(os.path.normpath(root / text))
    if not is_within(candidate, root):
        raise QAError(
            f"{arg}: {text} is outside the audit repository at {root}; nothing was written",
            "every file qa writes stays inside the repository: check ids and paths for '..' or '/'",
        )
    link = _link_escapes(root, candidate)
    if link is not None:
        raise QAError(
            f"{arg}: {link.relative_to(root).as_posix()} is a symbolic link to a place "
            "outside the audit repository; qa does not follow it",
            "replace the link with the real file or folder",
        )
    if write and candidate.is_symlink():
        raise QAError(
            f"{arg}: {candidate.relative_to(root).as_posix()} is a symbolic link; qa never "
            "writes through or replaces a link",
            "replace the link with the real file, then run the command again",
        )
    return candidate


def user_path(root: Path, path: Path, arg: str) -> Path:
    """A path typed on the command line (relative to the working folder), inside ``root``."""
    root = root.resolve()
    absolute = Path(os.path.normpath(Path.cwd() / path))
    if not is_within(absolute, root) or not is_within(absolute.resolve(), root):
        raise QAError(
            f"{arg} {path} is outside the audit repository at {root}",
            "give a file or folder inside the repository, or pass --repo DIR for the "
            "repository that holds it",
        )
    return inside(root, absolute.relative_to(root), arg)


def _not_a_link(path: Path, arg: str, why: str, kind: str) -> Path:
    """``path`` from the working folder, refused when it is a symbolic link (``why``)."""
    absolute = Path(os.path.normpath(Path.cwd() / path))
    if absolute.is_symlink():
        raise QAError(
            f"{arg} {path} is a symbolic link; {why}", f"give the path of an ordinary {kind}"
        )
    return absolute


def output_file(path: Path, arg: str) -> Path:
    """An output file the user named: never a folder, never written through a link."""
    absolute = _not_a_link(path, arg, "qa never writes through or replaces a link", "file")
    if absolute.is_dir():
        raise QAError(f"{arg} {path} is a folder", "give a file name, e.g. qa-due.ics")
    parent = absolute.parent
    if not parent.is_dir():
        raise QAError(
            f"{arg} {path}: the folder {parent} does not exist", "create the folder first"
        )
    return absolute


def output_dir(path: Path, arg: str) -> Path:
    """An output folder the user named: created if missing, never a file or a link."""
    absolute = _not_a_link(path, arg, "qa does not write through links", "folder")
    if absolute.exists() and not absolute.is_dir():
        raise QAError(
            f"{arg} {path} is a file, not a folder; it was left as it was",
            "give a folder (it is created if missing)",
        )
    return absolute


def input_file(path: Path, arg: str, max_bytes: int = 1_000_000) -> bytes:
    """The bytes of a small input file the user named (e.g. a password file), or a QAError."""
    if path.is_dir():
        raise QAError(f"{arg} {path} is a folder", "give the path of a file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise QAError(
                f"{arg} {path} is {size:,} bytes, over the limit of {max_bytes:,}",
                "give the right file",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise QAError(f"{arg} {path} does not exist", "check the path") from None
    except OSError as exc:
        raise QAError(
            f"{arg} {path} could not be read ({exc.strerror or exc})",
            "check the file exists and that you may read it",
        ) from None
