"""QA701/QA702: the editor schemas committed under schemas/ and each file's schema line are current.

Both are warnings: a stale schema only misleads an editor's suggestions; `qa validate` stays the
check that counts. They run when the repository has a schemas/ folder (made by `qa init` or
`qa schema export`), and only when tools or the whole repository are checked.
"""

from __future__ import annotations

import re

from ..editor import SCHEMAS_DIR, expected_modeline, schema_files
from ..repository import LoadedFile, Repository
from .diagnostics import Diagnostic

_REFRESH = "run `qa schema export` and commit the schemas/ folder"


def check_schemas(repo: Repository, selected: list[LoadedFile]) -> list[Diagnostic]:
    folder = repo.root / SCHEMAS_DIR
    everything = len(selected) == len(repo.files)
    if not folder.is_dir() or not (everything or any(f.kind == "qa/tool" for f in selected)):
        return []
    out: list[Diagnostic] = []
    for rel, text in schema_files(repo.tools).items():
        path = repo.root / rel
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            what = "is missing" if current is None else "is out of date"
            out.append(
                Diagnostic(
                    rel, 1, 1, "QA701", "warning", f"the editor schema {rel} {what}", _REFRESH
                )
            )
    return out


def check_modelines(selected: list[LoadedFile]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for lf in selected:
        text = lf.text  # read once: a loaded file may not hold its text
        found = expected_modeline(lf.rel, text) if text else None
        if found is not None:
            have, want = found
            out.append(
                Diagnostic(
                    lf.rel,
                    1,
                    1,
                    "QA702",
                    "warning",
                    "the first line points the editor at the wrong schema "
                    f"({_schema_shown(have.split('=', 1)[1])})",
                    f"change the first line to `{want}`",
                )
            )
    return out


def _schema_shown(path: str) -> str:
    """The schema path of the first line, masked when it is more than a path (issue 10)."""
    from ..masking import masked

    return f"`{path}`" if re.fullmatch(r"[\w./@-]+", path) else masked(path, "line")
