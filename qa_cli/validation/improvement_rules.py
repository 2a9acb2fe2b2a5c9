"""Rules on improvement plans as records (QA480-QA484): the recommendations of a report
(§5.2.5, §5.3.2), the six-monthly team review (§6.3-6.4) and the Team Manager's overview of the
team's audits (App. D). People and teams named exist, each tracked item is a well-formed action,
the file is where its content says, and what is marked finished has what finishing needs.

The checks that compare with other files read samples and themed scopes only: those are loaded
even when `qa validate` is given just this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import layout
from ..models.improvement import ImprovementPlan, TeamOverview, TeamReview
from ..models.multi_agency import AgencyReturn
from ..models.sample import Sample
from ..models.themed import ThemedScope
from ..repository import LoadedFile, Repository
from .diagnostics import Diagnostic
from .schema import Role, at, misplaced, out_of_order
from .tools import duplicate_ids

if TYPE_CHECKING:
    from .crossfile import Refs


def _items(lf: LoadedFile, refs: Refs, keys: tuple[str, ...], m: object) -> list[Diagnostic]:
    """Each list of tracked items checked as an action plan; ids unique across the lists."""
    from .crossfile import check_actions

    out: list[Diagnostic] = []
    for key in keys:
        out += check_actions(lf, refs, list(getattr(m, key)), [key])
    if len(keys) > 1:  # the same id in two lists (within one list, check_actions says it)
        first: dict[str, tuple[str, list[str | int]]] = {}
        for key in keys:
            for i, a in enumerate(getattr(m, key)):
                loc: list[str | int] = [key, i, "id"]
                key0, loc0 = first.setdefault(a.id, (key, loc))
                if key0 != key:
                    out += duplicate_ids(lf, [(a.id, loc0), (a.id, loc)], "item id")
    return out


def _role(
    lf: LoadedFile, refs: Refs, key: str, who: str | None, role: str, what: str
) -> list[Diagnostic]:
    hint = f"give the staff id of the {what}, or add the role `{role}` in qa.yaml"
    return refs.role_ref(lf, [key], who, Role("QA484", frozenset({role}), what), hint)


def _report_exists(repo: Repository, m: ImprovementPlan) -> bool:
    if m.report == "themed":
        return any(s.month == m.month and s.theme == m.theme for s in repo.models(ThemedScope))
    return any(s.month == m.month for s in repo.models(Sample))


def check_improvement(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(ImprovementPlan)
    out = refs.staff_ref(lf, ["lead"], m.lead)
    out += _items(lf, refs, ("recommendations",), m)
    if not _report_exists(repo, m):
        where = (
            layout.themed_scope_path(m.month, m.theme or "")
            if m.report == "themed"
            else layout.sample_path(m.month, "single-agency")
        )
        out.append(
            at(
                lf,
                "QA483",
                ["theme" if m.report == "themed" else "month"],
                f"this plan is for the {m.report} report of {m.month}, but {where} is not there",
                "check the month (and theme): the plan follows a report of the repository",
            )
        )
    return out + misplaced(lf, layout.improvement_path(m.month, m.theme), "month")


def check_team_review(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(TeamReview)
    out = refs.team_ref(lf, ["team"], m.team)
    for key in ("team_manager", "service_manager", "lead_auditor"):
        out += refs.staff_ref(lf, [key], getattr(m, key))
    out += _role(lf, refs, "team_manager", m.team_manager, "team_manager", "a Team Manager")
    out += _role(
        lf, refs, "service_manager", m.service_manager, "service_manager", "a Service Manager"
    )
    for i, s in enumerate(m.support):
        out += refs.staff_ref(lf, ["support", i, "worker"], s.worker)
    out += _items(lf, refs, ("support", "team_sessions", "service_development"), m)
    out += out_of_order(lf, ["last_month"], m.last_month, m.first_month, "first_month")
    out += out_of_order(lf, ["discussed_with_ad"], m.discussed_with_ad, m.held, "held")
    if m.status == "agreed" and (m.held is None or not m.priorities):
        missing = "the date it was held" if m.held is None else "its key priorities"
        out.append(
            at(
                lf,
                "QA480",
                ["status"],
                f"the team review is `agreed` but has no {missing}",
                "§6.3: the Team Manager agrees key priorities at the review; write `held:` and "
                "`priorities:`, or leave the status `draft` until then",
            )
        )
    return out + misplaced(lf, layout.team_review_path(m.last_month, m.team), "last_month")


def _sampled(repo: Repository, month: str, team: str) -> list[str]:
    """The cases the month's single-agency sample allocated to the team."""
    return [
        a.case
        for s in repo.models(Sample)
        if s.month == month and s.programme == "single-agency"
        for a in s.allocations
        if a.team == team
    ]


def _coverage(repo: Repository, lf: LoadedFile, m: TeamOverview) -> list[Diagnostic]:
    sampled = _sampled(repo, m.month, m.team)
    if not sampled:
        return []
    out = [
        at(
            lf,
            "QA482",
            ["cases", i],
            f"{case} was not allocated to {m.team} in the sample of {m.month}",
            f"the overview covers the team's audits of the month: see samples/{m.month}.yaml",
        )
        for i, case in enumerate(m.cases)
        if case not in sampled
    ]
    left = [c for c in sampled if c not in m.cases]
    if left and m.status == "completed":
        out.append(
            at(
                lf,
                "QA482",
                ["cases"],
                f"the overview leaves out {len(left)} of the team's {len(sampled)} audits of "
                f"{m.month}",
                "App. D: the overview covers all the findings of all the team's audits; add "
                "their case codes to `cases:`",
            )
        )
    return out


def check_team_overview(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(TeamOverview)
    out = refs.team_ref(lf, ["team"], m.team) + refs.staff_ref(lf, ["team_manager"], m.team_manager)
    out += _role(lf, refs, "team_manager", m.team_manager, "team_manager", "a Team Manager")
    out += _items(lf, refs, ("actions",), m)
    out += _coverage(repo, lf, m)
    if m.status == "completed" and not (m.findings or "").strip():
        out.append(
            at(
                lf,
                "QA481",
                ["status"],
                "the overview is `completed` but has no `findings`",
                "App. D: write the overview of the findings of the team's audits under "
                "`findings:`, or leave the status `draft`",
            )
        )
    return out + misplaced(lf, layout.team_overview_path(m.month, m.team), "month")


def practitioner_feedback_rule(lf: LoadedFile, m: AgencyReturn) -> list[Diagnostic]:
    """QA485: feedback to the practitioner (App. E 7) on a return not in, or before it was."""
    fb = m.practitioner_feedback
    if fb is None:
        return []
    if m.status != "returned" or (m.completed is not None and fb.on < m.completed):
        when = f" ({m.completed})" if m.status == "returned" else ""
        return [
            at(
                lf,
                "QA485",
                ["practitioner_feedback", "on"],
                f"feedback to the practitioner on {fb.on} comes before the return was "
                f"completed{when}",
                "App. E 7: the auditor gives feedback after the audit; check the date, or set "
                "`status: returned` and `completed:` first",
            )
        ]
    return []
