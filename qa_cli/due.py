"""What is due and overdue, by person: the items the QA team chases (App. D, App. B, App. E).

``due_items(repo, today)`` gathers every outstanding item of the repository with its due date,
worked out by the rules of ``qa.yaml`` (``due:``, class :class:`~qa_cli.models.config.DueRules`):

* ``safeguarding_concern``: a child found at risk while auditing, until acknowledged; always
  first, whatever its date.
* ``return``: an allocated return not yet in (single-agency, themed, agency returns of a
  multi-agency audit, and sample allocations whose file is missing). A return allocated to a
  pair gives one item per auditor: each is accountable (App. D); count distinct ``path`` for
  the number of returns.
* ``qa_review``: a Requires Improvement / Inadequate return, or one drawn for moderation,
  not yet reviewed by the QA team.
* ``outcome``: the Service Manager's outcome of a forwarded RI / Inadequate return, then the
  Assistant Director's (§5.2.2); Inadequate runs on the shorter clock.
* ``concern_outcome``: what came of a safeguarding concern (strategy discussion, S47...), until
  recorded; listed with the concerns at the top.
* ``audit_feedback``: each step of the feedback to practice (§5.2.3, App. D): sent, uploaded
  to the case record, discussed in supervision, reviewed by the Service Manager; and a
  multi-agency return's feedback to the practitioner by the agency auditor (App. E 7).
* ``action``: an action open on its due date; an action done but not yet verified (for the
  QA team to verify).
* ``re_audit``: an action plan's re-audit date, until the case has been audited again.
* ``feedback``: written feedback after a practice observation.
* ``observation``: a social worker observed fewer times this year than the rule asks.
* ``crib_sheet``: a crib-sheet session not held.
* ``multi_agency_review``: a 6 / 12-month review of a multi-agency action plan.
* ``monitoring``: an IRO / CP Chair monitoring form or mid-point review not completed, or not
  sent to the managers (§4.3.2-4.3.3); ``dispute``: an open dispute on a care plan (§4.3.4).
* ``themed_audit``: the next themed audit, ``themed_every_months`` (2) after the last (§5.3.1).
* ``team_overview``: a Team Manager's overview of the team's audits of a month, its report to
  the Service Manager and the team exercise (App. D); months without an overview are chased
  from the first month that has one.
* ``team_review``: a six-monthly team review still in draft, and the next review of each team
  ``team_review_every_months`` (6) after the last (§6.2-6.4).
* The recommendations of an improvement plan and the items of a team review or overview are
  actions (``action``), like those of returns.

Items not yet due are included (``days_overdue <= 0``); callers choose the horizon.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from .calendar import add_months, add_working_days, due_after_months, month_end
from .layout import observations_folder
from .models.common import BELOW_GOOD
from .models.config import MANAGER_ROLES, QA_ROLES, Config, DueRules
from .models.crib_sheet import CribSheet
from .models.multi_agency import AgencyReturn, MultiAgencyFindings, MultiAgencyScope
from .models.observation import Observation
from .models.sample import Sample
from .repository import LoadedFile, Repository

KINDS: tuple[str, ...] = (
    "safeguarding_concern",
    "concern_outcome",
    "return",
    "qa_review",
    "outcome",
    "audit_feedback",
    "action",
    "re_audit",
    "feedback",
    "observation",
    "crib_sheet",
    "multi_agency_review",
    "themed_audit",
    "monitoring",
    "dispute",
    "team_overview",
    "team_review",
)
KIND_NAMES = {
    "safeguarding_concern": "Safeguarding concern",
    "return": "Return",
    "qa_review": "QA review",
    "concern_outcome": "Safeguarding concern outcome",
    "outcome": "Manager's outcome",
    "audit_feedback": "Feedback to practice",
    "action": "Action",
    "re_audit": "Re-audit",
    "feedback": "Observation feedback",
    "observation": "Practice observation",
    "crib_sheet": "Crib sheet",
    "multi_agency_review": "Multi-agency plan review",
    "themed_audit": "Themed audit",
    "monitoring": "Monitoring form",
    "dispute": "Care plan dispute",
    "team_overview": "Team Manager's overview",
    "team_review": "Team review",
}


@dataclass(frozen=True)
class DueItem:
    kind: str  # one of KINDS
    person: str | None  # staff id responsible (or agency id for multi-agency actions)
    team: str | None
    due: datetime.date
    days_overdue: int  # > 0 overdue by that many calendar days; <= 0 not yet due
    path: str  # repository-relative file
    ref: str  # case code, action id, social worker id... what the item is about
    title: str  # plain English, e.g. "Return for C-7F3K2Q9M (single-agency-safeguarding@1)"

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def uid(self) -> str:
        """A stable identifier: the same item gets the same uid on every run (calendar UIDs)."""
        key = "|".join((self.kind, self.path, self.ref, self.person or ""))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


# Kinds listed first whatever their date, and never left out by the horizon.
URGENT = frozenset({"safeguarding_concern", "concern_outcome"})


def _sort_key(item: DueItem) -> tuple[Any, ...]:
    return (
        0 if item.kind in URGENT else 1,
        0 if item.overdue else 1,
        -item.days_overdue if item.overdue else 0,
        item.due,
        KINDS.index(item.kind) if item.kind in KINDS else len(KINDS),
        item.person or "",
        item.path,
        item.ref,
    )


class _Builder:
    """Collects items with the context every rule needs (config, staff, today)."""

    def __init__(self, repo: Repository, today: datetime.date) -> None:
        self.repo = repo
        self.today = today
        self.config: Config | None = repo.config_or_none
        self.rules: DueRules = self.config.due if self.config else DueRules()
        self.staff = self.config.staff_by_id() if self.config else {}
        self.teams = self.config.team_by_id() if self.config else {}
        self.items: list[DueItem] = []

    def add(
        self,
        kind: str,
        person: str | None,
        team: str | None,
        due: datetime.date,
        path: str,
        ref: str,
        title: str,
    ) -> None:
        self.items.append(
            DueItem(kind, person, team, due, (self.today - due).days, path, ref, title)
        )

    def team_of(self, person: str | None) -> str | None:
        s = self.staff.get(person or "")
        return s.team if s is not None else None

    @property
    def qa_person(self) -> str | None:
        """Who in the QA team carries QA work: the Lead QA Auditor, else a QA Auditor."""
        for role in ("qa_lead", "qa_auditor"):
            for s in self.staff.values():
                if s.active and role in s.roles:
                    return s.id
        return None


def _case_audits(repo: Repository) -> dict[str, list[tuple[datetime.date, str]]]:
    """Every audit of each case (allocation date, path): to know when a re-audit happened."""
    out: dict[str, list[tuple[datetime.date, str]]] = {}
    for lf, m in repo.audits():
        out.setdefault(m.case, []).append((m.allocated, lf.rel))
    for rel, s in repo.summaries.items():  # returns a report did not load (other months')
        out.setdefault(s["case"], []).append((datetime.date.fromisoformat(s["allocated"]), rel))
    for lf, c in repo.entries(CribSheet):
        out.setdefault(c.case, []).append((c.held or month_end(c.month), lf.rel))
    return out


def _moderated(repo: Repository) -> set[str]:
    cases: set[str] = set()
    for sample in repo.samples.values():
        if sample.moderation is not None:
            cases.update(sample.moderation.all_selected())
    return cases


def _actions(
    b: _Builder,
    lf: LoadedFile,
    actions: Iterable[Any],
    context: str,
    team: str | None,
    since: datetime.date | None,
    case: str | None,
    case_audits: dict[str, list[tuple[datetime.date, str]]],
    reauditor: str | None = None,
) -> None:
    """Items for open actions, done actions awaiting verification, and re-audits due.

    ``reauditor`` is who arranges a re-audit (default: the Lead QA Auditor).
    """
    for a in actions:
        if a.status == "open":
            b.add(
                "action",
                a.owner,
                team or b.team_of(a.owner),
                a.due,
                lf.rel,
                a.id,
                f"Action {a.id} of {context}: {a.action}",
            )
        elif a.status == "done":
            done_on = a.done_on or a.due
            b.add(
                "action",
                b.qa_person,
                team,
                add_working_days(done_on, b.rules.verify_working_days),
                lf.rel,
                a.id,
                f"Verify action {a.id} of {context} (done {done_on}): {a.action}",
            )
        if a.re_audit is not None:
            later = [
                p
                for d, p in case_audits.get(case or "", [])
                if p != lf.rel and since is not None and d > since
            ]
            if case is None and a.status == "verified":
                continue
            if case is not None and later:
                continue
            b.add(
                "re_audit",
                reauditor or b.qa_person,
                team,
                a.re_audit,
                lf.rel,
                a.id,
                f"Re-audit of {case or context} (action {a.id} of {context})",
            )


def _audit_returns(b: _Builder, case_audits: dict[str, list[tuple[datetime.date, str]]]) -> None:
    moderated = _moderated(b.repo)
    for lf, m in b.repo.audits():
        label = f"{m.case} ({m.tool})"
        if m.safeguarding_concern is not None and m.safeguarding_concern.acknowledged_on is None:
            sc = m.safeguarding_concern
            b.add(
                "safeguarding_concern",
                sc.escalated_to,
                m.team,
                sc.escalated_on,
                lf.rel,
                m.case,
                f"Safeguarding concern on {m.case}, found {sc.found} and escalated to "
                f"{sc.escalated_to} on {sc.escalated_on}: not yet acknowledged",
            )
        if not m.at_least("returned"):
            due = m.due or due_after_months(m.allocated, b.rules.return_months)
            for auditor in m.auditors:
                others = [a for a in m.auditors if a != auditor]
                with_whom = f", with {', '.join(others)}" if others else ""
                b.add(
                    "return",
                    auditor,
                    m.team,
                    due,
                    lf.rel,
                    m.case,
                    f"Return for {label}, allocated {m.allocated}{with_whom}",
                )
        elif m.qa_review is None and m.status != "closed":
            below = m.overall_grade in BELOW_GOOD
            if below or m.case in moderated:
                start = m.completed or m.due or m.allocated
                why = (
                    "graded " + (m.overall_grade or "").replace("_", " ")
                    if below
                    else ("drawn for moderation")
                )
                days = b.rules.qa_review_working_days
                if m.overall_grade == "inadequate":  # never longer than Requires Improvement's
                    days = min(days, b.rules.qa_review_inadequate_working_days)
                b.add(
                    "qa_review",
                    b.qa_person,
                    m.team,
                    add_working_days(start, days),
                    lf.rel,
                    m.case,
                    f"QA review of {label}, {why}, returned {start}",
                )
        _after_return(b, lf, m)
        _actions(b, lf, m.actions, f"{m.case}", m.team, m.allocated, m.case, case_audits)


def _with_role(b: _Builder, ids: Iterable[str], role: str) -> str | None:
    return next((p for p in ids if role in getattr(b.staff.get(p), "roles", ())), None)


def _service_manager(b: _Builder, team: str) -> str | None:
    """The Service Manager of the team's service: the first active one whose expertise it is."""
    t = b.teams.get(team)
    for s in b.staff.values():
        if s.active and "service_manager" in s.roles and t is not None and t.service in s.expertise:
            return s.id
    return None


