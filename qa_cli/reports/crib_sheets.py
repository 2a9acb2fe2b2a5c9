"""The monthly crib-sheet report to the Divisional Director (App. A): the supervision crib
sheets of a month, by theme (the crib sheet's sixteen themes) and by team.

A point is *met* when the manager's check says yes, *not met* when it says no; ``na`` points
and points not yet checked are not counted. The manager's check is the one that counts; the
social worker's is used only where the manager has not answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..due import due_items
from ..errors import QAError
from ..models.crib_sheet import CribSheet
from ..repository import Repository
from . import Report
from .collate import action_row
from .common import check_month, month_name, overdue_block, person, staff_names
from .sheets import Column, action_columns, chart, part_of, sheet, table


def _check(raw: Any) -> tuple[str | None, str | None]:
    """(yes/no/na or None, comment) of one crib-sheet answer."""
    if isinstance(raw, dict):
        value = raw.get("manager") or raw.get("social_worker")
        comment = raw.get("comment")
        return (str(value) if value is not None else None), (str(comment) if comment else None)
    return (str(raw) if raw is not None else None), None


def _themes(sheets: list[CribSheet], tool: Any) -> list[dict[str, Any]]:
    rows = []
    for section in tool.sections if tool else []:
        met = not_met = 0
        comments: list[str] = []
        for cs in sheets:
            for q in section.questions:
                value, comment = _check(cs.answers.get(q.id))
                met += value == "yes"
                not_met += value == "no"
                if value == "no" and comment and len(comments) < 3:
                    comments.append(" ".join(comment.split()))
        checked = met + not_met
        rows.append(
            {
                "theme": section.title,
                "met": met,
                "not_met": not_met,
                "checked": checked,
                "share_met": met / checked if checked else None,
                "comments": comments,
            }
        )
    rows.sort(key=lambda r: (-r["not_met"], r["theme"]))
    return rows


def _teams(repo: Repository, sheets: list[CribSheet], month: str) -> list[dict[str, Any]]:
    teams = repo.config.team_by_id() if repo.config else {}
    per = repo.config.programmes.crib_sheet.cases_per_team if repo.config else 2
    out = []
    for tid in sorted({cs.team for cs in sheets}):
        mine = [cs for cs in sheets if cs.team == tid]
        checks = [_check(v)[0] for cs in mine for v in cs.answers.values()]
        out.append(
            {
                "team": teams[tid].name if tid in teams else tid,
                "allocated": len(mine),
                "expected": per,
                "held": sum(1 for cs in mine if cs.status == "completed"),
                "met": checks.count("yes"),
                "not_met": checks.count("no"),
                "actions": sum(len(cs.actions) for cs in mine),
            }
        )
    return out


def build_crib_sheets(repo: Repository, month: str, today: dt.date) -> Report:
    """The month's crib sheets by theme and by team, with their actions and what is overdue."""
    check_month(month)
    entries = [(lf, cs) for lf, cs in repo.entries(CribSheet) if cs.month == month]
    if not entries:
        raise QAError(
            f"there is no crib sheet for {month} (nothing in crib-sheets/{month}/)",
            f"check the month, or allocate the month's crib sheets: "
            f"qa sample --programme crib-sheet --month {month}",
        )
    names = staff_names(repo)
    sheets = [cs for _, cs in entries]
    tool = repo.tools.get(sheets[0].tool)
    themes = _themes(sheets, tool)
    teams = _teams(repo, sheets, month)
    acts = [
        {**action_row(x, today, case=cs.case, team=cs.team), "owner_name": person(x.owner, names)}
        for cs in sheets
        for x in cs.actions
    ]
    items = [
        i
        for i in due_items(repo, today)
        if (i.overdue or i.kind == "safeguarding_concern")
        and i.path.startswith(f"crib-sheets/{month}/")
    ]
    ctx = {
        "meta": {
            "organisation": repo.config.organisation if repo.config else "",
            "department": repo.config.department if repo.config else "",
            "month": month,
            "month_name": month_name(month),
            "as_of": today.isoformat(),
        },
        "sessions": {
            "allocated": len(sheets),
            "held": sum(1 for cs in sheets if cs.status == "completed"),
        },
        "points": {
            "met": sum(t["met"] for t in themes),
            "not_met": sum(t["not_met"] for t in themes),
            "checked": sum(t["met"] + t["not_met"] for t in themes),
        },
        "themes": themes,
        "teams": teams,
        "actions": acts,
        "actions_agreed": len(acts),  # counted here: a redacted report suppresses it
        "overdue": overdue_block(items, names),
    }
    return Report(
        "crib-sheets",
        f"reports/{month}",
        "crib-sheets",
        "crib-sheets.md.j2",
        ctx,
        _workbook(ctx),
        [],
    )


_TEAM_COLUMNS: list[Column] = [
    ("Team", "team"),
    ("Sessions", "allocated"),
    ("Held", "held"),
    ("Points met", "met"),
    ("Points not met", "not_met"),
]
_THEME_COLUMNS: list[Column] = [
    ("Theme", "theme"),
    ("Met", "met"),
    ("Not met", "not_met"),
    ("Share met", "share_met"),
]


def _workbook(ctx: dict[str, Any]) -> dict[str, Any]:
    meta, s, p = ctx["meta"], ctx["sessions"], ctx["points"]
    checked = p["checked"]
    found: Column = ("What was found", lambda t: "\n".join(t["comments"]))
    return {
        "title": f"Crib sheets: {meta['month_name']}",
        "subject": "Monthly crib-sheet report to the Divisional Director (App. A)",
        "lines": [f"{meta['organisation']}, {meta['department']}"],
        "facts": [
            ["Month", meta["month_name"]],
            ["As of", meta["as_of"]],
            ["Sessions allocated", s["allocated"]],
            part_of("Sessions held", s["held"], s["allocated"]),
            ["Points checked", checked],
            [
                "Points met",
                {"k": p["met"], "n": checked, "value": p["met"] / checked if checked else None},
                "percent",
            ],
            ["Actions agreed", ctx["actions_agreed"]],
        ],
        "tables": [
            table(
                "By team",
                _TEAM_COLUMNS,
                ctx["teams"],
                chart("Points not met by team", "Points", first=4, last=4),
            ),
            table(
                "Themes most often not met (all on the Themes sheet)",
                _THEME_COLUMNS,
                ctx["themes"][:5],
                percent_columns=[3],
            ),
        ],
        "sheets": [
            sheet("Themes", [*_THEME_COLUMNS, found], ctx["themes"], percent=["Share met"]),
            sheet("Actions", action_columns("owner_name", overdue=False), ctx["actions"]),
        ],
    }
