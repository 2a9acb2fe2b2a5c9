"""The monthly single-agency audit report (§5.2.5): headlines, themes, recommendations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..due import KIND_NAMES, due_items
from ..errors import QAError
from ..models.common import BELOW_GOOD, GRADE_NAMES, GRADES
from ..repository import Repository
from . import Report, plain
from .collate import (
    AuditRec,
    action_rows,
    collect,
    enquiry_themes,
    excerpts,
    grade_row,
    invalid_files,
    moderation,
    months_between,
    question_themes,
    shift_month,
    table_by,
    trend,
)
from .common import (
    ACTION_COLUMNS,
    answer_text,
    audit_sheet_rows,
    check_month,
    month_name,
    overdue_block,
    person,
    read_recommendations,
    staff_names,
)


def _below_good(
    recs: list[AuditRec], names: dict[str, str], today: dt.date
) -> list[dict[str, Any]]:
    out = []
    for r in recs:
        a = r.audit
        if not r.counted or (a.overall_grade not in BELOW_GOOD and r.grade not in BELOW_GOOD):
            continue
        acts = action_rows([r], today)
        review = a.qa_review
        out.append(
            {
                "case": a.case,
                "team": r.audit.team,
                "path": r.path,
                "auditor_grade": a.overall_grade,
                "grade": r.grade,
                "review": None
                if review is None
                else {
                    "reviewer": person(review.reviewer, names),
                    "date": review.date.isoformat(),
                    "agreed_grade": review.agreed_grade,
                    "comment": review.comment or "",
                    "forwarded_to": [person(p, names) for p in review.forwarded_to],
                },
                "actions": {
                    "total": len(acts),
                    "open": sum(1 for x in acts if x["status"] == "open"),
                    "done": sum(1 for x in acts if x["status"] == "done"),
                    "verified": sum(1 for x in acts if x["status"] == "verified"),
                    "overdue": sum(1 for x in acts if x["overdue"]),
                },
            }
        )
    out.sort(key=lambda x: (GRADES.index(x["grade"]) * -1, x["case"]))
    return out


def _concerns(all_recs: list[AuditRec], month: str, names: dict[str, str]) -> list[dict[str, Any]]:
    """Every safeguarding concern on this month's returns, found this month, or still open."""
    out = []
    for r in all_recs:
        c = r.audit.safeguarding_concern
        if c is None:
            continue
        if not (
            r.month == month or c.found.strftime("%Y-%m") == month or c.acknowledged_on is None
        ):
            continue
        out.append(
            {
                "case": r.audit.case,
                "team": r.audit.team,
                "path": r.path,
                "found": c.found.isoformat(),
                "description": " ".join(c.description.split()),
                "escalated_to": person(c.escalated_to, names),
                "escalated_on": c.escalated_on.isoformat(),
                "acknowledged": c.acknowledged_on is not None,
                "acknowledged_by": person(c.acknowledged_by, names) if c.acknowledged_by else "",
                "acknowledged_on": c.acknowledged_on.isoformat() if c.acknowledged_on else "",
                "outcome": (c.outcome or "").replace("_", " "),
                "outcome_on": c.outcome_on.isoformat() if c.outcome_on else "",
            }
        )
    out.sort(key=lambda x: (x["acknowledged"], x["found"], x["case"]))
    return out


def _loop_counts(recs: list[AuditRec]) -> dict[str, int]:
    """How far this month's returns went back to practice and up to the managers (§5.2.2-3)."""
    fbs = [r.audit.feedback for r in recs]
    reviews = [r.audit.qa_review for r in recs if r.audit.qa_review is not None]
    forwarded = [v for v in reviews if v.forwarded_to]
    return {
        "returns": len(recs),
        "sent": sum(1 for f in fbs if f is not None and f.sent_on is not None),
        "uploaded": sum(1 for f in fbs if f is not None and f.uploaded_on is not None),
        "supervision": sum(1 for f in fbs if f is not None and f.supervision_on is not None),
        "responses": sum(1 for f in fbs if f is not None and f.social_worker_response),
        "sm_reviewed": sum(1 for f in fbs if f is not None and f.service_manager_review),
        "forwarded": len(forwarded),
        "sm_outcomes": sum(1 for v in forwarded if v.service_manager_outcome is not None),
        "ad_outcomes": sum(1 for v in forwarded if v.assistant_director_outcome is not None),
    }


