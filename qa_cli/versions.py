"""The audit tools an audit repository holds, by id and version (for `qa --version`)."""

from __future__ import annotations

from pathlib import Path

from . import yamlio
from .errors import QAError


def repository_tools(start: Path) -> tuple[Path, dict[str, list[int]]] | None:
    """(root, {tool id: sorted versions}) of the repository holding ``start``; None outside one.

    Reads only the `id` and `version` keys of audit_tools/*.yaml; a file that cannot be read is
    left out (`qa validate` reports it).
    """
    from .reporoot import find_root

    try:
        root = find_root(start)
    except QAError:
        return None
    tools: dict[str, list[int]] = {}
    for path in sorted((root / "audit_tools").glob("*.y*ml")):
        try:
            data = yamlio.load_fast(path.read_bytes())
        except OSError:
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            version = data.get("version")
            if isinstance(version, int) and not isinstance(version, bool):
                tools.setdefault(data["id"], []).append(version)
    return root, {k: sorted(v) for k, v in sorted(tools.items())}
