"""Internal problems (bugs): the traceback goes to a log file, never to the terminal.

A user sees a short apology, the kind of error and where the details were written: a file
under ``.qa/internal-problems/`` of the repository when there is one (git-ignored), else
under the system's temporary folder. The log holds the traceback only, not the values of
local variables (which could hold children's data).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from pathlib import Path

from .repository import CONFIG_NAME

FOLDER = "internal-problems"


def _log_folder(start: Path | None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file() and os.access(folder, os.W_OK):
            qa = folder / ".qa"
            if not qa.is_symlink():
                return qa / FOLDER
    return Path(tempfile.gettempdir()) / "qa-internal-problems"


def write_log(exc: BaseException, argv: list[str], start: Path | None = None) -> Path | None:
    """Write the traceback of ``exc`` to a new log file; its path, or None if none could be."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    text = (
        f"qa internal problem at {stamp} UTC, pid {os.getpid()}\n"
        f"command: qa {' '.join(argv[:1])} ...\n\n"
        + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    )
    for folder in (_log_folder(start), Path(tempfile.gettempdir()) / "qa-internal-problems"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{stamp}-{os.getpid()}.log"
            with open(path, "x", encoding="utf-8") as fh:
                fh.write(text)
            return path
        except OSError:
            continue
    return None