def _draft_recommendations(themes: dict[str, Any]) -> list[str]:
    out = []
    for t in themes["questions"][:3]:
        out.append(
            f"Improve practice on “{t['text']}”: answered no in {t['no']} of "
            f"{t['answered']} returns this month."
        )
    for e in themes["enquiries"][:2]:
        if e["below_good"]:
            out.append(
                f"Focus team discussions on {e['text'][:1].lower()}{e['text'][1:]}: graded below "
                f"Good in {e['below_good']} of {e['graded']} judgements."
            )
    if not out:
        out.append("No common themes this month: keep the current focus on practice.")
    return out


def build_monthly(repo: Repository, month: str, today: dt.date) -> Report:
    """Everything the monthly report shows, for ``month`` (YYYY-MM) as of ``today``."""
    check_month(month)
    cfg = repo.config
    names = staff_names(repo)
    all_recs = collect(repo)
    recs = [r for r in all_recs if r.tool_kind == "single-agency"]
    this = [r for r in recs if r.month == month]
    sample = repo.samples.get((month, "single-agency"))
    if sample is None and not this:
        raise QAError(
            f"there is nothing to report for {month}: no sample (samples/{month}.yaml) and no "
            f"returns in audits/{month}/",
            "check the month (YYYY-MM), or draw the month's sample first with "
            f"`qa sample --month {month}`",
        )
    allocated = len(sample.allocations) if sample else len(this)
    counted = [r for r in this if r.counted]
    items = due_items(repo, today)
    overdue_returns = {
        i.path
        for i in items
        if i.kind == "return" and i.overdue and i.path.startswith(f"audits/{month}/")
    }
    dist = grade_row(month, month_name(month), [r.grade for r in counted])
    tr = trend(recs, month)
    themes = {
        "questions": plain(question_themes(this)),
        "enquiries": plain(enquiry_themes(this, repo.tools)),
        "excerpts": excerpts(this),
    }
    window = months_between(shift_month(month, -5), month)
    mod_month = moderation(this, names)
    mod_rolling = moderation([r for r in recs if r.month in window], names)
    acts = action_rows(this, today)
    open_acts = [a for a in acts if a["status"] != "verified"]
    open_acts.sort(key=lambda a: (not a["overdue"], -a["days_overdue"], a["due"], a["case"]))
    for a in open_acts:
        a["owner_name"] = person(a["owner"], names)
    rec_text = read_recommendations(repo.root, month)
    context = {
        "meta": {
            "organisation": cfg.organisation if cfg else "",
            "department": cfg.department if cfg else "",
            "month": month,
            "month_name": month_name(month),
            "as_of": today.isoformat(),
            "window": f"{month_name(window[0])} to {month_name(window[-1])}",
        },
        "headlines": {
            "allocated": allocated,
            "returned": len(counted),
            "outstanding": max(allocated - len(counted), 0),
            "overdue_returns": len(overdue_returns),
            "concerns": 0,
        },
        "distribution": plain(dist),
        "grades": [{"grade": g, "name": GRADE_NAMES[g], "count": dist.counts[g]} for g in GRADES],
        "trend": plain(tr),
        "teams": plain(table_by(this, "team", repo)),
        "themes": themes,
        "below_good": _below_good(this, names, today),
        "actions": {
            "total": len(acts),
            "open": sum(1 for a in acts if a["status"] == "open"),
            "overdue": sum(1 for a in acts if a["overdue"]),
            "awaiting_verification": sum(1 for a in acts if a["status"] == "done"),
            "rows": open_acts,
        },
        "moderation": {
            "month": plain(mod_month),
            "rolling": plain(mod_rolling),
            "selected": len(sample.moderation.all_selected())
            if sample and sample.moderation
            else 0,
        },
        "concerns": _concerns(all_recs, month, names),
        "feedback": _loop_counts(counted),
        "overdue": overdue_block(items, names),
        "recommendations": {
            "written": rec_text is not None,
            "text": rec_text or "",
            "draft": [] if rec_text is not None else _draft_recommendations(themes),
            "path": f"reports/{month}/recommendations.md",
        },
    }
    context["headlines"]["concerns"] = len(context["concerns"])
    notes = [
        f"{p} could not be read and was left out (run `qa validate`)" for p in invalid_files(repo)
    ]
    return Report(
        kind="monthly",
        folder=f"reports/{month}",
        stem="monthly",
        template="monthly.md.j2",
        context=context,
        workbook=_workbook(context, this, names, items, today),
        notes=notes,
    )


LOOP_FACTS = (
    ("sent", "Audits sent back to practice"),
    ("uploaded", "Uploaded to the case record"),
    ("supervision", "Discussed in supervision"),
    ("responses", "Social workers' responses"),
    ("sm_reviewed", "Reviewed by the Service Manager"),
    ("forwarded", "Forwarded to the AD and Service Manager"),
    ("sm_outcomes", "Service Manager's outcome recorded"),
    ("ad_outcomes", "Assistant Director's outcome recorded"),
)


