"""The monthly collation of IRO and CP Chair monitoring (§4.3.2-4.3.4): the forms of each
conference and looked-after review, the mid-point reviews, and disputes, for the Team Managers
at the monthly quality assurance liaison meeting."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from ..errors import QAError
from ..models.common import GRADE_NAMES, GRADES
from ..models.monitoring import MidpointReview, MonitoringForm
from ..repository import Repository
from . import Report
from .common import check_month, invalid_notes, month_name, person, staff_names
from .programmes import _meta
from .sheets import Column, by_grade, chart, part_of, sheet, table, yes_no_columns

MEETING_NAMES = {
    "initial_cp_conference": "Initial CP conference",
    "review_cp_conference": "Review CP conference",
    "cla_review": "Looked-after review",
    "pathway_plan_review": "Pathway plan review",
}
GRADED = {"report-quality": "Quality of the report", "practice-quality": "Quality of practice"}


def _answer(value: Any) -> Any:
    return value.get("answer") if isinstance(value, dict) else value


def _yes_no(forms: list[Any]) -> list[dict[str, Any]]:
    """yes / no / na counts of every closed question, in the order first met."""
    rows: dict[str, Counter[str]] = {}
    for f in forms:
        for q, v in f.answers.items():
            a = _answer(v)
            if a in ("yes", "no", "na"):
                rows.setdefault(q, Counter())[a] += 1
    # "forms": the whole of "no in k of n", counted here so a redacted report suppresses it
    return [
        {"question": q, **{k: c[k] for k in ("yes", "no", "na")}, "forms": c.total()}
        for q, c in rows.items()
    ]


def _grades(forms: list[Any]) -> list[dict[str, Any]]:
    out = []
    for q, name in GRADED.items():
        c = Counter(_answer(f.answers.get(q)) for f in forms)
        out.append({"question": name, **{g: c[g] for g in GRADES}})
    return out


def _form_row(f: MonitoringForm, names: dict[str, str], teams: dict[str, str]) -> dict[str, Any]:
    return {
        "held": f.held.isoformat(),
        "meeting": MEETING_NAMES[f.meeting],
        "case": f.case,
        "team": teams.get(f.team, f.team),
        "chair": person(f.chair, names),
        "report": GRADE_NAMES.get(str(_answer(f.answers.get("report-quality"))), ""),
        "practice": GRADE_NAMES.get(str(_answer(f.answers.get("practice-quality"))), ""),
        "child_views": str(_answer(f.answers.get("child-views")) or "").replace("_", " "),
        "sent": f.sent_to_manager.isoformat() if f.sent_to_manager else "",
    }


def _midpoint_row(
    m: MidpointReview, names: dict[str, str], teams: dict[str, str]
) -> dict[str, Any]:
    d = m.dispute
    return {
        "reviewed": m.reviewed.isoformat(),
        "plan": m.plan.replace("_", " "),
        "case": m.case,
        "team": teams.get(m.team, m.team),
        "chair": person(m.chair, names),
        "progress": GRADE_NAMES.get(str(_answer(m.answers.get("plan-progress"))), ""),
        "dispute": d.stage.replace("_", " ") if d else "",
        "resolved": (d.resolved_on.isoformat() if d and d.resolved_on else "") if d else "",
        "sent": m.sent_to_manager.isoformat() if m.sent_to_manager else "",
    }


def build_monitoring(repo: Repository, month: str, today: dt.date) -> Report:
    """Every completed monitoring form and mid-point review of ``month``, collated."""
    check_month(month)
    names = staff_names(repo)
    teams = {t.id: t.name for t in repo.config.teams} if repo.config else {}
    forms = [
        m
        for _, m in repo.entries(MonitoringForm)
        if m.status == "completed" and m.held.strftime("%Y-%m") == month
    ]
    mids = [
        m
        for _, m in repo.entries(MidpointReview)
        if m.status == "completed" and m.reviewed.strftime("%Y-%m") == month
    ]
    if not forms and not mids:
        raise QAError(
            f"no completed monitoring form or mid-point review is dated in {month}",
            "check the month, or add the forms with `qa new conference-review-monitoring` / "
            "`qa new midpoint-review` (status: completed once filled in)",
        )
    forms.sort(key=lambda f: (f.held, f.case))
    mids.sort(key=lambda m: (m.reviewed, m.case))
    rows = [_form_row(f, names, teams) for f in forms]
    mid_rows = [_midpoint_row(m, names, teams) for m in mids]
    open_disputes = [
        _midpoint_row(m, names, teams)
        for _, m in repo.entries(MidpointReview)
        if m.dispute is not None and m.dispute.resolved_on is None
    ]
    by_meeting = Counter(r["meeting"] for r in rows)
    by_team = Counter(r["team"] for r in rows + mid_rows)
    ctx = {
        "meta": _meta(repo, today, month=month, month_name=month_name(month)),
        "forms": rows,
        "midpoints": mid_rows,
        "by_meeting": [{"name": k, "count": v} for k, v in sorted(by_meeting.items())],
        "by_team": [{"team": k, "count": v} for k, v in sorted(by_team.items())],
        "grades": _grades(forms),
        "questions": _yes_no(forms + mids),
        "disputes": open_disputes,
        "sent": sum(1 for r in rows + mid_rows if r["sent"]),
        # counted here, not by the template, so a redacted report suppresses them
        "totals": {
            "forms": len(rows),
            "midpoints": len(mid_rows),
            "completed": len(rows) + len(mid_rows),
            "disputes": len(open_disputes),
        },
    }
    return Report(
        "monitoring",
        f"reports/{month}",
        "monitoring",
        "monitoring.md.j2",
        ctx,
        _workbook(ctx),
        invalid_notes(repo),
    )


_FORM_COLUMNS: list[Column] = [
    ("Held", "held"),
    ("Meeting", "meeting"),
    ("Case", "case"),
    ("Team", "team"),
    ("Chair", "chair"),
    ("Report", "report"),
    ("Practice", "practice"),
    ("Child's views", "child_views"),
    ("Sent to manager", "sent"),
]
_MIDPOINT_COLUMNS: list[Column] = [
    ("Reviewed", "reviewed"),
    ("Plan", "plan"),
    ("Case", "case"),
    ("Team", "team"),
    ("Chair", "chair"),
    ("Progress", "progress"),
    ("Dispute stage", "dispute"),
    ("Resolved", "resolved"),
    ("Sent to manager", "sent"),
]


def _workbook(ctx: dict[str, Any]) -> dict[str, Any]:
    meta, totals = ctx["meta"], ctx["totals"]
    grade_columns: list[Column] = [("Question", "question"), *by_grade(lambda g: g)]
    return {
        "title": f"IRO and CP Chair monitoring: {meta['month_name']}",
        "lines": [meta["organisation"]],
        "facts": [
            ["Monitoring forms", totals["forms"]],
            ["Mid-point reviews", totals["midpoints"]],
            part_of(  # of the forms and reviews, as the Markdown's "k of n" says
                "Sent to managers for supervision", ctx["sent"], totals["completed"]
            ),
            ["Disputes open", totals["disputes"]],
        ],
        "tables": [
            table(
                "Grades given by the chairs",
                grade_columns,
                ctx["grades"],
                chart("Grades given by the chairs", "Forms", last=4),
            ),
            table("Forms by meeting", [("Meeting", "name"), ("Forms", "count")], ctx["by_meeting"]),
        ],
        "sheets": [
            sheet("Forms", _FORM_COLUMNS, ctx["forms"], grades=["Report", "Practice"]),
            sheet("Mid-point reviews", _MIDPOINT_COLUMNS, ctx["midpoints"], grades=["Progress"]),
            sheet("Questions", yes_no_columns("question"), ctx["questions"]),
        ],
    }
