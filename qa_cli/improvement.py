"""`qa new` for the improvement plans as records: a report's plan, a team review, an overview.

* ``improvement-plan``: the recommendations of the monthly report (§5.2.5) or, with
  ``--theme``, of a themed report (§5.3.2), one tracked item each, seeded from what the report
  recommends (the Lead's ``recommendations.md`` bullets or the scope's list, else the report's
  draft), with an owner and a due date to agree. The report reads the plan; nothing rewrites it.
* ``team-review``: the six-monthly structured review of a team (§6.2-6.4), for the half-year
  ending ``--month``: priorities, individuals needing support, team sessions, referrals to
  Service Development.
* ``team-overview``: the Team Manager's overview of the team's audits of ``--month`` (App. D),
  listing the cases the sample allocated to the team, with each one's grade as a comment.

Each maker returns (path, text); `qa new` checks the text against its model and writes it only
when the file is missing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import layout
from .blank import checked, comment, scalar
from .errors import QAError
from .masking import masked
from .models.config import Config
from .models.sample import Sample
from .repository import Repository

_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.+?)\s*$")


@dataclass(frozen=True)
class RecordRequest:
    repo: Repository
    today: dt.date
    month: str
    theme: str | None = None
    team: str | None = None
    auditors: Sequence[str] = ()

    @property
    def config(self) -> Config:
        return self.repo.config

    def staff_id(self, sid: str, option: str = "--auditor") -> str:
        if sid not in self.config.staff_by_id():
            raise QAError(
                f"{option}: {masked(sid)} is not a staff id in qa.yaml",
                "give a staff id listed under staff: in qa.yaml",
            )
        return sid

    def with_role(self, role: str, service: str | None = None) -> str | None:
        for s in self.config.staff:
            if s.active and role in s.roles and (service is None or service in s.expertise):
                return s.id
        return None

    def the_team(self, what: str) -> str:
        if self.team is None:
            raise QAError(f"{what} needs --team", "give the team id from qa.yaml with --team")
        if self.team not in self.config.team_by_id():
            raise QAError(f"--team: {masked(self.team)} is not a team in qa.yaml", "see teams:")
        return self.team


def _shift(month: str, delta: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# --- a report's improvement plan (§5.2.5, §5.3.2) ---------------------------------------------


def bullets(markdown: str) -> list[str]:
    """The bullet or numbered lines of the Lead's recommendations.md, as items."""
    return [m[1] for line in markdown.splitlines() if (m := _BULLET.match(line))]


def report_recommendations(r: RecordRequest) -> list[str]:
    """What the report recommends: the Lead's own words when written, else its draft."""
    if r.theme is None:
        from .reports.monthly import build_monthly

        rec = build_monthly(r.repo, r.month, r.today).context["recommendations"]
        written = bullets(rec["text"]) if rec["written"] else []
        return written or list(rec["draft"])
    from .reports.themed import build_themed

    ctx = build_themed(r.repo, theme=r.theme, month=r.month, today=r.today).context
    return list(ctx["recommendations"]["list"])


def plan_text(r: RecordRequest, lead: str, owner: str, items: list[str]) -> str:
    report = "themed" if r.theme else "monthly"
    due = r.today + dt.timedelta(days=r.config.due.action_default_days)
    lines = comment(
        f"Improvement plan of the {report} report of {r.month} (§5.2.5, §5.3.2): each "
        "recommendation is a tracked item, progressed by its owner (Practice Mentors and Team "
        "Managers) and verified by the QA team. Written once by `qa new`; the report reads "
        "this file and never writes it. Agree each owner and due date, then commit."
    )
    lines += ["schema: qa/improvement@1", f"report: {report}", f"month: {r.month}"]
    lines += [f"theme: {r.theme}"] if r.theme else []
    lines += [f"lead: {lead}", "recommendations:"]
    for i, text in enumerate(items, 1):
        lines += [
            f"  - id: R{i}",
            f"    action: {scalar(text)}",
            f"    owner: {owner}",
            f"    due: {due.isoformat()}",
            "    status: open",
        ]
    if not items:
        lines[-1] = "recommendations: []"
    return "\n".join(lines) + "\n"


def new_plan(r: RecordRequest) -> tuple[str, str]:
    lead = r.with_role("qa_lead") or r.with_role("qa_auditor")
    lead = r.staff_id(r.auditors[0]) if r.auditors else lead
    if lead is None:
        raise QAError("nobody in qa.yaml has the qa_lead role", "give the owner with --auditor")
    items = report_recommendations(r)
    return layout.improvement_path(r.month, r.theme), plan_text(r, lead, lead, items)


# --- the six-monthly team review (§6.2-6.4) ---------------------------------------------------


