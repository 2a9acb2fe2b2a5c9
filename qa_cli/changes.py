"""Which files a change affects: what `qa validate --changed-since REF` re-checks.

A changed file is checked, and so is every file whose checks read it: a changed tool re-checks
the returns that answer it, a changed sample re-checks that month's returns, and a changed
qa.yaml (which every check reads) re-checks everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .models.sample import Sample
from .models.tool import Tool
from .repository import CONFIG_NAME, LoadedFile, Repository


@dataclass
class Selection:
    files: list[LoadedFile]
    changed: int
    affected: int
    everything: bool = False


def _tool_refs(lf: LoadedFile | None, path: Path) -> tuple[set[str], set[str]]:
    """(exact refs, bare ids) a tool file defines, also for a deleted file (from its name)."""
    if lf is not None and isinstance(lf.model, Tool):
        return {lf.model.ref}, set()
    stem = path.stem
    return ({stem}, set()) if "@" in stem else (set(), {stem})


def _answers(lf: LoadedFile, refs: set[str], ids: set[str]) -> bool:
    if not refs and not ids:
        return False
    # A valid model holds every key of its data (extra keys are refused), so its `tool`
    # is the data's; the data of a loaded valid file is parsed again when asked.
    tool = getattr(lf.model, "tool", None) if lf.model is not None else (lf.data or {}).get("tool")
    if not isinstance(tool, str):
        return False
    return tool in refs or tool.split("@", 1)[0] in ids


def select_changed(repo: Repository, changed: Iterable[Path]) -> Selection:
    """The repository's files to check for the ``changed`` paths (absolute, may be deleted)."""
    by_path = {f.path.resolve(): f for f in repo.files}
    root = repo.root.resolve()
    inside = [p for p in changed if p == root or root in p.parents]
    chosen = {by_path[p].rel: by_path[p] for p in inside if p in by_path}
    direct = len(chosen)
    if root / CONFIG_NAME in inside:
        return Selection(list(repo.files), direct, len(repo.files) - direct, everything=True)
    refs: set[str] = set()
    ids: set[str] = set()
    months: set[str] = set()
    for p in inside:
        lf = by_path.get(p)
        rel = p.relative_to(root).as_posix()
        if rel.startswith("audit_tools/") and p.suffix in (".yaml", ".yml"):
            r, i = _tool_refs(lf, p)
            refs |= r
            ids |= i
        if lf is not None and isinstance(lf.model, Sample):
            months.add(lf.model.month)
    for lf in repo.files:
        parts = lf.rel.split("/")
        if _answers(lf, refs, ids) or (len(parts) > 2 and parts[1] in months):
            chosen.setdefault(lf.rel, lf)
    files = [f for f in repo.files if f.rel in chosen]
    return Selection(files, direct, len(files) - direct)
