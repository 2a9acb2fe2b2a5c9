"""Reports of the other programmes: multi-agency audits (App. E), complaints (§4.5.2, App. C)
and practice observations (App. B)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import PurePosixPath
from typing import Any

from ..calendar import add_working_days
from ..errors import QAError
from ..masking import masked
from ..models.common import GRADE_NAMES
from ..models.complaint import Complaint, ComplimentsLog
from ..models.multi_agency import AgencyReturn, MultiAgencyFindings, MultiAgencyScope
from ..models.observation import Observation
from ..repository import Repository
from . import Report, plain
from .collate import GradeRow, action_row, grade_row
from .common import check_year, grade_table, invalid_notes, person, report_meta, staff_names
from .sheets import (
    Column,
    by_grade,
    chart,
    days_overdue,
    grade_counts,
    part_of,
    sheet,
    table,
)

# Who a multi-agency audit consults to triangulate its findings (§5.4.1, App. E 7).
CONSULTED = ("child", "parents", "social_worker", "team_manager")


def _meta(repo: Repository, today: dt.date, **extra: Any) -> dict[str, Any]:
    return report_meta(repo, as_of=today.isoformat(), **extra)


# --- multi-agency ---------------------------------------------------------------------------


def _ma_scope(repo: Repository, audit_id: str) -> tuple[str, MultiAgencyScope]:
    """The audit's scope and its folder (``multi-agency/.../``), or the one clear error."""
    scopes = {m.id: (f.rel, m) for f, m in repo.entries(MultiAgencyScope)}
    if audit_id not in scopes:
        raise QAError(
            f"there is no multi-agency audit {masked(audit_id)} in multi-agency/",
            "multi-agency audits in this repository: " + (", ".join(sorted(scopes)) or "none yet"),
        )
    rel, scope = scopes[audit_id]
    return str(PurePosixPath(rel).parent) + "/", scope


