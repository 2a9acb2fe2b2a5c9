"""What a redacted report leaves out: its lists, one row per return or item.

A list of returns (or of actions, answers, strengths, re-audits...) gives each row's team,
grade, owner or date: counting its rows gives back the counts that the tables write as
"fewer than 5". So a redacted report carries no such list: each sheet and Markdown section
that holds one is left out, and one plain sentence says it is in the full report only, and
why (docs/data-protection.md). Quotes drawn from returns are left out the same way (a reader
could count them, or link one to a case). Aggregate tables stay: they are suppressed already.

The templates leave their sections out on ``redacted`` (``full_report_only`` is the sentence);
:func:`without_lists` does it for the workbook description. The full report is unchanged.
"""

from __future__ import annotations

from typing import Any

# Sheets with one row per return, answer, action, strength, re-audit, form, complaint,
# observation or overdue item: left out of a redacted workbook.
LIST_SHEETS = frozenset(
    {
        "Audits",
        "Answers",
        "Actions",
        "Action plan",
        "Overdue",
        "Strengths",
        "Re-audits",
        "Forms",
        "Mid-point reviews",
        "Cases",
        "Complaints",
        "Observations",
        "Coverage",
    }
)
# Sheets of aggregates (a row per grade, team, question, auditor, owner or recommendation),
# or of findings written for the whole audit: kept (tests check every sheet is one or other).
AGGREGATE_SHEETS = frozenset(
    {
        "Back to practice",
        "Child's voice",
        "Findings",
        "Improvement plan",
        "Learning",
        "Moderation",
        "On time",
        "Actions by owner",
        "Practitioner feedback",
        "Questions",
        "Themes",
    }
)
# Columns of kept sheets that quote the returns' free text: emptied.
QUOTE_COLUMNS = frozenset({"Comments", "What the auditors found", "What was found"})


def full_report_only(what: str = "This list", plural: bool = False) -> str:
    """The sentence that stands in for a list left out of a redacted report."""
    are, they, their = ("are", "they are", "their") if plural else ("is", "it is", "its")
    return (
        f"{what} {are} in the full report only: {they} left out of the circulated report "
        f"because {their} rows, counted, could give back the small numbers that the tables "
        "withhold."
    )


def without_lists(workbook: dict[str, Any]) -> dict[str, Any]:
    """The workbook description without its list sheets and quotes, saying on the Summary
    what was left out, and why, in two lines (a copy; ``workbook`` is unchanged)."""
    sheets = workbook.get("sheets", [])
    left = [s["name"] for s in sheets if s["name"] in LIST_SHEETS]
    out = {**workbook, "sheets": [_unquoted(s) for s in sheets if s["name"] not in LIST_SHEETS]}
    if left:
        names = " and ".join([", ".join(left[:-1]), left[-1]] if len(left) > 1 else left)
        plural = len(left) > 1
        what = f"The {names} sheet{'s' if plural else ''}"
        # two lines, so that each fits the printed page's width (a Summary line does not wrap)
        head, why = full_report_only(what, plural).split(": ", 1)
        out["lines"] = [*workbook.get("lines", []), f"{head}:", why]
    return out


def _unquoted(sheet: dict[str, Any]) -> dict[str, Any]:
    """A kept sheet with its quote columns left out."""
    columns = sheet.get("columns", [])
    drop = {j for j, c in enumerate(columns) if c in QUOTE_COLUMNS}
    if not drop:
        return sheet
    return {
        **sheet,
        "columns": [c for j, c in enumerate(columns) if j not in drop],
        "rows": [[v for j, v in enumerate(row) if j not in drop] for row in sheet["rows"]],
    }