def _outcomes(b: _Builder, lf: LoadedFile, m: Any) -> None:
    """The managers' outcomes of a forwarded RI / Inadequate return (§5.2.2)."""
    r = m.qa_review
    if r is None or not r.forwarded_to:
        return
    if r.agreed_grade not in BELOW_GOOD and m.overall_grade not in BELOW_GOOD:
        return
    inadequate = "inadequate" in (r.agreed_grade, m.overall_grade)
    days = b.rules.outcome_working_days
    if inadequate:
        days = min(days, b.rules.outcome_inadequate_working_days)
    grade = r.agreed_grade.replace("_", " ")
    steps = (
        ("service_manager_outcome", "service_manager", "Service Manager", r.date),
        (
            "assistant_director_outcome",
            "assistant_director",
            "Assistant Director",
            r.service_manager_outcome.date if r.service_manager_outcome else None,
        ),
    )
    for key, role, title, start in steps:
        if getattr(r, key) is not None or start is None:
            continue
        person = _with_role(b, r.forwarded_to, role) or (
            _service_manager(b, m.team) if role == "service_manager" else None
        )
        b.add(
            "outcome",
            person,
            m.team,
            add_working_days(start, days),
            lf.rel,
            m.case,
            f"{title}'s outcome of {m.case} ({grade}, forwarded {r.date}): "
            f"`qa review {m.case} --outcome {role.replace('_', '-')}`",
        )
        return  # the Assistant Director's follows the Service Manager's


