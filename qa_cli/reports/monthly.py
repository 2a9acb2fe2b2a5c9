"""The monthly single-agency audit report (§5.2.5): headlines, themes, recommendations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..due import KIND_NAMES, due_items
from ..errors import QAError
from ..models.common import BELOW_GOOD, GRADES
from ..repository import Repository
from . import Report, linked, plain
from .collate import (
    AuditRec,
    action_rows,
    collect,
    grade_row,
    honest_change,
    moderation,
    month_of_path,
    months_between,
    period_key,
    shift_month,
    table_by,
    trend,
)
from .common import (
    audits_sheet,
    check_month,
    grade_table,
    invalid_notes,
    month_name,
    overdue_block,
    person,
    read_recommendations,
    report_meta,
    staff_names,
    themes_of,
)
from .improvement import improvement_block, improvement_sheets
from .leaders import actions_by_owner, leaders_block, workbook_sheets
from .sheets import (
    Column,
    action_columns,
    answers_sheet,
    chart,
    good_or_better_facts,
    grade_counts,
    moderation_sheet,
    part_of,
    sheet,
    table,
    teams_table,
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


def _select(
    repo: Repository, month: str, by: str
) -> tuple[list[AuditRec], list[AuditRec], list[AuditRec], Any]:
    """All returns, the single-agency ones, those of the month (by ``by``) and its sample."""
    all_recs = collect(repo)
    recs = [r for r in all_recs if r.tool_kind == "single-agency"]
    key = period_key(by)
    this = [r for r in recs if key(r) == month]
    sample = repo.samples.get((month, "single-agency"))
    if (by == "sample" and sample is None and not this) or (by == "completed" and not this):
        where = (
            f"no sample (samples/{month}.yaml) and no returns in audits/{month}/"
            if by == "sample"
            else "no single-agency return was completed in that month"
        )
        raise QAError(
            f"there is nothing to report for {month}: {where}",
            "check the month (YYYY-MM), or draw the month's sample first with "
            f"`qa sample --month {month}`"
            if by == "sample"
            else "check the month, or report by sample month (--by sample)",
        )
    return all_recs, recs, this, sample


def _headlines(
    month: str, by: str, this: list[AuditRec], sample: Any, items: list[Any]
) -> dict[str, Any]:
    counted = [r for r in this if r.counted]
    if by == "completed":
        months = sorted({r.month for r in this})
        return {
            "by": by,
            "allocated": None,
            "returned": len(counted),
            "outstanding": None,
            "overdue_returns": None,
            "sample_months": [month_name(m) for m in months],
            "concerns": 0,
        }
    allocated = len(sample.allocations) if sample else len(this)
    overdue = {
        i.path
        for i in items
        if i.kind == "return" and i.overdue and i.path.startswith(f"audits/{month}/")
    }
    return {
        "by": by,
        "allocated": allocated,
        "returned": len(counted),
        "outstanding": max(allocated - len(counted), 0),
        "overdue_returns": len(overdue),
        "sample_months": [month_name(month)],
        "concerns": 0,
    }


def _month_items(items: list[Any], month: str, this: list[AuditRec]) -> list[Any]:
    """The overdue items that belong to the month: its returns, their actions, its sessions."""
    paths = {r.path for r in this}
    prefixes = (f"audits/{month}/", f"crib-sheets/{month}/")
    return [
        i
        for i in items
        if (i.overdue or i.kind == "safeguarding_concern")
        and (i.path in paths or i.path.startswith(prefixes))
    ]


def _actions(this: list[AuditRec], names: dict[str, str], today: dt.date) -> dict[str, Any]:
    acts = action_rows(this, today)
    open_acts = [a for a in acts if a["status"] != "verified"]
    open_acts.sort(key=lambda a: (not a["overdue"], -a["days_overdue"], a["due"], a["case"]))
    for a in open_acts:
        a["owner_name"] = person(a["owner"], names)
    return {
        "total": len(acts),
        "open": sum(1 for a in acts if a["status"] == "open"),
        "overdue": sum(1 for a in acts if a["overdue"]),
        "awaiting_verification": sum(1 for a in acts if a["status"] == "done"),
        "verified": sum(1 for a in acts if a["status"] == "verified"),
        "rows": open_acts,
        "by_owner": actions_by_owner(this, today, names),
    }


def _trend(recs: list[AuditRec], month: str, key: Any, min_n: int) -> dict[str, Any]:
    """Good or better over the last months, with honest changes (none on too few returns)."""
    tr = trend(recs, month, key)
    return {
        **plain(tr),
        "previous": honest_change(tr.previous, min_n),
        "rolling": honest_change(tr.rolling, min_n),
    }


def _moderation(
    this: list[AuditRec], window_recs: list[AuditRec], sample: Any, names: dict[str, str]
) -> dict[str, Any]:
    """QA reviewers' agreement this month and over the window, and how many were selected."""
    return {
        "month": plain(moderation(this, names)),
        "rolling": plain(moderation(window_recs, names)),
        "selected": len(sample.moderation.all_selected()) if sample and sample.moderation else 0,
    }


