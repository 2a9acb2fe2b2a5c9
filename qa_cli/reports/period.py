"""Quarterly and annual reports for the Safeguarding Partnership and the Corporate Parenting
Board: trends with intervals, themes, learning, actions and moderation over a period.

By default a period holds the single-agency returns **completed** in it (``--by completed``),
so a quarter's figures no longer change once it is over; ``--by sample`` takes the returns of
the samples drawn in it instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from ..errors import QAError
from ..models.multi_agency import MultiAgencyFindings
from ..models.themed import ThemedScope
from ..repository import Repository
from . import Report, collate, linked, plain
from .collate import AuditRec
from .common import (
    audits_sheet,
    grade_table,
    invalid_notes,
    month_name,
    report_meta,
    staff_names,
    themes_of,
)
from .leaders import actions_by_owner, leaders_block, workbook_sheets
from .sheets import (
    Column,
    chart,
    good_or_better_facts,
    grade_counts,
    moderation_sheet,
    sheet,
    table,
    teams_table,
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
    return m[0], collate.months_between(first, collate.shift_month(first, 2))


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
    def row(m: str) -> Any:
        grades = [r.grade for r in recs if key(r) == m and r.counted]
        return plain(collate.grade_row(m, month_name(m), grades))

    return [row(m) for m in months]


def _select(
    repo: Repository, label: str, months: list[str], by: str
) -> tuple[list[AuditRec], list[AuditRec], list[str]]:
    """The single-agency returns: all, those of the period, and the months before it."""
    key = collate.period_key(by)
    all_recs = collate.collect(repo, kinds=["single-agency"])
    this = [r for r in all_recs if key(r) in months]
    if not this:
        raise QAError(
            f"there is nothing to report for {label}: no single-agency return "
            + ("was completed" if by == "completed" else "was sampled")
            + f" between {month_name(months[0])} and {month_name(months[-1])}",
            "check the period, or try --by sample / --by completed",
        )
    before_months = collate.months_between(
        collate.shift_month(months[0], -len(months)), collate.shift_month(months[0], -1)
    )
    return all_recs, this, before_months


def _good(rs: list[AuditRec]) -> Any:
    """The share of the counted returns graded Good or better."""
    from ..stats import share

    grades = [r.grade for r in rs if r.counted]
    return share(sum(1 for g in grades if g in ("outstanding", "good")), len(grades))


def build_period(
    repo: Repository, label: str, months: list[str], today: dt.date, by: str, kind: str
) -> Report:
    """The report of ``months`` (a quarter or a year) as of ``today``."""
    from ..stats import change

    cfg = repo.config
    names = staff_names(repo)
    key = collate.period_key(by)
    all_recs, this, before_months = _select(repo, label, months, by)
    before = [r for r in all_recs if key(r) in before_months]
    dist = collate.grade_row(label, label, [r.grade for r in this if r.counted])
    min_n = cfg.reports.min_returns_to_compare if cfg else 10
    meta = report_meta(
        repo,
        kind=kind,
        label=label,
        period=f"{month_name(months[0])} to {month_name(months[-1])}",
        before=f"{month_name(before_months[0])} to {month_name(before_months[-1])}",
        as_of=today.isoformat(),
        by=by,
    )
    ctx: dict[str, Any] = {
        "meta": meta,
        "returns": len(this),
        "distribution": plain(dist),
        "grades": grade_counts(dist),
        "change": collate.honest_change(change(_good(this), _good(before)), min_n),
        "trend": _trend(all_recs, months, key),
        "teams": plain(collate.table_by(this, "team", repo)),
        "services": plain(collate.table_by(this, "service", repo)),
        "themes": themes_of(this, repo),
        "learning": _learning(repo, months),
        "actions": actions_by_owner(this, today, names),
        "leaders": leaders_block(cfg, all_recs, this, today),
        "moderation": plain(collate.moderation(this, names)),
        "concerns": sum(1 for r in this if r.audit.safeguarding_concern is not None),
    }
    _link(ctx, this, cfg)
    stem = kind if by == "completed" else f"{kind}-by-sample"
    workbook = _workbook(ctx, this, names, today)
    return Report(
        kind, f"reports/{label}", stem, "period.md.j2", ctx, workbook, invalid_notes(repo)
    )


def _link(ctx: dict[str, Any], this: list[AuditRec], cfg: Any) -> None:
    """The period's linked tables (:mod:`.linked`): grades overall, by team, by service (its
    teams) and by month; returns on time; actions by owner."""
    links = linked.Links()
    linked.grades(links, ctx, [ctx["change"]])
    links.figure("returns", ctx["returns"], (ctx, "returns"))
    links.total("returns", [("all", "n")])  # the rest: returns without a grade
    linked.grade_rows(links, "team", ctx["teams"])
    linked.grade_rows(links, "service", ctx["services"], counts=False)
    linked.grade_rows(links, "month", ctx["trend"], counts=False)
    service_of = {r.audit.team: r.service or "(unknown)" for r in this}
    for s in ctx["services"]:
        teams = [("team", t["key"]) for t in ctx["teams"] if service_of.get(t["key"]) == s["key"]]
        links.nest(("service", s["key"]), teams)
    linked.on_time(links, ctx["leaders"]["on_time"])
    linked.owners(links, ctx["actions"])
    linked.themes(links, ctx["themes"])
    linked.withhold(links, cfg)


def needs(months: list[str], by: str) -> Callable[[str, dict[str, Any]], bool]:
    """The returns a report of ``months`` reads in full: those of the period (sampled or
    completed in it); the others come as summaries (:mod:`qa_cli.reports.loading`)."""
    wanted = set(months)
    if by == "completed":
        return lambda rel, s: (s["completed"] or "")[:7] in wanted
    return lambda rel, s: collate.month_of_path(rel, s["allocated"]) in wanted


def quarter_needs(quarter: str, by: str = "completed") -> Callable[[str, dict[str, Any]], bool]:
    return needs(parse_quarter(quarter)[1], by)


def year_needs(year: int, by: str = "completed") -> Callable[[str, dict[str, Any]], bool]:
    return needs(collate.months_between(f"{year}-01", f"{year}-12"), by)


def build_quarterly(
    repo: Repository, quarter: str, today: dt.date, by: str = "completed"
) -> Report:
    label, months = parse_quarter(quarter)
    return build_period(repo, label, months, today, by, "quarterly")


def build_annual(repo: Repository, year: int, today: dt.date, by: str = "completed") -> Report:
    from .common import check_year

    check_year(year)
    months = collate.months_between(f"{year}-01", f"{year}-12")
    return build_period(repo, str(year), months, today, by, "annual")


def _facts(ctx: dict[str, Any]) -> list[list[Any]]:
    meta = ctx["meta"]
    return [
        ["Organisation", meta["organisation"]],
        ["Period", meta["period"]],
        [
            "Returns of the period",
            "completed in it" if meta["by"] == "completed" else "sampled in it",
        ],
        ["As of", meta["as_of"]],
        ["Returns", ctx["returns"]],
        *good_or_better_facts(ctx["distribution"]["good_or_better"]),
        [f"Against {meta['before']}", ctx["change"]["direction"]],
        ["Returned on time", ctx["leaders"]["on_time"]["overall"], "percent"],
        ["Actions completed", ctx["actions"]["completion"], "percent"],
        [
            "Moderation: exact agreement",
            ctx["moderation"]["agreement"]["exact"],
            "percent",
        ],
        ["Safeguarding concerns", ctx["concerns"]],
    ]


_TREND_COLUMNS: list[Column] = [
    ("Month", "label"),
    ("Good or better", lambda m: m["good_or_better"]["value"]),
    ("95% low", lambda m: m["good_or_better"]["low"]),
    ("95% high", lambda m: m["good_or_better"]["high"]),
    ("Returns", "n"),
]
_THEME_COLUMNS: list[Column] = [
    ("Question", "text"),
    ("Answered no", "no"),
    ("Answered", "answered"),
    ("Share", "share"),
    ("Comments", lambda t: "\n".join(t["comments"])),
]


def _learning_rows(learning: dict[str, Any]) -> list[list[Any]]:
    return [["Themed: " + x["title"], x["month"], x["findings"]] for x in learning["themed"]] + [
        ["Multi-agency " + x["audit"], x["agreed_on"], "\n".join(x["learning"])]
        for x in learning["multi_agency"]
    ]


def _workbook(
    ctx: dict[str, Any], this: list[AuditRec], names: dict[str, str], today: dt.date
) -> dict[str, Any]:
    meta = ctx["meta"]
    title = ("Quarterly" if meta["kind"] == "quarterly" else "Annual") + " audit report"
    trend_chart = chart(
        "Good or better by month", "Share", kind="line", last=3, percent=True, interval=[2, 3]
    )
    trend = table(
        "Trend: Good or better with its 95% interval",
        _TREND_COLUMNS,
        ctx["trend"],
        trend_chart,
        percent_columns=[1, 2, 3],
    )
    return {
        "title": f"{title}: {meta['period']}",
        "subject": f"{title} for the Safeguarding Partnership and the Corporate Parenting Board",
        "lines": [f"{meta['organisation']}, {meta['department']}"],
        "facts": _facts(ctx),
        "tables": [
            grade_table("Grade distribution", ctx["grades"], unit="Returns"),
            trend,
            teams_table(ctx["teams"]),
        ],
        "sheets": [
            audits_sheet(this, names, today),
            sheet("Themes", _THEME_COLUMNS, ctx["themes"]["questions"], percent=["Share"]),
            sheet(
                "Learning",
                [("Source", 0), ("When", 1), ("Learning", 2)],
                _learning_rows(ctx["learning"]),
            ),
            moderation_sheet(ctx["moderation"]["drift"]),
            *workbook_sheets(ctx["leaders"], ctx["actions"]),
        ],
    }