def _concern_outcome(b: _Builder, lf: LoadedFile, m: Any) -> None:
    sc = m.safeguarding_concern
    if sc is None or sc.outcome is not None:
        return
    b.add(
        "concern_outcome",
        sc.escalated_to,
        m.team,
        add_working_days(sc.escalated_on, b.rules.concern_outcome_working_days),
        lf.rel,
        m.case,
        f"Outcome of the safeguarding concern on {m.case} (escalated {sc.escalated_on}): "
        "strategy discussion, S47, LADO referral...? "
        f"`qa review {m.case} --concern-outcome ROUTE`",
    )


def _feedback(b: _Builder, lf: LoadedFile, m: Any) -> None:
    """Each step of the feedback to practice once the return is in (§5.2.3, App. D)."""
    if not m.at_least("returned") or m.completed is None:
        return
    fb = m.feedback
    rules = b.rules
    if fb is None or fb.sent_on is None:
        b.add(
            "audit_feedback",
            m.auditors[0],
            m.team,
            add_working_days(m.completed, rules.feedback_sent_working_days),
            lf.rel,
            m.case,
            f"Send the audit of {m.case} to the social worker, Team Manager and Service Manager "
            f"(copy to the Lead Auditor): `qa feedback {m.case} sent --to ...`",
        )
        return
    tm = b.teams[m.team].manager if m.team in b.teams else None
    steps = (
        ("uploaded_on", tm, rules.feedback_uploaded_working_days, "Upload to the case record"),
        ("supervision_on", tm, rules.feedback_supervision_working_days, "Discuss in supervision"),
        (
            "service_manager_review",
            None,
            rules.feedback_review_working_days,
            "Service Manager's review of",
        ),
    )
    for key, person, days, what in steps:
        if getattr(fb, key) is not None:
            continue
        step = {"uploaded_on": "uploaded", "supervision_on": "supervision"}.get(key, "sm-review")
        who = person if key != "service_manager_review" else _service_manager(b, m.team)
        b.add(
            "audit_feedback",
            who,
            m.team,
            add_working_days(fb.sent_on, days),
            lf.rel,
            m.case,
            f"{what} {m.case} (audit sent {fb.sent_on}): `qa feedback {m.case} {step}`",
        )