def _recommendations(root: Any, month: str, themes: dict[str, Any]) -> dict[str, Any]:
    """The Lead QA Auditor's recommendations if written, else a draft from the themes."""
    rec_text = read_recommendations(root, month)
    return {
        "written": rec_text is not None,
        "text": rec_text or "",
        "draft": [] if rec_text is not None else _draft_recommendations(themes),
        "path": f"reports/{month}/recommendations.md",
    }


def needs(month: str, by: str = "sample") -> Callable[[str, dict[str, Any]], bool]:
    """The returns the monthly report of ``month`` reads in full (the others come as
    summaries, :mod:`qa_cli.reports.loading`): the month's own (its folder, or completed
    in it), and every one whose safeguarding concern it lists (found in the month, or open)."""

    def wanted(rel: str, s: dict[str, Any]) -> bool:
        if month_of_path(rel, s["allocated"]) == month:
            return True
        if by == "completed" and (s["completed"] or "")[:7] == month:
            return True
        concern = s["concern"]
        return concern is not None and (concern["open"] or concern["found"][:7] == month)

    return wanted


def build_monthly(repo: Repository, month: str, today: dt.date, by: str = "sample") -> Report:
    """Everything the monthly report shows, for ``month`` (YYYY-MM) as of ``today``.

    ``by`` chooses the month's returns: ``sample`` (drawn in the month) or ``completed``
    (completed in the month, whichever sample they came from).
    """
    check_month(month)
    cfg = repo.config
    names = staff_names(repo)
    all_recs, recs, this, sample = _select(repo, month, by)
    key = period_key(by)
    items = due_items(repo, today)
    counted = [r for r in this if r.counted]
    dist = grade_row(month, month_name(month), [r.grade for r in counted])
    themes = themes_of(this, repo)
    window = months_between(shift_month(month, -5), month)
    meta = report_meta(
        repo,
        month=month,
        month_name=month_name(month),
        as_of=today.isoformat(),
        window=f"{month_name(window[0])} to {month_name(window[-1])}",
        by=by,
    )
    month_items = _month_items(items, month, this)
    context = {
        "meta": meta,
        "headlines": _headlines(month, by, this, sample, items),
        "distribution": plain(dist),
        "grades": grade_counts(dist),
        "trend": _trend(recs, month, key, cfg.reports.min_returns_to_compare if cfg else 10),
        "teams": plain(table_by(this, "team", repo)),
        "themes": themes,
        "below_good": _below_good(this, names, today),
        "actions": _actions(this, names, today),
        "leaders": leaders_block(
            cfg, [r for r in all_recs if r.tool_kind == "single-agency"], this, today
        ),
        "moderation": _moderation(this, [r for r in recs if key(r) in window], sample, names),
        "concerns": _concerns(all_recs, month, names),
        "feedback": _loop_counts(counted),
        "overdue": overdue_block(month_items, names),
        "recommendations": _recommendations(repo.root, month, themes),
        "improvement": improvement_block(repo, month, None, today, names),
    }
    context["headlines"]["concerns"] = len(context["concerns"])
    _link(context, month, cfg)
    return Report(
        kind="monthly",
        folder=f"reports/{month}",
        stem="monthly" if by == "sample" else "monthly-completed",
        template="monthly.md.j2",
        context=context,
        workbook=_workbook(context, this, names, month_items, today),
        notes=invalid_notes(repo),
    )


