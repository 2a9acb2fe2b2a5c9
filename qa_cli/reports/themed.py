"""Themed audit findings and recommendations report (§5.3.2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from ..errors import QAError
from ..masking import masked
from ..models.themed import ThemedScope
from ..repository import Repository
from . import Report, linked, plain
from .collate import AuditRec, action_rows, collect, grade_row, moderation
from .common import (
    audits_sheet,
    check_month,
    grade_table,
    invalid_notes,
    month_name,
    person,
    report_meta,
    staff_names,
    themes_of,
)
from .improvement import improvement_block, improvement_sheets
from .sheets import action_columns, answers_sheet, grade_counts, sheet, table, yes_no_columns


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


def _cases(recs: list[AuditRec]) -> list[dict[str, Any]]:
    return [
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


def _scope_block(scope: ThemedScope, tool: Any, names: dict[str, str]) -> dict[str, Any]:
    return {
        "title": scope.title,
        "lead": person(scope.lead, names),
        "consulted": [person(p, names) for p in scope.consulted],
        "tool": tool.title if tool else scope.tool,
        "cases": len(scope.cases),
        "report_due": scope.report_due.isoformat() if scope.report_due else "",
        "findings": scope.findings or "",
    }


def _recommendations(scope: ThemedScope, themes: dict[str, Any]) -> dict[str, Any]:
    """The scope's recommendations if written, else a draft from the questions answered no."""
    draft = [
        f"Address “{t['text']}”: answered no in {t['no']} of {t['answered']} cases."
        for t in themes["questions"][:4]
    ]
    return {
        "written": bool(scope.recommendations),
        "list": list(scope.recommendations) or draft,
    }


def needs(theme: str, month: str) -> Callable[[str, dict[str, Any]], bool]:
    """The returns a themed report reads in full: the themed audits' (under themed/); the
    others come as summaries (:mod:`qa_cli.reports.loading`)."""
    return lambda rel, s: rel.startswith("themed/")


def build_themed(repo: Repository, theme: str, month: str, today: dt.date) -> Report:
    check_month(month)
    rel, scope = _scope(repo, theme, month)
    folder = str(PurePosixPath(rel).parent) + "/"
    names = staff_names(repo)
    recs = [r for r in collect(repo) if r.path.startswith(folder)]
    counted = [r for r in recs if r.counted]
    dist = grade_row(theme, scope.title, [r.grade for r in counted])
    acts = action_rows(recs, today)
    for a in acts:
        a["owner_name"] = person(a["owner"], names)
    themes = themes_of(recs, repo)
    meta = report_meta(
        repo, theme=theme, month=month, month_name=month_name(month), as_of=today.isoformat()
    )
    ctx = {
        "meta": meta,
        "scope": _scope_block(scope, repo.tools.get(scope.tool), names),
        "returned": len(counted),
        "distribution": plain(dist),
        "grades": grade_counts(dist),
        "questions": question_counts(recs),
        "themes": themes,
        "cases": _cases(recs),
        "moderation": plain(moderation(recs, names)),
        "actions": {
            "rows": acts,
            "open": sum(1 for a in acts if a["status"] == "open"),
            "overdue": sum(1 for a in acts if a["overdue"]),
        },
        "recommendations": _recommendations(scope, themes),
        "improvement": improvement_block(repo, month, theme, today, names),
    }
    links = linked.Links()  # its grades, and its returns in (:mod:`.linked`)
    linked.grades(links, ctx)
    links.figure(("all", "n"), ctx["returned"], (ctx, "returned"))
    linked.themes(links, ctx["themes"])
    linked.withhold(links, repo.config)
    workbook = _workbook(ctx, recs, names, today)
    stem = f"themed-{theme}"
    return Report(
        "themed", f"reports/{month}", stem, "themed.md.j2", ctx, workbook, invalid_notes(repo)
    )


def _workbook(
    ctx: dict[str, Any], recs: list[AuditRec], names: dict[str, str], today: dt.date
) -> dict[str, Any]:
    scope = ctx["scope"]
    most_no = sorted(ctx["questions"], key=lambda q: -q["no"])
    return {
        "title": f"Themed audit: {scope['title']} ({ctx['meta']['month_name']})",
        "lines": [ctx["meta"]["organisation"], f"Lead: {scope['lead']}"],
        "facts": [
            ["Cases in scope", scope["cases"]],
            ["Returns in", ctx["returned"]],
            ["Good or better", ctx["distribution"]["good_or_better"], "percent"],
        ],
        "tables": [
            grade_table("Grade distribution", ctx["grades"], chart_title="Grades"),
            # question texts are too long for a chart's axis
            table(
                "Questions most often answered no (all on the Questions sheet)",
                yes_no_columns("text"),
                most_no[:5],
            ),
        ],
        "sheets": [
            sheet("Questions", yes_no_columns("text"), ctx["questions"]),
            audits_sheet(recs, names, today),
            answers_sheet(recs, enquiry=False),
            sheet("Actions", action_columns("owner_name"), ctx["actions"]["rows"]),
            *improvement_sheets(ctx["improvement"]),
        ],
    }