def _after_return(b: _Builder, lf: LoadedFile, m: Any) -> None:
    _outcomes(b, lf, m)
    _concern_outcome(b, lf, m)
    _feedback(b, lf, m)


def _missing_allocations(b: _Builder) -> None:
    """Sample allocations whose return file was never created: still due from the auditors."""
    present = {f.rel for f in b.repo.files} | set(b.repo.summaries)
    for lf, sample in b.repo.entries(Sample):
        for a in sample.allocations:
            rel = a.file  # a RelPath: normal already (no `.`, `..` or empty part)
            if rel in present:
                continue
            for auditor in a.auditors:
                b.add(
                    "return",
                    auditor,
                    a.team,
                    a.due,
                    lf.rel,
                    a.case,
                    f"Return for {a.case} ({a.tool}), allocated {a.allocated}: "
                    f"{rel} has not been created",
                )


def _crib_sheets(b: _Builder, case_audits: dict[str, list[tuple[datetime.date, str]]]) -> None:
    for lf, c in b.repo.entries(CribSheet):
        if c.status != "completed" and b.rules.crib_sheet_by_month_end:
            b.add(
                "crib_sheet",
                c.service_manager,
                c.team,
                month_end(c.month),
                lf.rel,
                c.case,
                f"Crib sheet session on {c.case} with {c.team_manager} and {c.social_worker} "
                f"({c.month})",
            )
        start = c.held or month_end(c.month)
        _actions(b, lf, c.actions, f"crib sheet {c.case}", c.team, start, c.case, case_audits)


def _observations(b: _Builder) -> None:
    per_worker: dict[str, list[datetime.date]] = {}
    for lf, o in b.repo.entries(Observation):
        if not o.blank:  # a just-created record is not an observation done
            per_worker.setdefault(o.social_worker, []).append(o.observed)
        if o.feedback_written is None:
            due = add_working_days(o.observed, b.rules.observation_feedback_working_days)
            b.add(
                "feedback",
                o.observer,
                o.team,
                due,
                lf.rel,
                o.social_worker,
                f"Written feedback to {o.social_worker} on the practice observation of "
                f"{o.observed}",
            )
    n = b.rules.observations_per_year
    if n <= 0 or b.config is None:
        return
    year = b.today.year
    # The year is split into n equal periods; the k-th observation is due by the end of the
    # k-th period (twice a year: by 30 June and by 31 December).
    ends = [month_end(f"{year}-{12 * k // n:02d}") for k in range(1, n + 1)]
    for s in b.config.staff:
        if not s.active or "social_worker" not in s.roles:
            continue
        done = sum(1 for d in per_worker.get(s.id, []) if d.year == year and d <= b.today)
        if done >= n:
            continue
        team = b.teams.get(s.team or "")
        manager = team.manager if team is not None and team.manager else None
        folder = observations_folder(year)
        b.add(
            "observation",
            manager or s.id,
            s.team,
            ends[done],
            folder,
            s.id,
            # an ordinal, not "1 of 2": a redacted report reads "k of n" as a count of children
            f"{_ordinal(done + 1)} practice observation of {year} for {s.id} "
            f"({n} a year, {done} so far)",
        )