def _workbook(
    ctx: dict[str, Any], this: list[AuditRec], names: dict[str, str], items: Any, today: dt.date
) -> dict[str, Any]:
    h, meta = ctx["headlines"], ctx["meta"]
    d = ctx["distribution"]["good_or_better"]
    prev, roll = ctx["trend"]["previous"], ctx["trend"]["rolling"]
    facts = [
        ["Organisation", meta["organisation"]],
        ["Month", meta["month_name"]],
        ["As of", meta["as_of"]],
        ["Cases allocated", h["allocated"]],
        ["Returns in", h["returned"]],
        ["Returns outstanding", h["outstanding"]],
        ["Returns overdue", h["overdue_returns"]],
        ["Good or better", d["value"], "percent"],
        ["Good or better, 95% interval (low, high)", [d["low"], d["high"]], "interval"],
        ["Against the previous month", prev["direction"]],
        ["Against the six months before", roll["direction"]],
        ["Safeguarding concerns", h["concerns"]],
    ]
    trend_rows = [[m["key"], m["good_or_better"]["value"], m["n"]] for m in ctx["trend"]["months"]]
    team_rows = [
        [t["label"], t["n"], *[t["counts"][g] for g in GRADES], t["good_or_better"]["value"]]
        for t in ctx["teams"]
    ]
    answers = [
        [
            r.audit.case,
            r.audit.team,
            a.question,
            a.text,
            a.section,
            a.line_of_enquiry or "",
            answer_text(a.value),
            a.comment or "",
        ]
        for r in this
        for a in r.answers
    ]
    actions = [
        [
            a["case"],
            a["team"],
            a["id"],
            a["action"],
            person(a["owner"], names),
            a["due"],
            a["status"],
            a["days_overdue"] or "",
        ]
        for a in action_rows(this, today)
    ]
    return {
        "title": f"Monthly audit report: {meta['month_name']}",
        "lines": [f"{meta['organisation']}, {meta['department']}"],
        "facts": facts,
        "tables": [
            {
                "title": "Grade distribution",
                "columns": ["Grade", "Returns"],
                "rows": [[g["name"], g["count"]] for g in ctx["grades"]],
                "chart": {
                    "type": "bar",
                    "title": "Grades this month",
                    "y_title": "Returns",
                    "first": 1,
                    "last": 1,
                },
            },
            {
                "title": "Trend: Good or better",
                "columns": ["Month", "Good or better", "Returns"],
                "rows": trend_rows,
                "percent_columns": [1],
                "chart": {
                    "type": "line",
                    "title": "Good or better, last six months",
                    "y_title": "Share",
                    "first": 1,
                    "last": 1,
                    "percent": True,
                },
            },
            {
                "title": "Grades by team",
                "columns": ["Team", "Returns", *[GRADE_NAMES[g] for g in GRADES], "Good or better"],
                "rows": team_rows,
                "percent_columns": [6],
                "chart": None,
            },
        ],
        "sheets": [
            {"name": "Audits", **audit_sheet_rows(this, names, today)},
            {
                "name": "Answers",
                "columns": [
                    "Case",
                    "Team",
                    "Question id",
                    "Question",
                    "Section",
                    "Line of enquiry",
                    "Answer",
                    "Comment",
                ],
                "rows": answers,
                "grades": ["Answer"],
            },
            {
                "name": "Actions",
                "columns": ACTION_COLUMNS,
                "rows": actions,
            },
            {
                "name": "Overdue",
                "columns": ["Kind", "What", "Person", "Team", "Due", "Days overdue", "File"],
                "rows": [
                    [
                        KIND_NAMES.get(i.kind, i.kind),
                        i.title,
                        person(i.person, names) if i.person else "",
                        i.team or "",
                        i.due,
                        i.days_overdue,
                        i.path,
                    ]
                    for i in items
                    if i.overdue or i.kind == "safeguarding_concern"
                ],
            },
            {
                "name": "Moderation",
                "columns": [
                    "Auditor",
                    "Reviewed",
                    "Agreed",
                    "Graded higher",
                    "Graded lower",
                    "Mean difference (grades)",
                    "Direction",
                ],
                "rows": [
                    [
                        x["name"],
                        x["n"],
                        x["agreed"],
                        x["higher"],
                        x["lower"],
                        round(x["mean_difference"], 2),
                        x["direction"],
                    ]
                    for x in ctx["moderation"]["rolling"]["drift"]
                ],
            },
            {
                "name": "Back to practice",
                "columns": ["Step (§5.2.2-5.2.3)", "Returns"],
                "rows": [[label, ctx["feedback"][key]] for key, label in LOOP_FACTS],
            },
        ],
    }
