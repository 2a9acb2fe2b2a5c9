"""Which case lists a selection of files covers: light, so a cache hit imports no rules."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def selected_case_lists(root: Path, paths: Iterable[Path] | None) -> list[Path]:
    """``cases/*.csv`` files covered by the selection (all of them when nothing is selected)."""
    folder = root / "cases"
    every = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if paths is None:
        return every
    wanted = [p.resolve() for p in paths]
    return [p for p in every if any(w == p.resolve() or w in p.resolve().parents for w in wanted)]