def _ordinal(k: int) -> str:
    return {1: "First", 2: "Second", 3: "Third", 4: "Fourth"}.get(k, f"{k}th")


def _scope_of(lf: LoadedFile, folder_scope: dict[str, MultiAgencyScope]) -> MultiAgencyScope | None:
    return next((m for folder, m in folder_scope.items() if lf.rel.startswith(folder + "/")), None)


def _practitioner_feedback(
    b: _Builder,
    lf: LoadedFile,
    r: AgencyReturn,
    folder_scope: dict[str, MultiAgencyScope],
    agreed: dict[str, datetime.date],
) -> None:
    """App. E 7: the agency auditor meets the practitioner with the audit's feedback."""
    scope = _scope_of(lf, folder_scope)
    if r.practitioner_feedback is not None or scope is None:
        return
    start = agreed.get(scope.id) or r.completed or scope.returns_due
    b.add(
        "audit_feedback",
        r.auditor,
        None,
        add_working_days(start, b.rules.agency_feedback_working_days),
        lf.rel,
        r.case,
        f"Feedback to the practitioner on the {r.agency} return for {r.case} in multi-agency "
        f"audit {scope.id} (App. E 7): `qa feedback FILE practitioner --to ROLE`, where FILE "
        "is this return's path",
    )


def _multi_agency(b: _Builder, case_audits: dict[str, list[tuple[datetime.date, str]]]) -> None:
    scopes: dict[str, tuple[LoadedFile, MultiAgencyScope]] = {}
    for lf, m in b.repo.entries(MultiAgencyScope):
        scopes[m.id] = (lf, m)
    folder_scope = {str(PurePosixPath(lf.rel).parent): m for lf, m in scopes.values()}
    agreed = {f.audit: f.agreed_on for f in b.repo.models(MultiAgencyFindings)}
    for lf, r in b.repo.entries(AgencyReturn):
        if r.status == "returned":
            _practitioner_feedback(b, lf, r, folder_scope, agreed)
            continue
        scope = _scope_of(lf, folder_scope)
        if scope is None:
            continue
        b.add(
            "return",
            r.auditor,
            None,
            scope.returns_due,
            lf.rel,
            r.case,
            f"Agency return for {r.case} ({r.agency}) in multi-agency audit {scope.id}",
        )
    for lf, f in b.repo.entries(MultiAgencyFindings):
        scope = scopes.get(f.audit, (None, None))[1]
        lead = scope.lead if scope is not None else b.qa_person
        context = f"multi-agency audit {f.audit}"
        _actions(b, lf, f.actions, context, None, None, None, case_audits, reauditor=lead)
        reviews = [(r.months, r.due, r.done) for r in f.reviews]
        if not f.reviews:
            reviews = [
                (months, due_after_months(f.agreed_on, months), None)
                for months in b.rules.multi_agency_review_months
            ]
        for months, due, done in reviews:
            if done is None:
                b.add(
                    "multi_agency_review",
                    lead,
                    None,
                    due,
                    lf.rel,
                    f"{f.audit}@{months}m",
                    f"{months}-month review of the action plan of {context}",
                )


def _monitoring(b: _Builder) -> None:
    """Each conference / review form and mid-point review completed and sent to the managers
    (§4.3.2-4.3.3); each open dispute on a care plan (§4.3.4)."""
    days = b.rules.monitoring_working_days
    for kind, when, what in (
        ("qa/monitoring", "held", "the monitoring form of the"),
        ("qa/midpoint-review", "reviewed", "the mid-point review of"),
    ):
        for lf in b.repo.of_kind(kind):
            m: Any = lf.model
            day = getattr(m, when)
            label = (m.meeting if kind == "qa/monitoring" else m.plan).replace("_", " ")
            if m.status != "completed":
                title = f"Complete {what} {label} on {m.case} ({when} {day})"
            elif m.sent_to_manager is None:
                title = f"Send {what} {label} on {m.case} to the managers for supervision"
            else:
                title = ""
            if title:
                b.add(
                    "monitoring",
                    m.chair,
                    m.team,
                    add_working_days(day, days),
                    lf.rel,
                    m.case,
                    title,
                )
            d = getattr(m, "dispute", None)
            if d is not None and d.resolved_on is None:
                b.add(
                    "dispute",
                    m.chair,
                    m.team,
                    add_working_days(d.raised_on, b.rules.dispute_stage_working_days),
                    lf.rel,
                    m.case,
                    f"Dispute on the {label} of {m.case} at the {d.stage.replace('_', ' ')} "
                    f"stage since {d.raised_on}: resolve or escalate (§4.3.4)",
                )


