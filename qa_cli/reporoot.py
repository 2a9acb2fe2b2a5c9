"""Where things are: the audit repository, this machine's qa folder; light enough for a
command that imports nothing else.

``qa validate`` answered from the cache must not import the models (pydantic builds their
schemas at import, most of a second): it finds the repository here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .errors import QAError

CONFIG_NAME = "qa.yaml"


def find_root(start: Path) -> Path:
    """The audit repository holding ``start``: the nearest folder upwards with a qa.yaml."""
    start = start.resolve()
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise QAError(
        f"no audit repository found at {start} (no {CONFIG_NAME} here or in a parent folder)",
        "run the command inside an audit repository, pass --repo DIR, or create one with "
        "`qa init DIR`",
    )


def config_dir(env: Mapping[str, str]) -> Path:
    """This machine's qa folder (the case-code key, the identity list): never in a repository."""
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "qa"
