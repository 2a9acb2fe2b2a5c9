"""What the report builders share: months, people, overdue items, the audits sheet, writing."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..due import KIND_NAMES, KINDS, DueItem
from ..errors import QAError
from ..masking import masked
from ..models.common import GRADE_NAMES
from ..repository import Repository
from . import plain
from .collate import AuditRec, enquiry_themes, excerpts, invalid_files, question_themes


def check_month(value: str, option: str = "--month") -> str:
    """The one month parser (:func:`qa_cli.calendar.parse_month`)."""
    from ..calendar import parse_month

    return parse_month(value, option)


def month_name(month: str) -> str:
    return f"{calendar.month_name[int(month[5:7])]} {month[:4]}"


def staff_names(repo: Repository) -> dict[str, str]:
    return {s.id: s.name for s in repo.config.staff} if repo.config else {}


def report_meta(repo: Repository, **fields: Any) -> dict[str, Any]:
    """A report's ``meta``: the organisation and department from qa.yaml, then ``fields``."""
    cfg = repo.config
    return {
        "organisation": cfg.organisation if cfg else "",
        "department": cfg.department if cfg else "",
        **fields,
    }


def invalid_notes(repo: Repository) -> list[str]:
    """A note for each file a report had to leave out because it could not be read."""
    return [
        f"{p} could not be read and was left out (run `qa validate`)" for p in invalid_files(repo)
    ]


def themes_of(recs: list[AuditRec], repo: Repository) -> dict[str, Any]:
    """The questions and lines of enquiry most often answered no, with comment excerpts."""
    return {
        "questions": plain(question_themes(recs)),
        "enquiries": plain(enquiry_themes(recs, repo.tools)),
        "excerpts": excerpts(recs),
    }


def person(who: str | None, names: dict[str, str]) -> str:
    if not who:
        return ""
    return names.get(who, who)


def answer_text(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v is not None)
    if isinstance(value, str) and value in GRADE_NAMES:
        return GRADE_NAMES[value]
    return value


def read_recommendations(root: Path, month: str) -> str | None:
    """The Lead QA Auditor's own recommendations for the month, if written (never generated)."""
    path = root / "reports" / month / "recommendations.md"
    if not path.is_file():
        return None
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise QAError(
            f"reports/{month}/recommendations.md could not be read ({exc})",
            "save it as UTF-8 text, or move it away to use the draft recommendations",
        ) from None
    return text if text.strip() else None


def overdue_block(
    items: Iterable[DueItem], names: dict[str, str], limit: int = 20
) -> dict[str, Any]:
    """Overdue items as of the report date: counts by kind and the most overdue ones."""
    items = [i for i in items if i.overdue or i.kind == "safeguarding_concern"]
    counts = [
        {"kind": k, "name": KIND_NAMES[k], "count": sum(1 for i in items if i.kind == k)}
        for k in KINDS
    ]
    rows = [
        {
            "kind": KIND_NAMES.get(i.kind, i.kind),
            "title": i.title,
            "person": person(i.person, names),
            "team": i.team or "",
            "due": i.due.isoformat(),
            "days_overdue": i.days_overdue,
            "path": i.path,
        }
        for i in items
    ]
    return {
        "total": len(items),
        "counts": [c for c in counts if c["count"]],
        "rows": rows[:limit],
        "more": max(len(rows) - limit, 0),
    }


AUDIT_COLUMNS = [
    "Case",
    "Team",
    "Tool",
    "Month",
    "Social worker",
    "Auditors",
    "Status",
    "Allocated",
    "Due",
    "Completed",
    "Auditor grade",
    "Agreed grade (QA review)",
    "Grade",
    "QA reviewer",
    "Actions",
    "Actions open",
    "Safeguarding concern",
    "Strengths",
    "Areas for improvement",
    "File",
]


def audit_sheet_rows(
    recs: Iterable[AuditRec], names: dict[str, str], today: dt.date
) -> dict[str, Any]:
    """One row per audit return."""
    rows = []
    for r in recs:
        a = r.audit
        rows.append(
            [
                a.case,
                a.team,
                a.tool,
                r.month,
                person(a.social_worker, names),
                ", ".join(person(x, names) for x in a.auditors),
                a.status,
                a.allocated,
                a.due,
                a.completed,
                GRADE_NAMES.get(a.overall_grade or "", ""),
                GRADE_NAMES.get(a.qa_review.agreed_grade, "") if a.qa_review else "",
                GRADE_NAMES.get(r.grade or "", "") if r.counted else "",
                person(a.qa_review.reviewer, names) if a.qa_review else "",
                len(a.actions),
                sum(1 for x in a.actions if x.status == "open"),
                "yes" if a.safeguarding_concern else "",
                (a.strengths or "").strip(),
                (a.areas_for_improvement or "").strip(),
                r.path,
            ]
        )
    return {
        "columns": AUDIT_COLUMNS,
        "rows": rows,
        "grades": ["Auditor grade", "Agreed grade (QA review)", "Grade"],
    }


def audits_sheet(recs: Iterable[AuditRec], names: dict[str, str], today: dt.date) -> dict[str, Any]:
    """The "Audits" sheet: one row per audit return."""
    return {"name": "Audits", **audit_sheet_rows(recs, names, today)}


def parse_half(value: str) -> tuple[str, str, str]:
    """ "2026-H2" -> ("2026-H2", first month, last month)."""
    m = re.match(r"^(\d{4})-H([12])$", value or "")
    if not m:
        raise QAError(
            f"--half: {masked(value)} is not a half-year",
            "write it as YYYY-H1 (January to June) or YYYY-H2 (July to December), e.g. 2026-H2",
        )
    y, h = m[1], int(m[2])
    return value, f"{y}-{1 if h == 1 else 7:02d}", f"{y}-{6 if h == 1 else 12:02d}"


def check_year(value: int) -> int:
    if not 2000 <= value <= 2100:
        raise QAError(f"--year {value} is not a plausible year", "write it as YYYY, e.g. 2026")
    return value


def grade_table(
    title: str,
    grades: list[dict[str, Any]],
    unit: str = "Cases",
    chart_title: str | None = None,
) -> dict[str, Any]:
    """A workbook table of grade counts with its bar chart."""
    return {
        "title": title,
        "columns": ["Grade", unit],
        "rows": [[g["name"], g["count"]] for g in grades],
        "chart": {
            "type": "bar",
            "title": chart_title or title,
            "y_title": unit,
            "first": 1,
            "last": 1,
        },
    }