def _themed_cadence(b: _Builder) -> None:
    """The next themed audit, ``themed_every_months`` after the last one (§5.3.1: bi-monthly)."""
    every = b.rules.themed_every_months
    months = sorted(str(getattr(lf.model, "month", "")) for lf in b.repo.of_kind("qa/themed"))
    if every <= 0 or not months:
        return
    last = months[-1]
    start = datetime.date(int(last[:4]), int(last[5:7]), 1)
    nxt = add_months(start, every).strftime("%Y-%m")
    b.add(
        "themed_audit",
        b.qa_person,
        None,
        month_end(nxt),
        "themed",
        nxt,
        f"Next themed audit, in {nxt} (every {every} months, §5.3.1; the last was {last}): "
        "`qa new themed-<theme> --case C-... --month " + nxt + "`",
    )


def due_items(repo: Repository, today: datetime.date) -> list[DueItem]:
    """Every outstanding item of the repository as of ``today``, sorted.

    Sorted: safeguarding concerns first, then overdue items (most overdue first), then by due
    date. Files that do not validate are skipped (``qa validate`` reports them).
    """
    b = _Builder(repo, today)
    case_audits = _case_audits(repo)
    _audit_returns(b, case_audits)
    _missing_allocations(b)
    _crib_sheets(b, case_audits)
    _observations(b)
    _multi_agency(b, case_audits)
    _themed_cadence(b)
    _monitoring(b)
    from .due_plans import due_plans  # it builds on this module's _Builder and _actions

    due_plans(b, case_audits)
    return sorted(b.items, key=_sort_key)


@dataclass(frozen=True)
class PersonSummary:
    """One person's standing: what the QA team takes to performance management (App. D)."""

    person: str
    name: str | None
    roles: tuple[str, ...]
    overdue: int  # items of theirs overdue
    overdue_returns: int  # returns they owe, overdue
    most_days_overdue: int
    due_soon: int  # items of theirs not yet overdue
    team_overdue: int  # overdue items of the staff of the teams they manage

    @property
    def is_manager(self) -> bool:
        return bool(set(self.roles) & MANAGER_ROLES)

    @property
    def is_qa(self) -> bool:
        return bool(set(self.roles) & QA_ROLES)


def summarise(items: Iterable[DueItem], config: Config | None) -> list[PersonSummary]:
    """A summary per person (managers first, then by most overdue)."""
    items = list(items)
    staff = config.staff_by_id() if config else {}
    managed: dict[str, set[str]] = {}
    if config is not None:
        for t in config.teams:
            if t.manager:
                managed.setdefault(t.manager, set()).add(t.id)
    people = sorted({i.person for i in items if i.person})
    out: list[PersonSummary] = []
    for p in people:
        mine = [i for i in items if i.person == p]
        over = [i for i in mine if i.overdue]
        teams = managed.get(p, set())
        team_over = [
            i
            for i in items
            if i.overdue and i.person != p and i.person in staff and staff[i.person].team in teams
        ]
        s = staff.get(p)
        out.append(
            PersonSummary(
                person=p,
                name=s.name if s else None,
                roles=tuple(s.roles) if s else (),
                overdue=len(over),
                overdue_returns=sum(1 for i in over if i.kind == "return"),
                most_days_overdue=max((i.days_overdue for i in over), default=0),
                due_soon=len(mine) - len(over),
                team_overdue=len(team_over),
            )
        )
    out.sort(key=lambda s: (not s.is_manager, -s.overdue, -s.most_days_overdue, s.person))
    return out


def select(
    items: Iterable[DueItem],
    *,
    person: str | None = None,
    team: str | None = None,
    within: int | None = None,
) -> list[DueItem]:
    """Items for one person and / or team, overdue or falling due within ``within`` days.

    Safeguarding concerns are never left out by the horizon.
    """
    out = []
    for i in items:
        if person is not None and i.person != person:
            continue
        if team is not None and i.team != team:
            continue
        if within is not None and i.kind not in URGENT and -i.days_overdue > within:
            continue
        out.append(i)
    return out
