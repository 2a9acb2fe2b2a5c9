"""QA703: the CI and pre-commit files install the toolkit that qa.yaml pins.

`qa.yaml` records `toolkit.source`; `qa init --update-ci` writes the CI files from it. A hand
edit to one side only would leave CI running another version than the one the QA team chose.
Checked when qa.yaml is checked (the whole repository, or qa.yaml changed).
"""

from __future__ import annotations

from ..ci import CI_FILES, parse_source
from ..errors import QAError
from ..models.config import Config
from ..repository import LoadedFile, Repository
from .diagnostics import Diagnostic
from .schema import at


def _expected(source: str) -> dict[str, str]:
    """What each generated file must contain for ``source``."""
    pinned = parse_source(source)
    pre_commit = f"rev: {pinned.ref}" if pinned.kind == "git" else f'"{pinned.pip_spec}"'
    install = f'pip install "{pinned.pip_spec}"'
    return {**{rel: install for rel in CI_FILES.values()}, ".pre-commit-config.yaml": pre_commit}


def check_ci_files(repo: Repository, selected: list[LoadedFile]) -> list[Diagnostic]:
    lf = repo.config_file
    if lf is None or lf not in selected or not isinstance(lf.model, Config):
        return []
    source = lf.model.toolkit.source
    if source is None:
        return []
    try:
        wanted = _expected(source)
    except QAError:
        return []  # an unpinned source is reported by the schema check
    out: list[Diagnostic] = []
    for rel, needle in wanted.items():
        path = repo.root / rel
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if needle not in text:
            out.append(
                at(
                    lf,
                    "QA703",
                    ["toolkit", "source"],
                    f"{rel} does not install the toolkit pinned here ({source})",
                    f"run `qa init . --update-ci --toolkit-source {source}` to rewrite the CI "
                    "files from qa.yaml, and commit them",
                )
            )
    return out