def _ma_cases(
    findings: MultiAgencyFindings | None, grid: dict[str, dict[str, str]], agency_ids: list[str]
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """One row per case of the findings (agreed and agency grades, who was consulted)."""
    cases: list[dict[str, Any]] = []
    consult: Counter[str] = Counter()
    for cf in findings.cases if findings is not None else []:
        row = {
            "case": cf.case,
            "agreed_grade": cf.agreed_grade,
            "summary": " ".join(cf.summary.split()),
            "agency_grades": [grid.get(cf.case, {}).get(a, "") for a in agency_ids],
        }
        for who in CONSULTED:
            c = getattr(cf.consultation, who)
            done = c is not None and c.date is not None and not c.not_done_reason
            row[who] = "yes" if done else "no"
            consult[who] += done
        cases.append(row)
    return cases, consult


def _ma_scope_block(
    scope: MultiAgencyScope, agencies: dict[str, str], names: dict[str, str]
) -> dict[str, Any]:
    return {
        "terms_of_reference": scope.terms_of_reference,
        "agencies": [
            {"agency": agencies.get(a.agency, a.agency), "auditor": person(a.auditor, names)}
            for a in scope.agencies
        ],
        "cases": len(scope.cases),
        "pre_meeting": str(scope.pre_meeting or ""),
        "returns_due": str(scope.returns_due),
        "consultation_meeting": str(scope.consultation_meeting or ""),
        "report_date": str(scope.report_date or ""),
    }


def _ma_findings(findings: MultiAgencyFindings | None) -> dict[str, Any]:
    """Outcomes, learning, recommendations and reviews agreed at the consultation meeting."""
    return {
        "findings": findings is not None,
        "key_outcomes": list(findings.key_outcomes) if findings else [],
        "learning": list(findings.learning) if findings else [],
        "recommendations": list(findings.recommendations) if findings else [],
    }


def _ma_reviews(findings: MultiAgencyFindings | None) -> list[dict[str, Any]]:
    return [
        {
            "months": r.months,
            "due": r.due.isoformat(),
            "done": r.done.isoformat() if r.done else "",
            "note": r.note or "",
        }
        for r in (findings.reviews if findings else [])
    ]


def _ma_practitioners(returns: list[AgencyReturn], agencies: dict[str, str]) -> dict[str, Any]:
    """App. E 7: of the returns in, how many had their feedback meeting with the practitioner."""
    done = [r for r in returns if r.status == "returned"]
    by: dict[str, list[int]] = {}
    for r in done:
        row = by.setdefault(r.agency, [0, 0])
        row[0] += r.practitioner_feedback is not None
        row[1] += 1
    return {
        "given": sum(g for g, _ in by.values()),
        "returned": len(done),
        "by_agency": [
            {"agency": agencies.get(a, a), "given": g, "returned": n}
            for a, (g, n) in sorted(by.items())
        ],
    }


def build_multi_agency(repo: Repository, audit_id: str, today: dt.date) -> Report:
    folder, scope = _ma_scope(repo, audit_id)
    names = staff_names(repo)
    agencies = {a.id: a.name for a in repo.config.agencies} if repo.config else {}
    findings: MultiAgencyFindings | None = None
    for f, fm in repo.entries(MultiAgencyFindings):
        if f.rel.startswith(folder):
            findings = fm
    returns = [r for f, r in repo.entries(AgencyReturn) if f.rel.startswith(folder)]
    grid: dict[str, dict[str, str]] = {c: {} for c in scope.cases}
    for r in returns:
        if r.status == "returned" and r.grade:
            grid.setdefault(r.case, {})[r.agency] = r.grade
    agency_ids = [a.agency for a in scope.agencies]
    by_agency = [
        grade_row(a, agencies.get(a, a), [grid[c][a] for c in grid if a in grid[c]])
        for a in agency_ids
    ]
    cases, consult = _ma_cases(findings, grid, agency_ids)
    agreed = grade_row(audit_id, scope.title, [c["agreed_grade"] for c in cases])
    acts = [action_row(a, today) for a in findings.actions] if findings else []
    for a in acts:
        a["owner_name"] = agencies.get(a["owner"]) or person(a["owner"], names)
    meta = _meta(
        repo,
        today,
        id=audit_id,
        title=scope.title,
        cohort=scope.cohort,
        lead=person(scope.lead, names),
    )
    ctx: dict[str, Any] = {
        "meta": meta,
        "scope": _ma_scope_block(scope, agencies, names),
        "returns": {
            "in": sum(1 for r in returns if r.status == "returned"),
            "expected": len(scope.cases) * len(scope.agencies),
        },
        "agreed": plain(agreed),
        "grades": grade_counts(agreed),
        "by_agency": plain(by_agency),
        "agency_names": [agencies.get(a, a) for a in agency_ids],
        "cases": cases,
        "consultation": {**{k: consult[k] for k in CONSULTED}, "cases": len(cases)},
        "practitioners": _ma_practitioners(returns, agencies),
        **_ma_findings(findings),
        "actions": acts,
        "reviews": _ma_reviews(findings),
    }
    return Report(
        "multi-agency",
        f"reports/multi-agency-{audit_id}",
        "multi-agency",
        "multi-agency.md.j2",
        ctx,
        _ma_workbook(ctx, scope, agreed, by_agency),
        invalid_notes(repo),
    )


_MA_ACTION_COLUMNS: list[Column] = [
    ("Action", "id"),
    ("What", "action"),
    ("Owner", "owner_name"),
    ("Due", "due"),
    ("Status", "status"),
    ("Days overdue", days_overdue),
]


def _ma_case_columns(agency_names: list[str]) -> list[Column]:
    return [
        ("Case", "case"),
        ("Agreed grade", lambda c: GRADE_NAMES[c["agreed_grade"]]),
        *[
            (name, lambda c, i=i: GRADE_NAMES.get(c["agency_grades"][i], ""))
            for i, name in enumerate(agency_names)
        ],
        ("Child consulted", "child"),
        ("Parents consulted", "parents"),
        ("Social worker consulted", "social_worker"),
        ("Summary", "summary"),
    ]


def _ma_workbook(
    ctx: dict[str, Any], scope: MultiAgencyScope, agreed: GradeRow, by_agency: list[GradeRow]
) -> dict[str, Any]:
    meta = ctx["meta"]
    by_agency_columns: list[Column] = [("Agency", lambda b: b.label), *by_grade(lambda b: b.counts)]
    return {
        "title": f"Multi-agency audit: {scope.title}",
        "lines": [meta["organisation"], f"Audit {meta['id']}, cohort {scope.cohort}"],
        "facts": [
            ["Cases", len(scope.cases)],
            ["Agencies", len(scope.agencies)],
            ["Agency returns in", ctx["returns"]["in"]],
            ["Feedback given to practitioners", ctx["practitioners"]["given"]],
            ["Good or better (agreed)", plain(agreed.good_or_better), "percent"],
        ],
        "tables": [
            grade_table("Agreed grades", ctx["grades"]),
            table(
                "Grades by agency",
                by_agency_columns,
                by_agency,
                chart("Grades by agency", "Cases", last=4),
            ),
        ],
        "sheets": [
            sheet(
                "Cases",
                _ma_case_columns(ctx["agency_names"]),
                ctx["cases"],
                grades=["Agreed grade", *ctx["agency_names"]],
            ),
            sheet("Action plan", _MA_ACTION_COLUMNS, ctx["actions"]),
            sheet(
                "Practitioner feedback",
                [("Agency", "agency"), ("Feedback given", "given"), ("Returns in", "returned")],
                ctx["practitioners"]["by_agency"],
            ),
            sheet(
                "Findings",
                [("Kind", 0), ("Text", 1)],
                [("Key outcome", t) for t in ctx["key_outcomes"]]
                + [("Learning", t) for t in ctx["learning"]]
                + [("Recommendation", t) for t in ctx["recommendations"]],
            ),
        ],
    }


# --- complaints -----------------------------------------------------------------------------


def _complaint_row(c: Complaint, teams: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    a = c.answers
    taken = a.get("actions-taken") or []
    return {
        "ref": c.ref,
        "team": teams[c.team].name if c.team in teams else c.team,
        "manager": person(c.manager, names),
        "date": c.date.isoformat(),
        "responded": c.responded.isoformat() if c.responded else "",
        "days": (c.responded - c.date).days if c.responded else None,
        "complainant": str(a.get("complainant") or "").replace("_", " "),
        "outcome": str(a.get("outcome") or "not recorded").replace("_", " "),
        "actions": ", ".join(
            str(t).replace("_", " ") for t in (taken if isinstance(taken, list) else [taken])
        ),
        "lessons": " ".join(str(a.get("lessons-learned") or "").split()),
        "level": c.level or "",
    }


def _complaint_counts(items: list[Complaint]) -> tuple[Counter[str], Counter[str], float]:
    """Complaints by outcome, actions taken, and the compensation paid."""
    outcomes: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    cost = 0.0
    for c in items:
        a = c.answers
        outcomes[str(a.get("outcome") or "not recorded")] += 1
        taken = a.get("actions-taken") or []
        for t in taken if isinstance(taken, list) else [taken]:
            actions[str(t)] += 1
        if isinstance(a.get("compensation-cost"), int | float):
            cost += float(a["compensation-cost"])
    return outcomes, actions, cost


def build_complaints(repo: Repository, year: int, today: dt.date) -> Report:
    check_year(year)
    names = staff_names(repo)
    teams = repo.config.team_by_id() if repo.config else {}
    every = [c for c in repo.models(Complaint) if c.date.year == year]
    items = [c for c in every if not c.blank]  # a just-created form is not a complaint handled
    compliments = [
        x for log in repo.models(ComplimentsLog) if log.year == year for x in log.compliments
    ]
    if not items:
        raise QAError(
            f"no complaint is recorded for {year} (complaints/{year}/ holds none)",
            "check the year, or add the year's lessons-learned forms (see `qa new --help`)",
        )
    items.sort(key=lambda c: (c.date, c.ref))
    outcomes, actions, cost = _complaint_counts(items)
    rows = [_complaint_row(c, teams, names) for c in items]
    by_team = Counter(r["team"] for r in rows)
    days = [r["days"] for r in rows if r["days"] is not None]
    ctx: dict[str, Any] = {
        "meta": _meta(repo, today, year=year),
        "total": len(rows),
        "outcomes": [
            {"name": k.replace("_", " "), "count": v} for k, v in sorted(outcomes.items())
        ],
        "actions": [{"name": k.replace("_", " "), "count": v} for k, v in actions.most_common()],
        "compensation": cost,
        "by_team": [{"team": k, "count": v} for k, v in sorted(by_team.items())],
        "median_days": sorted(days)[len(days) // 2] if days else None,
        "complaints": rows,
        "not_started": len(every) - len(items),
        # §4.5.2: the log of level 2 complaints and above
        "level_2_plus": [r for r in rows if isinstance(r["level"], int) and r["level"] >= 2],
        "at_level_2_plus": sum(1 for r in rows if isinstance(r["level"], int) and r["level"] >= 2),
        # §4.5.1: compliments, by team
        "compliments": len(compliments),
        "compliments_by_team": [
            {"team": teams[k].name if k in teams else k, "count": v}
            for k, v in sorted(Counter(x.team for x in compliments).items())
        ],
    }
    return Report(
        "complaints",
        f"reports/{year}",
        "complaints",
        "complaints.md.j2",
        ctx,
        _complaints_workbook(ctx),
        invalid_notes(repo),
    )


_COMPLAINT_COLUMNS: list[Column] = [
    ("Ref", "ref"),
    ("Team", "team"),
    ("Manager", "manager"),
    ("Date", "date"),
    ("Responded", "responded"),
    ("Days", "days"),
    ("Complainant", "complainant"),
    ("Outcome", "outcome"),
    ("Actions", "actions"),
    ("Lessons learned", "lessons"),
]


def _complaints_workbook(ctx: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": f"Lessons learned from complaints, {ctx['meta']['year']}",
        "lines": [ctx["meta"]["organisation"]],
        "facts": [
            ["Complaints", ctx["total"]],
            ["Level 2 and above", ctx["at_level_2_plus"]],
            ["Compliments", ctx["compliments"]],
            ["Compensation (£)", ctx["compensation"]],
            ["Median days to respond", ctx["median_days"]],
        ],
        "tables": [
            table(
                "Outcomes",
                [("Outcome", "name"), ("Complaints", "count")],
                ctx["outcomes"],
                chart("Outcomes", "Complaints"),
            ),
            table("Actions taken", [("Action", "name"), ("Complaints", "count")], ctx["actions"]),
        ],
        "sheets": [sheet("Complaints", _COMPLAINT_COLUMNS, ctx["complaints"])],
    }


# --- practice observations ------------------------------------------------------------------


def _observation_row(
    o: Observation, due: dt.date, today: dt.date, names: dict[str, str]
) -> dict[str, Any]:
    return {
        "social_worker": person(o.social_worker, names),
        "observer": person(o.observer, names),
        "team": o.team,
        "observed": o.observed.isoformat(),
        "consent": "yes" if o.consent_written and o.consent_verbal == "yes" else "no",
        "feedback_due": due.isoformat(),
        "feedback_written": o.feedback_written.isoformat() if o.feedback_written else "",
        "on_time": o.feedback_written is not None and o.feedback_written <= due,
        "overdue": o.feedback_written is None and today > due,
        "setting": str(o.answers.get("setting") or "").replace("_", " "),
        "signed": "yes" if o.observer_signed and o.social_worker_signed else "no",
        "standards": len(o.standards),
    }


def _observation_rows(
    obs: list[Observation], feedback_days: int, today: dt.date, names: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One row per observation, and per observer: completed, feedback on time, awaiting."""
    rows: list[dict[str, Any]] = []
    by_observer: dict[str, dict[str, int]] = {}
    for o in obs:
        row = _observation_row(o, add_working_days(o.observed, feedback_days), today, names)
        s = by_observer.setdefault(o.observer, {"completed": 0, "on_time": 0, "awaiting": 0})
        s["completed"] += 1
        s["on_time"] += row["on_time"]
        s["awaiting"] += o.feedback_written is None
        rows.append(row)
    managers = [{"observer": person(k, names), **v} for k, v in sorted(by_observer.items())]
    return rows, managers


def build_observations(repo: Repository, year: int, today: dt.date) -> Report:
    check_year(year)
    cfg = repo.config
    names = staff_names(repo)
    per_year = cfg.due.observations_per_year if cfg else 2
    feedback_days = cfg.due.observation_feedback_working_days if cfg else 10
    every = [o for o in repo.models(Observation) if o.observed.year == year]
    # a blank, just-created observation is not one done (issue 13): listed, never counted
    obs = [o for o in every if not o.blank]
    obs.sort(key=lambda o: (o.observed, o.social_worker))
    rows, managers = _observation_rows(obs, feedback_days, today, names)
    workers = [s for s in (cfg.staff if cfg else []) if "social_worker" in s.roles and s.active]
    counts = Counter(o.social_worker for o in obs)
    coverage = [
        {
            "social_worker": s.name,
            "team": s.team or "",
            "observed": counts.get(s.id, 0),
            "met": counts.get(s.id, 0) >= per_year,
        }
        for s in workers
    ]
    ctx: dict[str, Any] = {
        "meta": _meta(repo, today, year=year, per_year=per_year, feedback_days=feedback_days),
        "total": len(rows),
        "not_started": len(every) - len(obs),
        "managers": managers,
        "coverage": coverage,
        "social_workers": len(coverage),
        "met": sum(1 for c in coverage if c["met"]),
        "observations": rows,
    }
    return Report(
        "observations",
        f"reports/{year}",
        "observations",
        "observations.md.j2",
        ctx,
        _observations_workbook(ctx),
        invalid_notes(repo),
    )


_OBSERVATION_COLUMNS: list[Column] = [
    ("Social worker", "social_worker"),
    ("Observer", "observer"),
    ("Team", "team"),
    ("Observed", "observed"),
    ("Setting", "setting"),
    ("Consent", "consent"),
    ("Feedback due", "feedback_due"),
    ("Written feedback", "feedback_written"),
]
_MANAGER_COLUMNS: list[Column] = [
    ("Manager", "observer"),
    ("Completed", "completed"),
    ("Feedback on time", "on_time"),
    ("Awaiting feedback", "awaiting"),
]
_COVERAGE_COLUMNS: list[Column] = [
    ("Social worker", "social_worker"),
    ("Team", "team"),
    ("Observed", "observed"),
    ("Met", lambda c: "yes" if c["met"] else "no"),
]


def _observations_workbook(ctx: dict[str, Any]) -> dict[str, Any]:
    meta = ctx["meta"]
    return {
        "title": f"Practice observations, {meta['year']}",
        "lines": [meta["organisation"]],
        "facts": [
            ["Observations", ctx["total"]],
            ["Blank, not yet started (not counted)", ctx["not_started"]],
            ["Social workers", ctx["social_workers"]],
            part_of(
                f"Observed at least {meta['per_year']} times", ctx["met"], ctx["social_workers"]
            ),
        ],
        "tables": [
            table(
                "Completed per manager",
                _MANAGER_COLUMNS,
                ctx["managers"],
                chart("Observations per manager", "Observations"),
            )
        ],
        "sheets": [
            sheet("Observations", _OBSERVATION_COLUMNS, ctx["observations"]),
            sheet("Coverage", _COVERAGE_COLUMNS, ctx["coverage"]),
        ],
    }
