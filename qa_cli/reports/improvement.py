"""What a report shows of its improvement plan (§5.2.5, §5.3.2): each recommendation tracked as
an item of ``improvement/<YYYY-MM>[-<theme>].yaml``, with its owner, due date and status, and
the items of earlier plans of the same kind still open. The report only reads the plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import layout
from ..models.improvement import ImprovementPlan, SupportAction, TeamOverview, TeamReview
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
        "total": len(rows),  # counted here, so a redacted report suppresses it
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


# --- the structured team review (§6.2-6.4) and the Team Manager's overviews (App. D) ----------

PLAN_LISTS = (
    ("support", "Individual support"),
    ("team_sessions", "Team session"),
    ("service_development", "Service Development"),
)
TEAM_PLAN_COLUMNS: list[Column] = [
    ("Part", "part"),
    ("Id", "id"),
    ("What", "action"),
    ("Owner", "owner"),
    ("Due", "due_date"),
    ("Status", "status"),
    ("Days overdue", lambda r: r["days_overdue"] or ""),
]


def _review_rows(review: TeamReview, names: dict[str, str], today: dt.date) -> list[dict[str, Any]]:
    rows = []
    for key, part in PLAN_LISTS:
        for a in getattr(review, key):
            late = (today - a.due).days if a.status == "open" else 0
            who = f" ({person(a.worker, names)})" if isinstance(a, SupportAction) else ""
            rows.append(
                {
                    "part": part,
                    "id": a.id,
                    "action": a.action + who,
                    "owner": person(a.owner, names),
                    "due": a.due.isoformat(),
                    "due_date": a.due,
                    "status": STATUS_NAMES[a.status],
                    "days_overdue": late if late > 0 else 0,
                }
            )
    return rows


def _overview_row(o: TeamOverview) -> dict[str, Any]:
    return {
        "month": o.month,
        "status": o.status,
        "cases": len(o.cases),
        "reported": o.reported_to_service_manager.isoformat()
        if o.reported_to_service_manager
        else "",
        "exercise": o.team_exercise.held.isoformat() if o.team_exercise.held else "",
        "findings": " ".join((o.findings or "").split()),
    }


def team_block(
    repo: Repository, team: str, months: list[str], today: dt.date, names: dict[str, str]
) -> dict[str, Any]:
    """The team's review of the half (its priorities and plan) and its overviews, as recorded."""
    reviews = sorted(
        (r for r in repo.models(TeamReview) if r.team == team and r.last_month in months),
        key=lambda r: r.last_month,
    )
    review = reviews[-1] if reviews else None
    overviews = sorted(
        (o for o in repo.models(TeamOverview) if o.team == team and o.month in months),
        key=lambda o: o.month,
    )
    return {
        "review": None
        if review is None
        else {
            "path": layout.team_review_path(review.last_month, team),
            "status": review.status,
            "held": review.held.isoformat() if review.held else "",
            "period": f"{review.first_month} to {review.last_month}",
            "priorities": list(review.priorities),
            "discussed_with_ad": review.discussed_with_ad.isoformat()
            if review.discussed_with_ad
            else "",
            "rows": _review_rows(review, names, today),
        },
        "command": f"qa new team-review --team {team} --month {months[-1]}",
        "overviews": [_overview_row(o) for o in overviews],
    }


def team_plan_sheets(block: dict[str, Any]) -> list[dict[str, Any]]:
    review = block["review"]
    if review is None or not review["rows"]:
        return []
    return [sheet("Improvement plan", TEAM_PLAN_COLUMNS, review["rows"])]
