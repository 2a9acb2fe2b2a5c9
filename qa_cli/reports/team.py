"""The six-monthly structured team review (§6.2): the team's quality assurance feedback."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from typing import Any

from ..due import due_items, select
from ..errors import QAError
from ..masking import masked
from ..models.complaint import Complaint
from ..models.config import Team
from ..models.crib_sheet import CribSheet
from ..models.observation import Observation
from ..repository import Repository
from . import Report, linked, plain
from .collate import AuditRec, action_rows, collect, grade_row, months_between
from .common import (
    audits_sheet,
    grade_table,
    invalid_notes,
    month_name,
    overdue_block,
    parse_half,
    person,
    report_meta,
    staff_names,
    themes_of,
)
from .improvement import team_block, team_plan_sheets
from .sheets import Column, action_columns, by_grade, chart, grade_counts, sheet, table

Row = dict[str, Any]


def _team(repo: Repository, team_id: str) -> Team:
    """The team of ``--team``, or the one clear error (with the nearest id)."""
    teams = repo.config.team_by_id() if repo.config else {}
    if team_id not in teams:
        close = difflib.get_close_matches(team_id, list(teams), n=1)
        raise QAError(
            f"there is no team {masked(team_id)} in qa.yaml",
            (f"did you mean --team {close[0]}? " if close else "")
            + "teams: "
            + ", ".join(sorted(teams)),
        )
    return teams[team_id]


def _complaints(repo: Repository, team_id: str, start: dt.date, end: dt.date) -> list[Row]:
    return [
        {
            "ref": c.ref,
            "date": c.date.isoformat(),
            "outcome": str(c.answers.get("outcome") or "").replace("_", " "),
            "lessons": " ".join(str(c.answers.get("lessons-learned") or "").split()),
        }
        for c in repo.models(Complaint)
        if c.team == team_id and start <= c.date <= end
    ]


def _observations(
    repo: Repository, team_id: str, start: dt.date, end: dt.date, names: dict[str, str]
) -> list[Row]:
    return [
        {
            "social_worker": person(o.social_worker, names),
            "observer": person(o.observer, names),
            "observed": o.observed.isoformat(),
            "feedback_written": o.feedback_written.isoformat() if o.feedback_written else "",
        }
        for o in repo.models(Observation)
        if o.team == team_id and start <= o.observed <= end
    ]


def _crib_sheets(repo: Repository, team_id: str, months: list[str]) -> list[Row]:
    return [
        {
            "month": cs.month,
            "case": cs.case,
            "status": cs.status,
            "held": cs.held.isoformat() if cs.held else "",
        }
        for cs in repo.models(CribSheet)
        if cs.team == team_id and cs.month in months
    ]


def _action_counts(acts: list[Row]) -> dict[str, Any]:
    return {
        "rows": [a for a in acts if a["status"] != "verified"],
        "listed": sum(1 for a in acts if a["status"] != "verified"),
        "total": len(acts),
        "open": sum(1 for a in acts if a["status"] == "open"),
        "overdue": sum(1 for a in acts if a["overdue"]),
        "done": sum(1 for a in acts if a["status"] == "done"),
        "verified": sum(1 for a in acts if a["status"] == "verified"),
    }


def needs(team_id: str, half: str) -> Callable[[str, dict[str, Any]], bool]:
    """The returns a team review reads in full: the team's, of any month (its overdue items
    reach back); the others come as summaries (:mod:`qa_cli.reports.loading`)."""
    return lambda rel, s: s["team"] == team_id


def _link(ctx: dict[str, Any], cfg: Any) -> None:
    """The team review's linked tables (:mod:`.linked`): its grades, by month, and its
    audits and actions."""
    links = linked.Links()
    linked.grades(links, ctx)
    links.figure("audits", ctx["audits"], (ctx, "audits"))
    links.total("audits", [("all", "n")])  # the rest: audits not yet graded
    linked.grade_rows(links, "month", ctx["by_month"])
    linked.actions(links, ctx["actions"])
    linked.themes(links, ctx["themes"])
    linked.withhold(links, cfg)


def build_team(repo: Repository, team_id: str, half: str, today: dt.date) -> Report:
    half, first, last = parse_half(half)
    team = _team(repo, team_id)
    names = staff_names(repo)
    months = months_between(first, last)
    start = dt.date(int(first[:4]), int(first[5:7]), 1)
    end = dt.date(int(last[:4]), 12, 31) if last.endswith("12") else dt.date(int(last[:4]), 6, 30)
    recs = [
        r
        for r in collect(repo, kinds=["single-agency"])
        if r.audit.team == team_id and r.month in months
    ]
    counted = [r for r in recs if r.counted]
    dist = grade_row(team_id, team.name, [r.grade for r in counted])
    by_month = [
        grade_row(m, month_name(m), [r.grade for r in counted if r.month == m]) for m in months
    ]
    acts = action_rows(recs, today)
    for a in acts:
        a["owner_name"] = person(a["owner"], names)
    meta = report_meta(
        repo,
        team=team.name,
        team_id=team_id,
        manager=person(team.manager, names) if team.manager else "",
        half=half,
        period=f"{month_name(first)} to {month_name(last)}",
        as_of=today.isoformat(),
    )
    ctx = {
        "meta": meta,
        "audits": len(recs),
        "distribution": plain(dist),
        "grades": grade_counts(dist),
        "by_month": plain(by_month),
        "themes": themes_of(recs, repo),
        "actions": _action_counts(acts),
        "complaints": _complaints(repo, team_id, start, end),
        "observations": _observations(repo, team_id, start, end, names),
        "crib_sheets": _crib_sheets(repo, team_id, months),
        "overdue": overdue_block(select(due_items(repo, today), team=team_id), names),
        "plan": team_block(repo, team_id, months, today, names),
    }
    _link(ctx, repo.config)
    workbook = _workbook(ctx, recs, acts, names, today)
    stem = f"team-{team_id}"
    return Report("team", f"reports/{half}", stem, "team.md.j2", ctx, workbook, invalid_notes(repo))


_COMPLAINT_COLUMNS: list[Column] = [
    ("Ref", "ref"),
    ("Date", "date"),
    ("Outcome", "outcome"),
    ("Lessons", "lessons"),
]
_OBSERVATION_COLUMNS: list[Column] = [
    ("Social worker", "social_worker"),
    ("Observer", "observer"),
    ("Observed", "observed"),
    ("Written feedback", "feedback_written"),
]
_OVERDUE_COLUMNS: list[Column] = [
    ("Kind", "kind"),
    ("What", "title"),
    ("Person", "person"),
    ("Due", "due"),
    ("Days overdue", "days_overdue"),
]


def _workbook(
    ctx: dict[str, Any],
    recs: list[AuditRec],
    acts: list[Row],
    names: dict[str, str],
    today: dt.date,
) -> dict[str, Any]:
    meta, dist = ctx["meta"], ctx["distribution"]
    by_month: list[Column] = [("Month", "label"), *by_grade(lambda m: m["counts"])]
    return {
        "title": f"Structured team review: {meta['team']}, {meta['half']}",
        "lines": [meta["organisation"], meta["period"]],
        "facts": [
            ["Audits", len(recs)],
            ["Graded", dist["n"]],
            ["Good or better", dist["good_or_better"], "percent"],
            ["Complaints", len(ctx["complaints"])],
            ["Practice observations", len(ctx["observations"])],
            ["Crib sheets", len(ctx["crib_sheets"])],
        ],
        "tables": [
            grade_table(
                "Grades in each category", ctx["grades"], unit="Returns", chart_title="Grades"
            ),
            table(
                "By month", by_month, ctx["by_month"], chart("Grades by month", "Returns", last=4)
            ),
        ],
        "sheets": [
            audits_sheet(recs, names, today),
            sheet("Actions", action_columns("owner_name", team=False), acts),
            sheet("Complaints", _COMPLAINT_COLUMNS, ctx["complaints"]),
            sheet("Observations", _OBSERVATION_COLUMNS, ctx["observations"]),
            sheet("Overdue", _OVERDUE_COLUMNS, ctx["overdue"]["rows"]),
            *team_plan_sheets(ctx["plan"]),
        ],
    }