def _link(ctx: dict[str, Any], month: str, cfg: Any) -> None:
    """The month's linked tables (:mod:`.linked`): grades overall and by team; the headline's
    returns of the cases allocated; the trend's months and the changes against the previous
    month and the six before; returns on time; actions overall and by owner."""
    links = linked.Links()
    tr = ctx["trend"]
    linked.grades(links, ctx, [tr["previous"], tr["rolling"]])
    h = ctx["headlines"]
    links.figure(("all", "n"), h["returned"], (h, "returned"))
    if h["allocated"] is not None:
        links.figure("allocated", h["allocated"], (h, "allocated"))
        links.figure("outstanding", h["outstanding"], (h, "outstanding"))
        links.total("allocated", [("all", "n"), "outstanding"])
    before = [m for m in tr["months"] if m["key"] != month]
    for m in tr["months"]:
        links.grade_row("all" if m["key"] == month else ("month", m["key"]), m, counts=False)
    if before:
        prev, six = tr["previous"], tr["rolling"]
        linked.share(links, ("month", before[-1]["key"]), prev["before"], k=not prev["too_few"])
        linked.share(links, "six", six["before"], k=not six["too_few"])
        links.pair(("six", "gob"), ("six", "n"))
        for f in ("n", "gob"):  # the six months before: the trend's five, and one more
            links.total(("six", f), [(("month", m["key"]), f) for m in before])
    linked.grade_rows(links, "team", ctx["teams"])
    linked.on_time(links, ctx["leaders"]["on_time"])
    linked.actions(links, ctx["actions"], done="awaiting_verification")
    linked.owners(links, ctx["actions"]["by_owner"])
    linked.themes(links, ctx["themes"])
    linked.withhold(links, cfg)


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


def _facts(ctx: dict[str, Any]) -> list[list[Any]]:
    """The Summary's facts: the month, its returns and the headline figures."""
    h, meta = ctx["headlines"], ctx["meta"]
    by_sample = meta["by"] == "sample"
    returns = (
        [
            ["Cases allocated", h["allocated"]],
            part_of("Returns in", h["returned"], h["allocated"]),
            part_of("Returns outstanding", h["outstanding"], h["allocated"]),
            ["Returns overdue", h["overdue_returns"]],
        ]
        if by_sample
        else [["Returns completed", h["returned"]]]
    )
    return [
        ["Organisation", meta["organisation"]],
        ["Month", meta["month_name"]],
        ["Returns of the month", "sampled in it" if by_sample else "completed in it"],
        ["As of", meta["as_of"]],
        *returns,
        ["Returned on time", ctx["leaders"]["on_time"]["overall"], "percent"],
        *good_or_better_facts(ctx["distribution"]["good_or_better"]),
        ["Against the previous month", ctx["trend"]["previous"]["direction"]],
        ["Against the six months before", ctx["trend"]["rolling"]["direction"]],
        ["Safeguarding concerns", h["concerns"]],
    ]


_TREND_COLUMNS: list[Column] = [
    ("Month", "key"),
    ("Good or better", lambda m: m["good_or_better"]["value"]),
    ("Returns", "n"),
]


def _overdue_columns(names: dict[str, str]) -> list[Column]:
    """Columns of the overdue items (:class:`qa_cli.due.DueItem`)."""
    return [
        ("Kind", lambda i: KIND_NAMES.get(i.kind, i.kind)),
        ("What", lambda i: i.title),
        ("Person", lambda i: person(i.person, names) if i.person else ""),
        ("Team", lambda i: i.team or ""),
        ("Due", lambda i: i.due),
        ("Days overdue", lambda i: i.days_overdue),
        ("File", lambda i: i.path),
    ]


def _tables(ctx: dict[str, Any]) -> list[dict[str, Any]]:
    trend_chart = chart("Good or better, last six months", "Share", kind="line", percent=True)
    return [
        grade_table("Grade distribution", ctx["grades"], "Returns", "Grades this month"),
        table(
            "Trend: Good or better",
            _TREND_COLUMNS,
            ctx["trend"]["months"],
            trend_chart,
            percent_columns=[1],
        ),
        teams_table(ctx["teams"]),
    ]


def _workbook(
    ctx: dict[str, Any], this: list[AuditRec], names: dict[str, str], items: Any, today: dt.date
) -> dict[str, Any]:
    meta = ctx["meta"]
    return {
        "title": f"Monthly audit report: {meta['month_name']}",
        "lines": [f"{meta['organisation']}, {meta['department']}"],
        "facts": _facts(ctx),
        "tables": _tables(ctx),
        "sheets": [
            audits_sheet(this, names, today),
            answers_sheet(this, enquiry=True),
            sheet(
                "Actions",
                action_columns(lambda a: person(a["owner"], names)),
                action_rows(this, today),
            ),
            *improvement_sheets(ctx["improvement"]),
            sheet(
                "Overdue",
                _overdue_columns(names),
                [i for i in items if i.overdue or i.kind == "safeguarding_concern"],
            ),
            moderation_sheet(ctx["moderation"]["rolling"]["drift"]),
            sheet(
                "Back to practice",
                [("Step (§5.2.2-5.2.3)", 1), ("Returns", lambda kl: ctx["feedback"][kl[0]])],
                LOOP_FACTS,
            ),
            *workbook_sheets(ctx["leaders"], ctx["actions"]["by_owner"]),
        ],
    }
