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
from ..models.common import GRADE_NAMES, GRADES
from ..models.complaint import Complaint, ComplimentsLog
from ..models.multi_agency import AgencyReturn, MultiAgencyFindings, MultiAgencyScope
from ..models.observation import Observation
from ..repository import Repository
from . import Report, plain
from .collate import action_row, grade_row, invalid_files
from .common import check_year, grade_table, person, staff_names

# Who a multi-agency audit consults to triangulate its findings (§5.4.1, App. E 7).
CONSULTED = ("child", "parents", "social_worker", "team_manager")


def _meta(repo: Repository, today: dt.date, **extra: Any) -> dict[str, Any]:
    cfg = repo.config
    return {
        "organisation": cfg.organisation if cfg else "",
        "department": cfg.department if cfg else "",
        "as_of": today.isoformat(),
        **extra,
    }


def _notes(repo: Repository) -> list[str]:
    return [
        f"{p} could not be read and was left out (run `qa validate`)" for p in invalid_files(repo)
    ]


# --- multi-agency ---------------------------------------------------------------------------


def build_multi_agency(repo: Repository, audit_id: str, today: dt.date) -> Report:
    scopes = {m.id: (f.rel, m) for f, m in repo.entries(MultiAgencyScope)}
    if audit_id not in scopes:
        raise QAError(
            f"there is no multi-agency audit {masked(audit_id)} in multi-agency/",
            "multi-agency audits in this repository: " + (", ".join(sorted(scopes)) or "none yet"),
        )
    rel, scope = scopes[audit_id]
    folder = str(PurePosixPath(rel).parent) + "/"
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
    cases: list[dict[str, Any]] = []
    consult: Counter[str] = Counter()
    if findings is not None:
        for cf in findings.cases:
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
    agreed = grade_row(audit_id, scope.title, [c["agreed_grade"] for c in cases])
    acts = [action_row(a, today) for a in findings.actions] if findings else []
    for a in acts:
        a["owner_name"] = agencies.get(a["owner"]) or person(a["owner"], names)
    ctx: dict[str, Any] = {
        "meta": _meta(
            repo,
            today,
            id=audit_id,
            title=scope.title,
            cohort=scope.cohort,
            lead=person(scope.lead, names),
        ),
        "scope": {
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
        },
        "returns": {
            "in": sum(1 for r in returns if r.status == "returned"),
            "expected": len(scope.cases) * len(scope.agencies),
        },
        "agreed": plain(agreed),
        "grades": [{"grade": g, "name": GRADE_NAMES[g], "count": agreed.counts[g]} for g in GRADES],
        "by_agency": plain(by_agency),
        "agency_names": [agencies.get(a, a) for a in agency_ids],
        "cases": cases,
        "consultation": {k: consult[k] for k in CONSULTED},
        "findings": findings is not None,
        "key_outcomes": list(findings.key_outcomes) if findings else [],
        "learning": list(findings.learning) if findings else [],
        "recommendations": list(findings.recommendations) if findings else [],
        "actions": acts,
        "reviews": [
            {
                "months": r.months,
                "due": r.due.isoformat(),
                "done": r.done.isoformat() if r.done else "",
                "note": r.note or "",
            }
            for r in (findings.reviews if findings else [])
        ],
    }
    workbook = {
        "title": f"Multi-agency audit: {scope.title}",
        "lines": [ctx["meta"]["organisation"], f"Audit {audit_id}, cohort {scope.cohort}"],
        "facts": [
            ["Cases", len(scope.cases)],
            ["Agencies", len(scope.agencies)],
            ["Agency returns in", ctx["returns"]["in"]],
            ["Good or better (agreed)", agreed.good_or_better.value, "percent"],
        ],
        "tables": [
            grade_table("Agreed grades", ctx["grades"]),
            {
                "title": "Grades by agency",
                "columns": ["Agency", *[GRADE_NAMES[g] for g in GRADES]],
                "rows": [[b.label, *[b.counts[g] for g in GRADES]] for b in by_agency],
                "chart": {
                    "type": "bar",
                    "title": "Grades by agency",
                    "y_title": "Cases",
                    "first": 1,
                    "last": 4,
                },
            },
        ],
        "sheets": [
            {
                "name": "Cases",
                "columns": [
                    "Case",
                    "Agreed grade",
                    *ctx["agency_names"],
                    "Child consulted",
                    "Parents consulted",
                    "Social worker consulted",
                    "Summary",
                ],
                "rows": [
                    [
                        c["case"],
                        GRADE_NAMES[c["agreed_grade"]],
                        *[GRADE_NAMES.get(g, "") for g in c["agency_grades"]],
                        c["child"],
                        c["parents"],
                        c["social_worker"],
                        c["summary"],
                    ]
                    for c in cases
                ],
                "grades": ["Agreed grade", *ctx["agency_names"]],
            },
            {
                "name": "Action plan",
                "columns": ["Action", "What", "Owner", "Due", "Status", "Days overdue"],
                "rows": [
                    [
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
                "name": "Findings",
                "columns": ["Kind", "Text"],
                "rows": [["Key outcome", t] for t in ctx["key_outcomes"]]
                + [["Learning", t] for t in ctx["learning"]]
                + [["Recommendation", t] for t in ctx["recommendations"]],
            },
        ],
    }
    return Report(
        "multi-agency",
        f"reports/multi-agency-{audit_id}",
        "multi-agency",
        "multi-agency.md.j2",
        ctx,
        workbook,
        _notes(repo),
    )


# --- complaints -----------------------------------------------------------------------------


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
    outcomes: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    cost = 0.0
    rows: list[dict[str, Any]] = []
    for c in items:
        assert isinstance(c, Complaint)
        a = c.answers
        outcome = str(a.get("outcome") or "not recorded")
        outcomes[outcome] += 1
        taken = a.get("actions-taken") or []
        for t in taken if isinstance(taken, list) else [taken]:
            actions[str(t)] += 1
        if isinstance(a.get("compensation-cost"), int | float):
            cost += float(a["compensation-cost"])
        rows.append(
            {
                "ref": c.ref,
                "team": teams[c.team].name if c.team in teams else c.team,
                "manager": person(c.manager, names),
                "date": c.date.isoformat(),
                "responded": c.responded.isoformat() if c.responded else "",
                "days": (c.responded - c.date).days if c.responded else None,
                "complainant": str(a.get("complainant") or "").replace("_", " "),
                "outcome": outcome.replace("_", " "),
                "actions": ", ".join(
                    str(t).replace("_", " ")
                    for t in (taken if isinstance(taken, list) else [taken])
                ),
                "lessons": " ".join(str(a.get("lessons-learned") or "").split()),
                "level": c.level or "",
            }
        )
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
        # §4.5.1: compliments, by team
        "compliments": len(compliments),
        "compliments_by_team": [
            {"team": teams[k].name if k in teams else k, "count": v}
            for k, v in sorted(Counter(x.team for x in compliments).items())
        ],
    }
    workbook = {
        "title": f"Lessons learned from complaints, {year}",
        "lines": [ctx["meta"]["organisation"]],
        "facts": [
            ["Complaints", len(rows)],
            ["Level 2 and above", len(ctx["level_2_plus"])],
            ["Compliments", len(compliments)],
            ["Compensation (£)", cost],
            ["Median days to respond", ctx["median_days"]],
        ],
        "tables": [
            {
                "title": "Outcomes",
                "columns": ["Outcome", "Complaints"],
                "rows": [[o["name"], o["count"]] for o in ctx["outcomes"]],
                "chart": {
                    "type": "bar",
                    "title": "Outcomes",
                    "y_title": "Complaints",
                    "first": 1,
                    "last": 1,
                },
            },
            {
                "title": "Actions taken",
                "columns": ["Action", "Complaints"],
                "rows": [[o["name"], o["count"]] for o in ctx["actions"]],
                "chart": None,
            },
        ],
        "sheets": [
            {
                "name": "Complaints",
                "columns": [
                    "Ref",
                    "Team",
                    "Manager",
                    "Date",
                    "Responded",
                    "Days",
                    "Complainant",
                    "Outcome",
                    "Actions",
                    "Lessons learned",
                ],
                "rows": [
                    [
                        r["ref"],
                        r["team"],
                        r["manager"],
                        r["date"],
                        r["responded"],
                        r["days"],
                        r["complainant"],
                        r["outcome"],
                        r["actions"],
                        r["lessons"],
                    ]
                    for r in rows
                ],
            }
        ],
    }
    return Report(
        "complaints",
        f"reports/{year}",
        "complaints",
        "complaints.md.j2",
        ctx,
        workbook,
        _notes(repo),
    )


# --- practice observations ------------------------------------------------------------------


def build_observations(repo: Repository, year: int, today: dt.date) -> Report:
    check_year(year)
    cfg = repo.config
    names = staff_names(repo)
    per_year = cfg.due.observations_per_year if cfg else 2
    feedback_days = cfg.due.observation_feedback_working_days if cfg else 10
    every = [o for o in repo.models(Observation) if o.observed.year == year]
    # a blank, just-created observation is not one done (issue 13): listed, never counted
    obs = [o for o in every if not o.blank]
    not_started = len(every) - len(obs)
    obs.sort(key=lambda o: (o.observed, o.social_worker))
    rows: list[dict[str, Any]] = []
    by_observer: dict[str, dict[str, int]] = {}
    for o in obs:
        assert isinstance(o, Observation)
        due = add_working_days(o.observed, feedback_days)
        on_time = o.feedback_written is not None and o.feedback_written <= due
        late_open = o.feedback_written is None and today > due
        s = by_observer.setdefault(o.observer, {"completed": 0, "on_time": 0, "awaiting": 0})
        s["completed"] += 1
        s["on_time"] += on_time
        s["awaiting"] += o.feedback_written is None
        rows.append(
            {
                "social_worker": person(o.social_worker, names),
                "observer": person(o.observer, names),
                "team": o.team,
                "observed": o.observed.isoformat(),
                "consent": "yes" if o.consent_written and o.consent_verbal == "yes" else "no",
                "feedback_due": due.isoformat(),
                "feedback_written": o.feedback_written.isoformat() if o.feedback_written else "",
                "on_time": on_time,
                "overdue": late_open,
                "setting": str(o.answers.get("setting") or "").replace("_", " "),
                "signed": "yes" if o.observer_signed and o.social_worker_signed else "no",
                "standards": len(o.standards),
            }
        )
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
    managers = [{"observer": person(k, names), **v} for k, v in sorted(by_observer.items())]
    ctx: dict[str, Any] = {
        "meta": _meta(repo, today, year=year, per_year=per_year, feedback_days=feedback_days),
        "total": len(rows),
        "not_started": not_started,
        "managers": managers,
        "coverage": coverage,
        "met": sum(1 for c in coverage if c["met"]),
        "observations": rows,
    }
    workbook = {
        "title": f"Practice observations, {year}",
        "lines": [ctx["meta"]["organisation"]],
        "facts": [
            ["Observations", len(rows)],
            ["Blank, not yet started (not counted)", not_started],
            ["Social workers", len(coverage)],
            [f"Observed at least {per_year} times", ctx["met"]],
        ],
        "tables": [
            {
                "title": "Completed per manager",
                "columns": ["Manager", "Completed", "Feedback on time", "Awaiting feedback"],
                "rows": [
                    [m["observer"], m["completed"], m["on_time"], m["awaiting"]] for m in managers
                ],
                "chart": {
                    "type": "bar",
                    "title": "Observations per manager",
                    "y_title": "Observations",
                    "first": 1,
                    "last": 1,
                },
            }
        ],
        "sheets": [
            {
                "name": "Observations",
                "columns": [
                    "Social worker",
                    "Observer",
                    "Team",
                    "Observed",
                    "Setting",
                    "Consent",
                    "Feedback due",
                    "Written feedback",
                ],
                "rows": [
                    [
                        r["social_worker"],
                        r["observer"],
                        r["team"],
                        r["observed"],
                        r["setting"],
                        r["consent"],
                        r["feedback_due"],
                        r["feedback_written"],
                    ]
                    for r in rows
                ],
            },
            {
                "name": "Coverage",
                "columns": ["Social worker", "Team", "Observed", "Met"],
                "rows": [
                    [c["social_worker"], c["team"], c["observed"], "yes" if c["met"] else "no"]
                    for c in coverage
                ],
            },
        ],
    }
    return Report(
        "observations",
        f"reports/{year}",
        "observations",
        "observations.md.j2",
        ctx,
        workbook,
        _notes(repo),
    )
