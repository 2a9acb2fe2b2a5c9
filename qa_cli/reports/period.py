"""Quarterly and annual reports for the Safeguarding Partnership and the Corporate Parenting
Board: trends with intervals, themes, learning, actions and moderation over a period.

By default a period holds the single-agency returns **completed** in it (``--by completed``),
so a quarter's figures no longer change once it is over; ``--by sample`` takes the returns of
the samples drawn in it instead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..errors import QAError
from ..models.common import GRADE_NAMES, GRADES
from ..models.multi_agency import MultiAgencyFindings
from ..models.themed import ThemedScope
from ..repository import Repository
from . import Report, plain
from .collate import (
    AuditRec,
    collect,
    enquiry_themes,
    excerpts,
    grade_row,
    honest_change,
    invalid_files,
    moderation,
    months_between,
    period_key,
    question_themes,
    shift_month,
    table_by,
)
from .common import audit_sheet_rows, grade_table, month_name, staff_names
from .leaders import (
    actions_by_owner,
    childs_voice,
    on_time,
    reaudit_impact,
    strengths,
    workbook_sheets,
)

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_quarter(value: str) -> tuple[str, list[str]]:
    """ "2026-Q3" -> ("2026-Q3", ["2026-07", "2026-08", "2026-09"])."""
    m = _QUARTER.match((value or "").strip())
    if not m:
        raise QAError(
            f"--quarter {value!r} is not a quarter",
            "write it as YYYY-Qn, e.g. --quarter 2026-Q3 (July to September)",
        )
    first = f"{m[1]}-{3 * (int(m[2]) - 1) + 1:02d}"
    return m[0], months_between(first, shift_month(first, 2))


def _learning(repo: Repository, months: list[str]) -> dict[str, Any]:
    """Findings of themed audits and learning of multi-agency audits agreed in the period."""
    themed = [
        {
            "title": s.title,
            "month": s.month,
            "findings": " ".join((s.findings or "").split()),
            "recommendations": list(s.recommendations),
        }
        for s in repo.models(ThemedScope)
        if s.month in months
    ]
    multi = [
        {
            "audit": f.audit,
            "agreed_on": f.agreed_on.isoformat(),
            "learning": list(f.learning),
            "recommendations": list(f.recommendations),
        }
        for f in repo.models(MultiAgencyFindings)
        if f.agreed_on.strftime("%Y-%m") in months
    ]
    return {"themed": themed, "multi_agency": multi}


def _trend(recs: list[AuditRec], months: list[str], key: Any) -> list[dict[str, Any]]:
    return [
        plain(grade_row(m, month_name(m), [r.grade for r in recs if key(r) == m and r.counted]))
        for m in months
    ]


def build_period(
    repo: Repository, label: str, months: list[str], today: dt.date, by: str, kind: str
) -> Report:
    """The report of ``months`` (a quarter or a year) as of ``today``."""
    cfg = repo.config
    names = staff_names(repo)
    key = period_key(by)
    all_recs = collect(repo, kinds=["single-agency"])
    this = [r for r in all_recs if key(r) in months]
    if not this:
        raise QAError(
            f"there is nothing to report for {label}: no single-agency return "
            + ("was completed" if by == "completed" else "was sampled")
            + f" between {month_name(months[0])} and {month_name(months[-1])}",
            "check the period, or try --by sample / --by completed",
        )
    before_months = months_between(shift_month(months[0], -len(months)), shift_month(months[0], -1))
    before = [r for r in all_recs if key(r) in before_months]
    counted = [r for r in this if r.counted]
    dist = grade_row(label, label, [r.grade for r in counted])
    min_n = cfg.reports.min_returns_to_compare if cfg else 10
    from ..stats import change, share

    def good(rs: list[AuditRec]) -> Any:
        grades = [r.grade for r in rs if r.counted]
        return share(sum(1 for g in grades if g in ("outstanding", "good")), len(grades))

    ctx: dict[str, Any] = {
        "meta": {
            "organisation": cfg.organisation if cfg else "",
            "department": cfg.department if cfg else "",
            "kind": kind,
            "label": label,
            "period": f"{month_name(months[0])} to {month_name(months[-1])}",
            "before": f"{month_name(before_months[0])} to {month_name(before_months[-1])}",
            "as_of": today.isoformat(),
            "by": by,
        },
        "returns": len(this),
        "distribution": plain(dist),
        "grades": [{"grade": g, "name": GRADE_NAMES[g], "count": dist.counts[g]} for g in GRADES],
        "change": honest_change(change(good(this), good(before)), min_n),
        "trend": _trend(all_recs, months, key),
        "teams": plain(table_by(this, "team", repo)),
        "services": plain(table_by(this, "service", repo)),
        "themes": {
            "questions": plain(question_themes(this)),
            "enquiries": plain(enquiry_themes(this, repo.tools)),
            "excerpts": excerpts(this),
        },
        "learning": _learning(repo, months),
        "actions": actions_by_owner(this, today, names),
        "leaders": {
            "on_time": on_time(this, cfg, today),
            "strengths": strengths(this),
            "childs_voice": childs_voice(this),
            "reaudits": reaudit_impact(all_recs, this),
        },
        "moderation": plain(moderation(this, names)),
        "concerns": sum(1 for r in this if r.audit.safeguarding_concern is not None),
    }
    stem = kind if by == "completed" else f"{kind}-by-sample"
    notes = [
        f"{p} could not be read and was left out (run `qa validate`)" for p in invalid_files(repo)
    ]
    workbook = _workbook(ctx, this, names, today)
    return Report(kind, f"reports/{label}", stem, "period.md.j2", ctx, workbook, notes)


def build_quarterly(
    repo: Repository, quarter: str, today: dt.date, by: str = "completed"
) -> Report:
    label, months = parse_quarter(quarter)
    return build_period(repo, label, months, today, by, "quarterly")


def build_annual(repo: Repository, year: int, today: dt.date, by: str = "completed") -> Report:
    from .common import check_year

    check_year(year)
    months = months_between(f"{year}-01", f"{year}-12")
    return build_period(repo, str(year), months, today, by, "annual")


def _workbook(
    ctx: dict[str, Any], this: list[AuditRec], names: dict[str, str], today: dt.date
) -> dict[str, Any]:
    meta, d = ctx["meta"], ctx["distribution"]["good_or_better"]
    on = ctx["leaders"]["on_time"]["overall"]
    title = ("Quarterly" if meta["kind"] == "quarterly" else "Annual") + " audit report"
    facts = [
        ["Organisation", meta["organisation"]],
        ["Period", meta["period"]],
        [
            "Returns of the period",
            "completed in it" if meta["by"] == "completed" else "sampled in it",
        ],
        ["As of", meta["as_of"]],
        ["Returns", ctx["returns"]],
        ["Good or better", d["value"], "percent"],
        ["Good or better, 95% interval (low, high)", [d["low"], d["high"]], "interval"],
        [f"Against {meta['before']}", ctx["change"]["direction"]],
        ["Returned on time", on["value"], "percent"],
        ["Actions completed", ctx["actions"]["completion"]["value"], "percent"],
        [
            "Moderation: exact agreement",
            ctx["moderation"]["agreement"]["exact"]["value"],
            "percent",
        ],
        ["Safeguarding concerns", ctx["concerns"]],
    ]
    trend = {
        "title": "Trend: Good or better with its 95% interval",
        "columns": ["Month", "Good or better", "95% low", "95% high", "Returns"],
        "rows": [
            [
                m["label"],
                m["good_or_better"]["value"],
                m["good_or_better"]["low"],
                m["good_or_better"]["high"],
                m["n"],
            ]
            for m in ctx["trend"]
        ],
        "percent_columns": [1, 2, 3],
        "chart": {
            "type": "line",
            "title": "Good or better by month",
            "y_title": "Share",
            "first": 1,
            "last": 3,
            "percent": True,
            "interval": [2, 3],
        },
    }
    teams = {
        "title": "Grades by team",
        "columns": ["Team", "Returns", *[GRADE_NAMES[g] for g in GRADES], "Good or better"],
        "rows": [
            [t["label"], t["n"], *[t["counts"][g] for g in GRADES], t["good_or_better"]["value"]]
            for t in ctx["teams"]
        ],
        "percent_columns": [6],
        "chart": None,
    }
    themes = ctx["themes"]["questions"]
    return {
        "title": f"{title}: {meta['period']}",
        "subject": f"{title} for the Safeguarding Partnership and the Corporate Parenting Board",
        "lines": [f"{meta['organisation']}, {meta['department']}"],
        "facts": facts,
        "tables": [grade_table("Grade distribution", ctx["grades"], unit="Returns"), trend, teams],
        "sheets": [
            {"name": "Audits", **audit_sheet_rows(this, names, today)},
            {
                "name": "Themes",
                "columns": ["Question", "Answered no", "Answered", "Share", "Comments"],
                "rows": [
                    [t["text"], t["no"], t["answered"], t["share"], "\n".join(t["comments"])]
                    for t in themes
                ],
                "percent": ["Share"],
            },
            {
                "name": "Learning",
                "columns": ["Source", "When", "Learning"],
                "rows": [
                    ["Themed: " + x["title"], x["month"], x["findings"]]
                    for x in ctx["learning"]["themed"]
                ]
                + [
                    ["Multi-agency " + x["audit"], x["agreed_on"], "\n".join(x["learning"])]
                    for x in ctx["learning"]["multi_agency"]
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
                    for x in ctx["moderation"]["drift"]
                ],
            },
            *workbook_sheets(ctx["leaders"], ctx["actions"]),
        ],
    }
