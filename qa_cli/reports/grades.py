"""`qa grades`: the collated grade tables and agreement after moderation, as data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import QAError
from ..repository import Repository
from . import plain
from .collate import BY, GradeRow, Moderation, collect, moderation, table_by
from .common import check_month, staff_names


@dataclass(frozen=True)
class GradesResult:
    by: str
    first: str | None
    last: str | None
    returns: int  # graded returns in the period
    rows: list[GradeRow]
    moderation: Moderation

    def as_data(self) -> dict[str, Any]:
        return plain(self)


def grades(
    repo: Repository, *, by: str = "team", first: str | None = None, last: str | None = None
) -> GradesResult:
    """Grades of every returned audit (all tools) in the months ``first``..``last``."""
    if by not in BY:
        raise QAError(f"--by {by!r} is not a grouping", "use one of: " + ", ".join(BY))
    if first:
        check_month(first, "--from")
    if last:
        check_month(last, "--to")
    if first and last and first > last:
        raise QAError(f"--from {first} is after --to {last}", "swap them")
    recs = [
        r
        for r in collect(repo, answers=by == "question")  # only that table reads the answers
        if (first is None or r.month >= first) and (last is None or r.month <= last)
    ]
    return GradesResult(
        by=by,
        first=first,
        last=last,
        returns=sum(1 for r in recs if r.counted),
        rows=table_by(recs, by, repo),
        moderation=moderation(recs, staff_names(repo)),
    )
