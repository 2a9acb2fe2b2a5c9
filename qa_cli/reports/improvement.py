"""What a report shows of its improvement plan (§5.2.5, §5.3.2): each recommendation tracked as
an item of ``improvement/<YYYY-MM>[-<theme>].yaml``, with its owner, due date and status, and
the items of earlier plans of the same kind still open. The report only reads the plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import layout
from ..models.improvement import ImprovementPlan
from ..repository import Repository
from .common import person
from .sheets import Column, sheet

STATUS_NAMES = {"open": "Open", "done": "Done, to verify", "verified": "Verified"}
COLUMNS: list[Column] = [
    ("Plan", "plan"),
    ("Id", "id"),
    ("Recommendation", "action"),
    ("Owner", "owner"),
    ("Due", "due_date"),
    ("Status", "status"),
    ("Days overdue", lambda r: r["days_overdue"] or ""),
]


def _row(plan: ImprovementPlan, a: Any, names: dict[str, str], today: dt.date) -> dict[str, Any]:
    late = (today - a.due).days if a.status == "open" else 0
    return {
        "plan": layout.improvement_path(plan.month, plan.theme),
        "id": a.id,
        "action": a.action,
        "owner": person(a.owner, names),
        "due": a.due.isoformat(),
        "due_date": a.due,
        "status": STATUS_NAMES[a.status],
        "days_overdue": late if late > 0 else 0,
    }


def improvement_block(
    repo: Repository, month: str, theme: str | None, today: dt.date, names: dict[str, str]
) -> dict[str, Any]:
    """The plan of this report (if written) and the open items of the earlier plans."""
    plans = repo.models(ImprovementPlan)
    this = next((p for p in plans if p.month == month and p.theme == theme), None)
    rows = [_row(this, a, names, today) for a in this.recommendations] if this else []
    earlier = [
        _row(p, a, names, today)
        for p in sorted(plans, key=lambda p: p.month)
        if p.month < month and p.theme == theme
        for a in p.recommendations
        if a.status == "open"
    ]
    command = "qa new improvement-plan --month " + month + (f" --theme {theme}" if theme else "")
    return {
        "path": layout.improvement_path(month, theme),
        "exists": this is not None,
        "command": command,
        "rows": rows,
        "open": sum(1 for r in rows if r["status"] == "Open"),
        "overdue": sum(1 for r in rows if r["days_overdue"]),
        "earlier": earlier,
    }


def improvement_sheets(block: dict[str, Any]) -> list[dict[str, Any]]:
    """The workbook sheet of the plan (this report's items, then earlier open ones), if any."""
    rows = [*block["rows"], *block["earlier"]]
    if not rows:
        return []
    return [sheet("Improvement plan", COLUMNS, rows)]