def team_review_text(r: RecordRequest, team: str, tm: str, sm: str, lead: str | None) -> str:
    lines = comment(
        f"Six-monthly structured review of {team}'s quality assurance (§6.2-6.4), "
        f"{_shift(r.month, -5)} to {r.month}. Read `qa report team` for the half-year first. "
        "Set `status: agreed` once the review is held and its priorities are agreed."
    )
    lines += [
        "schema: qa/team-review@1",
        f"team: {team}",
        f"first_month: {_shift(r.month, -5)}",
        f"last_month: {r.month}",
        f"team_manager: {tm}",
        f"service_manager: {sm}",
        *([f"lead_auditor: {lead}"] if lead else []),
        *comment("The date of the review meeting:"),
        "held:",
        "status: draft",
        *comment("§6.3: the key priorities for focused attention, one line each"),
        "priorities: []",
        *comment(
            "§6.4: individuals who need additional support, direction, guidance or training; "
            "each an item: id, worker, action, owner, due, status: open"
        ),
        "support: []",
        *comment("§6.4: a session or two with the team on the practice problem (items)"),
        "team_sessions: []",
        *comment(
            "§6.4: areas referred to Service Development (procedures, guidance, resources, "
            "training, induction, appraisal), as items"
        ),
        "service_development: []",
        *comment("The day the Service Manager discussed them with the AD Service Development:"),
        "discussed_with_ad:",
    ]
    return "\n".join(lines) + "\n"


def new_team_review(r: RecordRequest) -> tuple[str, str]:
    team = r.the_team("a team review")
    t = r.config.team_by_id()[team]
    tm = r.staff_id(r.auditors[0]) if r.auditors else t.manager
    sm = r.with_role("service_manager", t.service)
    if tm is None or sm is None:
        raise QAError(
            f"qa.yaml names no Team Manager or Service Manager for {team}",
            "give the Team Manager with --auditor, and a Service Manager with the team's "
            "service in their expertise in qa.yaml",
        )
    text = team_review_text(r, team, tm, sm, r.with_role("qa_lead"))
    return layout.team_review_path(r.month, team), text


# --- the Team Manager's overview of the team's audits (App. D) --------------------------------


def _case_lines(r: RecordRequest, team: str) -> list[str]:
    """The cases the month's sample allocated to the team, each with its grade as a comment."""
    cases = [
        a.case
        for s in r.repo.models(Sample)
        if s.month == r.month and s.programme == "single-agency"
        for a in s.allocations
        if a.team == team
    ]
    if not cases:
        raise QAError(
            f"the sample of {r.month} allocated no case to {team}",
            "give the month of a drawn sample (`qa sample --month`) and a team it covers",
        )
    grades = {
        m.case: (m.overall_grade or m.status).replace("_", " ")
        for lf, m in r.repo.audits()
        if lf.rel.startswith(f"audits/{r.month}/")
    }
    out = ["cases:"]
    for case in cases:
        out.append(f"  - {case}  # {grades.get(case, 'no return yet')}")
    return out


def team_overview_text(r: RecordRequest, team: str, tm: str) -> str:
    lines = comment(
        f"Team Manager's overview of all the findings of {team}'s audits of {r.month} (App. "
        "D): write it, report it to the Service Manager, and hold a planned exercise or "
        "discussion with the team. Set `status: completed` when the overview is written."
    )
    lines += [
        "schema: qa/team-overview@1",
        f"team: {team}",
        f"month: {r.month}",
        f"team_manager: {tm}",
        "status: draft",
        *_case_lines(r, team),
        *comment("The common findings across these audits, strengths and what to improve:"),
        "findings:",
        "reported_to_service_manager:",
        "team_exercise:",
        "  planned:",
        "  held:",
        *comment("Actions for the team (id, action, owner, due, status: open):"),
        "actions: []",
    ]
    return "\n".join(lines) + "\n"


def new_team_overview(r: RecordRequest) -> tuple[str, str]:
    team = r.the_team("a Team Manager's overview")
    tm = r.staff_id(r.auditors[0]) if r.auditors else r.config.team_by_id()[team].manager
    if tm is None:
        raise QAError(f"qa.yaml names no manager for {team}", "give the Team Manager: --auditor")
    text = team_overview_text(r, team, tm)
    return layout.team_overview_path(r.month, team), text


# What `qa new` makes that is not a return of a tool: one line per record kind.
NEW_RECORD: dict[str, Callable[[RecordRequest], tuple[str, str]]] = {
    "improvement-plan": new_plan,
    "team-review": new_team_review,
    "team-overview": new_team_overview,
}


def new_record(repo: Repository, name: str, request: RecordRequest) -> tuple[str, str]:
    """(path, text) of the new record ``name``, checked against its model; nothing written."""
    rel, text = NEW_RECORD[name](request)
    if any(f.rel == rel for f in repo.files) or (repo.root / rel).exists():
        raise QAError(
            f"{rel} already exists; it was left as it was",
            "nothing is overwritten: edit the file, or move it away to start again",
            exit_code=1,
        )
    return rel, checked(rel, text)
