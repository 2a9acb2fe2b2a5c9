"""The six-monthly structured team review (§6.2): the team's quality assurance feedback."""

from __future__ import annotations

import datetime as dt
import difflib

from ..due import due_items, select
from ..errors import QAError
from ..masking import masked
from ..models.common import GRADE_NAMES, GRADES
from ..models.complaint import Complaint
from ..models.crib_sheet import CribSheet
from ..models.observation import Observation
from ..repository import Repository
from . import Report, plain
from .collate import (
    action_rows,
    collect,
    enquiry_themes,
    excerpts,
    grade_row,
    invalid_files,
    months_between,
    question_themes,
)
from .common import (
    audit_sheet_rows,
    grade_table,
    month_name,
    overdue_block,
    parse_half,
    person,
    staff_names,
)


def build_team(repo: Repository, team_id: str, half: str, today: dt.date) -> Report:
    half, first, last = parse_half(half)
    teams = repo.config.team_by_id() if repo.config else {}
    if team_id not in teams:
        close = difflib.get_close_matches(team_id, list(teams), n=1)
        raise QAError(
            f"there is no team {masked(team_id)} in qa.yaml",
            (f"did you mean --team {close[0]}? " if close else "")
            + "teams: "
            + ", ".join(sorted(teams)),
        )
    team = teams[team_id]
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

    complaints = []
    for c in repo.models(Complaint):
        if c.team == team_id and start <= c.date <= end:
            complaints.append(
                {
                    "ref": c.ref,
                    "date": c.date.isoformat(),
                    "outcome": str(c.answers.get("outcome") or "").replace("_", " "),
                    "lessons": " ".join(str(c.answers.get("lessons-learned") or "").split()),
                }
            )
    observations = []
    for o in repo.models(Observation):
        if o.team == team_id and start <= o.observed <= end:
            observations.append(
                {
                    "social_worker": person(o.social_worker, names),
                    "observer": person(o.observer, names),
                    "observed": o.observed.isoformat(),
                    "feedback_written": o.feedback_written.isoformat()
                    if o.feedback_written
                    else "",
                }
            )
    crib = []
    for cs in repo.models(CribSheet):
        if cs.team == team_id and cs.month in months:
            crib.append(
                {
                    "month": cs.month,
                    "case": cs.case,
                    "status": cs.status,
                    "held": cs.held.isoformat() if cs.held else "",
                }
            )
    items = select(due_items(repo, today), team=team_id)
    themes = {
        "questions": plain(question_themes(recs)),
        "enquiries": plain(enquiry_themes(recs, repo.tools)),
        "excerpts": excerpts(recs),
    }
    ctx = {
        "meta": {
            "organisation": repo.config.organisation if repo.config else "",
            "department": repo.config.department if repo.config else "",
            "team": team.name,
            "team_id": team_id,
            "manager": person(team.manager, names) if team.manager else "",
            "half": half,
            "period": f"{month_name(first)} to {month_name(last)}",
            "as_of": today.isoformat(),
        },
        "audits": len(recs),
        "distribution": plain(dist),
        "grades": [{"grade": g, "name": GRADE_NAMES[g], "count": dist.counts[g]} for g in GRADES],
        "by_month": plain(by_month),
        "themes": themes,
        "actions": {
            "rows": [a for a in acts if a["status"] != "verified"],
            "total": len(acts),
            "open": sum(1 for a in acts if a["status"] == "open"),
            "overdue": sum(1 for a in acts if a["overdue"]),
            "done": sum(1 for a in acts if a["status"] == "done"),
            "verified": sum(1 for a in acts if a["status"] == "verified"),
        },
        "complaints": complaints,
        "observations": observations,
        "crib_sheets": crib,
        "overdue": overdue_block(items, names),
    }
    workbook = {
        "title": f"Structured team review: {team.name}, {half}",
        "lines": [ctx["meta"]["organisation"], ctx["meta"]["period"]],
        "facts": [
            ["Audits", len(recs)],
            ["Graded", dist.n],
            ["Good or better", dist.good_or_better.value, "percent"],
            ["Complaints", len(complaints)],
            ["Practice observations", len(observations)],
            ["Crib sheets", len(crib)],
        ],
        "tables": [
            grade_table(
                "Grades in each category", ctx["grades"], unit="Returns", chart_title="Grades"
            ),
            {
                "title": "By month",
                "columns": ["Month", *[GRADE_NAMES[g] for g in GRADES]],
                "rows": [[m.label, *[m.counts[g] for g in GRADES]] for m in by_month],
                "chart": {
                    "type": "bar",
                    "title": "Grades by month",
                    "y_title": "Returns",
                    "first": 1,
                    "last": 4,
                },
            },
        ],
        "sheets": [
            {"name": "Audits", **audit_sheet_rows(recs, names, today)},
            {
                "name": "Actions",
                "columns": ["Case", "Action", "What", "Owner", "Due", "Status", "Days overdue"],
                "rows": [
                    [
                        a["case"],
                        a["id"],
                        a["action"],
                        a["owner_name"],
                        a["due"],
                        a["status"],
                        a["days_overdue"] or "",
                    ]
                    for a in acts
                ],
            },
            {
                "name": "Complaints",
                "columns": ["Ref", "Date", "Outcome", "Lessons"],
                "rows": [[c["ref"], c["date"], c["outcome"], c["lessons"]] for c in complaints],
            },
            {
                "name": "Observations",
                "columns": ["Social worker", "Observer", "Observed", "Written feedback"],
                "rows": [
                    [o["social_worker"], o["observer"], o["observed"], o["feedback_written"]]
                    for o in observations
                ],
            },
            {
                "name": "Overdue",
                "columns": ["Kind", "What", "Person", "Due", "Days overdue"],
                "rows": [
                    [i["kind"], i["title"], i["person"], i["due"], i["days_overdue"]]
                    for i in ctx["overdue"]["rows"]
                ],
            },
        ],
    }
    notes = [
        f"{p} could not be read and was left out (run `qa validate`)" for p in invalid_files(repo)
    ]
    return Report("team", f"reports/{half}", f"team-{team_id}", "team.md.j2", ctx, workbook, notes)
