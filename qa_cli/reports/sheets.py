"""Workbook pieces the reports share: charts, tables and sheets built from row dictionaries.

A column is ``(heading, key)``: ``key`` names the field of a row dictionary (or indexes a row
tuple), or is a function of the row. :func:`table` and :func:`sheet` turn rows into the plain
lists that :func:`qa_cli.reports.excel.write_workbook` takes, so a report names its columns
once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..models.common import GRADE_NAMES, GRADES
from .common import answer_text

Column = tuple[str, str | int | Callable[[Any], Any]]


def cells(row: Any, columns: Sequence[Column]) -> list[Any]:
    """One row's cells, in column order."""
    return [key(row) if callable(key) else row[key] for _, key in columns]


def chart(
    title: str, y_title: str, *, first: int = 1, last: int = 1, kind: str = "bar", **extra: Any
) -> dict[str, Any]:
    """A chart beside its table: ``first``..``last`` are the table's value columns."""
    return {"type": kind, "title": title, "y_title": y_title, "first": first, "last": last, **extra}


def table(
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    chart: dict[str, Any] | None = None,
    *,
    percent_columns: list[int] | None = None,
) -> dict[str, Any]:
    """A Summary-sheet table (with its chart, or ``None``)."""
    out: dict[str, Any] = {
        "title": title,
        "columns": [heading for heading, _ in columns],
        "rows": [cells(r, columns) for r in rows],
    }
    if percent_columns is not None:
        out["percent_columns"] = percent_columns
    out["chart"] = chart
    return out


def sheet(
    name: str, columns: Sequence[Column], rows: Iterable[Any], **extra: Any
) -> dict[str, Any]:
    """A sheet of its own; ``extra`` carries ``grades``, ``percent`` or ``percent_columns``."""
    return {
        "name": name,
        "columns": [heading for heading, _ in columns],
        "rows": [cells(r, columns) for r in rows],
        **extra,
    }


def grade_counts(dist: Any) -> list[dict[str, Any]]:
    """A grade row's counts as ``[{"grade", "name", "count"}]``, best grade first."""
    return [{"grade": g, "name": GRADE_NAMES[g], "count": dist.counts[g]} for g in GRADES]


def by_grade(counts: Callable[[Any], Mapping[str, int]]) -> list[Column]:
    """One column per grade, best first, reading the counts ``counts(row)`` gives."""

    def count(grade: str) -> Callable[[Any], int]:
        return lambda row: counts(row)[grade]

    return [(GRADE_NAMES[g], count(g)) for g in GRADES]


def part_of(label: str, k: int, n: int) -> list[Any]:
    """A Summary fact counting part of another fact's whole (the returns in, of the cases
    allocated): the pair itself, so a redacted workbook writes it as it writes "k of n"."""
    return [label, {"k": k, "n": n}, "count"]


def good_or_better_facts(share: Mapping[str, Any]) -> list[list[Any]]:
    """The Summary's two facts on a Good-or-better share: the share and its 95% interval
    (the share mapping itself, so a redacted workbook withholds both when k or n is small)."""
    return [
        ["Good or better", dict(share), "percent"],
        ["Good or better, 95% interval (low, high)", dict(share), "interval"],
    ]


def teams_table(teams: list[dict[str, Any]]) -> dict[str, Any]:
    """Grades by team (a :func:`qa_cli.reports.collate.table_by` result, after ``plain``)."""
    columns: list[Column] = [
        ("Team", "label"),
        ("Returns", "n"),
        *by_grade(lambda t: t["counts"]),
        ("Good or better", lambda t: t["good_or_better"]["value"]),
    ]
    return table("Grades by team", columns, teams, None, percent_columns=[6])


MODERATION_COLUMNS: list[Column] = [
    ("Auditor", "name"),
    ("Reviewed", "n"),
    ("Agreed", "agreed"),
    ("Graded higher", "higher"),
    ("Graded lower", "lower"),
    ("Mean difference (grades)", lambda x: round(x["mean_difference"], 2)),
    ("Direction", "direction"),
]


def moderation_sheet(drift: list[dict[str, Any]]) -> dict[str, Any]:
    """Each auditor's drift from the QA reviewers' agreed grades."""
    return sheet("Moderation", MODERATION_COLUMNS, drift)


def yes_no_columns(text: str) -> list[Column]:
    """A question (its text under ``text``) with its yes / no / n/a counts."""
    return [("Question", text), ("Yes", "yes"), ("No", "no"), ("N/A", "na")]


def days_overdue(row: Mapping[str, Any]) -> Any:
    """An action's days overdue, blank when it is not overdue."""
    return row["days_overdue"] or ""


def action_columns(
    owner: str | Callable[[Any], Any], *, team: bool = True, overdue: bool = True
) -> list[Column]:
    """An action plan's columns (rows of :func:`qa_cli.reports.collate.action_rows`)."""
    return [
        ("Case", "case"),
        *([("Team", "team")] if team else []),
        ("Action", "id"),
        ("What", "action"),
        ("Owner", owner),
        ("Due", "due"),
        ("Status", "status"),
        *([("Days overdue", days_overdue)] if overdue else []),
    ]


def answer_columns(*, enquiry: bool) -> list[Column]:
    """The answers sheet's columns, for ``(return, answer)`` rows; ``enquiry`` adds the
    section and line of enquiry."""
    return [
        ("Case", lambda ra: ra[0].audit.case),
        ("Team", lambda ra: ra[0].audit.team),
        ("Question id", lambda ra: ra[1].question),
        ("Question", lambda ra: ra[1].text),
        *(
            [
                ("Section", lambda ra: ra[1].section),
                ("Line of enquiry", lambda ra: ra[1].line_of_enquiry or ""),
            ]
            if enquiry
            else []
        ),
        ("Answer", lambda ra: answer_text(ra[1].value)),
        ("Comment", lambda ra: ra[1].comment or ""),
    ]


def answers_sheet(recs: Iterable[Any], *, enquiry: bool) -> dict[str, Any]:
    """Every answer of every return, one row each."""
    pairs = [(r, a) for r in recs for a in r.answers]
    return sheet("Answers", answer_columns(enquiry=enquiry), pairs, grades=["Answer"])
