"""Themed audit findings and recommendations report (§5.3.2)."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Any

from ..errors import QAError
from ..masking import masked
from ..models.common import GRADE_NAMES, GRADES
from ..models.themed import ThemedScope
from ..repository import Repository
from . import Report, plain
from .collate import (
    action_rows,
    collect,
    enquiry_themes,
    excerpts,
    grade_row,
    invalid_files,
    moderation,
    question_themes,
)
from .common import (
    ACTION_COLUMNS,
    answer_text,
    audit_sheet_rows,
    check_month,
    grade_table,
    month_name,
    person,
    staff_names,
)


def _scope(repo: Repository, theme: str, month: str) -> tuple[str, ThemedScope]:
    scopes = [(f.rel, s) for f, s in repo.entries(ThemedScope)]
    for rel, s in scopes:
        if s.theme == theme and s.month == month:
            return rel, s
    known = ", ".join(f"--theme {s.theme} --month {s.month}" for _, s in scopes) or "none yet"
    raise QAError(
        f"there is no themed audit of {masked(theme)} in {month} (no scope.yaml in themed/)",
        f"themed audits in this repository: {known}",
    )


def question_counts(recs: list[Any]) -> list[dict[str, Any]]:
    """Every closed yes/no question of the returns with its yes / no / n/a counts."""
    rows: dict[str, dict[str, Any]] = {}
    for r in recs:
        if not r.counted:
            continue
        for a in r.answers:
            if a.type in ("yes_no", "yes_no_na", "check") and a.value in ("yes", "no", "na"):
                row = rows.setdefault(
                    a.question, {"question": a.question, "text": a.text, "yes": 0, "no": 0, "na": 0}
                )
                row[a.value] += 1
    return list(rows.values())


def build_themed(repo: Repository, theme: str, month: str, today: dt.date) -> Report:
    check_month(month)
    rel, scope = _scope(repo, theme, month)
    folder = str(PurePosixPath(rel).parent) + "/"
    names = staff_names(repo)
    recs = [r for r in collect(repo) if r.path.startswith(folder)]
    counted = [r for r in recs if r.counted]
    dist = grade_row(theme, scope.title, [r.grade for r in counted])
    tool = repo.tools.get(scope.tool)
    cases = [
        {
            "case": r.audit.case,
            "team": r.audit.team,
            "status": r.audit.status,
            "grade": r.grade if r.counted else None,
            "auditor_grade": r.audit.overall_grade,
            "reviewed": r.audit.qa_review is not None,
        }
        for r in recs
    ]
    acts = action_rows(recs, today)
    for a in acts:
        a["owner_name"] = person(a["owner"], names)
    themes = {
        "questions": plain(question_themes(recs)),
        "enquiries": plain(enquiry_themes(recs, repo.tools)),
        "excerpts": excerpts(recs),
    }
    draft = [
        f"Address “{t['text']}”: answered no in {t['no']} of {t['answered']} cases."
        for t in themes["questions"][:4]
    ]
    ctx = {
        "meta": {
            "organisation": repo.config.organisation if repo.config else "",
            "department": repo.config.department if repo.config else "",
            "theme": theme,
            "month": month,
            "month_name": month_name(month),
            "as_of": today.isoformat(),
        },
        "scope": {
            "title": scope.title,
            "lead": person(scope.lead, names),
            "consulted": [person(p, names) for p in scope.consulted],
            "tool": tool.title if tool else scope.tool,
            "cases": len(scope.cases),
            "report_due": scope.report_due.isoformat() if scope.report_due else "",
            "findings": scope.findings or "",
        },
        "returned": len(counted),
        "distribution": plain(dist),
        "grades": [{"grade": g, "name": GRADE_NAMES[g], "count": dist.counts[g]} for g in GRADES],
        "questions": question_counts(recs),
        "themes": themes,
        "cases": cases,
        "moderation": plain(moderation(recs, names)),
        "actions": {
            "rows": acts,
            "open": sum(1 for a in acts if a["status"] == "open"),
            "overdue": sum(1 for a in acts if a["overdue"]),
        },
        "recommendations": {
            "written": bool(scope.recommendations),
            "list": list(scope.recommendations) or draft,
        },
    }
    most_no = sorted(ctx["questions"], key=lambda q: -q["no"])
    workbook = {
        "title": f"Themed audit: {scope.title} ({month_name(month)})",
        "lines": [ctx["meta"]["organisation"], f"Lead: {ctx['scope']['lead']}"],
        "facts": [
            ["Cases in scope", len(scope.cases)],
            ["Returns in", len(counted)],
            ["Good or better", dist.good_or_better.value, "percent"],
        ],
        "tables": [
            grade_table("Grade distribution", ctx["grades"], chart_title="Grades"),
            {
                "title": "Questions most often answered no (all on the Questions sheet)",
                "columns": ["Question", "Yes", "No", "N/A"],
                "rows": [[q["text"], q["yes"], q["no"], q["na"]] for q in most_no[:5]],
                "chart": None,  # question texts are too long for a chart's axis
            },
        ],
        "sheets": [
            {
                "name": "Questions",
                "columns": ["Question", "Yes", "No", "N/A"],
                "rows": [[q["text"], q["yes"], q["no"], q["na"]] for q in ctx["questions"]],
            },
            {"name": "Audits", **audit_sheet_rows(recs, names, today)},
            {
                "name": "Answers",
                "columns": ["Case", "Team", "Question id", "Question", "Answer", "Comment"],
                "rows": [
                    [
                        r.audit.case,
                        r.audit.team,
                        a.question,
                        a.text,
                        answer_text(a.value),
                        a.comment or "",
                    ]
                    for r in recs
                    for a in r.answers
                ],
                "grades": ["Answer"],
            },
            {
                "name": "Actions",
                "columns": ACTION_COLUMNS,
                "rows": [
                    [
                        a["case"],
                        a["team"],
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
        ],
    }
    notes = [
        f"{p} could not be read and was left out (run `qa validate`)" for p in invalid_files(repo)
    ]
    return Report(
        "themed", f"reports/{month}", f"themed-{theme}", "themed.md.j2", ctx, workbook, notes
    )
