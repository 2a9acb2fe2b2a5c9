"""The draw's rules from qa.yaml: one builder per programme, chosen from a table.

A builder reads the programme's settings (pairs, teams, tools, numbers) and returns the
:class:`~qa_cli.draw.DrawRules` that the sample file records in full, so a later change to
qa.yaml does not change what a re-draw of an old month gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .caselist import CATEGORIES
from .draw import REASON_BSC, DrawRules, Taker
from .errors import QAError
from .models.config import Config, Staff
from .models.tool import Tool


@dataclass
class RulesRequest:
    """What a programme's builder needs: qa.yaml, the tools, the month and the options."""

    config: Config
    tools: Mapping[str, Tool]
    programme: str
    month: str
    allocated: dt.date
    cohort: str | None = None
    cases: int | None = None

    @property
    def bsc(self) -> dict[str, str]:
        """Teams in the Balanced Score Card approach, which are not sampled (App. D)."""
        return {t.id: REASON_BSC for t in self.config.teams if t.balanced_score_card}

    @property
    def due(self) -> dt.date:
        from .calendar import due_after_months

        return due_after_months(self.allocated, self.config.due.return_months)

    def areas(self, s: Staff) -> set[str]:
        """The service areas a person audits: their expertise, else their team's service."""
        teams = self.config.team_by_id()
        if s.expertise:
            return set(s.expertise)
        return {teams[s.team].service} if s.team in teams else set()

    def latest_tool(self, tool_id: str, setting: str) -> str:
        versions = [t for t in self.tools.values() if t.id == tool_id]
        if not versions:
            raise QAError(
                f"qa.yaml {setting} names the tool `{tool_id}`, which is not in audit_tools/",
                "tools available: " + ", ".join(sorted({t.id for t in self.tools.values()})),
            )
        return max(versions, key=lambda t: t.version).ref


def _pair_taker(r: RulesRequest, n: int, sm_id: str, tm_id: str, notes: list[str]) -> Taker:
    """A Service Manager + Team Manager pair and the teams it may audit."""
    staff = r.config.staff_by_id()
    sa = r.config.programmes.single_agency
    for sid in (sm_id, tm_id):
        if sid not in staff:
            raise QAError(
                f"qa.yaml programmes.single_agency.pairs[{n}] names `{sid}`, who is not in staff:",
                "add the person to staff: or correct the pair",
            )
    sm, tm = staff[sm_id], staff[tm_id]
    services = r.areas(sm) & r.areas(tm)
    if not services:
        services = r.areas(sm) | r.areas(tm)
        notes.append(f"{sm.id} + {tm.id} share no service area; both areas were used")
    own = {sm.team, tm.team} if sa.exclude_own_team else set()
    allowed = tuple(
        t.id
        for t in r.config.teams
        if t.service in services
        and t.id not in r.bsc
        and t.id not in own
        and t.manager not in (sm.id, tm.id)
    )
    return Taker((sm.id, tm.id), allowed, sa.cases_per_pair)


def _single_agency(r: RulesRequest, notes: list[str]) -> DrawRules:
    sa = r.config.programmes.single_agency
    takers = [
        _pair_taker(r, n, p.service_manager, p.team_manager, notes)
        for n, p in enumerate(sa.pairs, start=1)
    ]
    if not takers:
        raise QAError(
            "qa.yaml has no Service Manager + Team Manager pairs to allocate cases to",
            "add them under programmes.single_agency.pairs (see docs/cases-and-sampling.md)",
        )
    tool_refs = {
        cat: r.latest_tool(tid, f"programmes.single_agency.tools.{cat}")
        for cat, tid in sa.tools.items()
    }
    return DrawRules(
        r.programme,
        r.month,
        r.allocated,
        r.due,
        takers,
        tool_refs,
        r.bsc,
        sa.exclude_audited_within_months,
        r.config.due.return_months,
    )


def _crib_sheet(r: RulesRequest, notes: list[str]) -> DrawRules:
    cs = r.config.programmes.crib_sheet
    ref = r.latest_tool(cs.tool, "programmes.crib_sheet.tool")
    staff = r.config.staff_by_id()
    takers = []
    for t in r.config.teams:
        if t.id in r.bsc:
            continue
        sms = sorted(
            s.id
            for s in r.config.staff
            if "service_manager" in s.roles and s.active and t.service in r.areas(s)
        )
        if t.manager is None or t.manager not in staff or not sms:
            notes.append(
                f"team {t.id} has no team manager or service manager in qa.yaml: "
                "no crib sheets drawn for it"
            )
            continue
        takers.append(Taker((sms[0], t.manager), (t.id,), cs.cases_per_team))
    return DrawRules(
        r.programme,
        r.month,
        r.allocated,
        month_due(r.month, r.allocated),
        takers,
        {c: ref for c in CATEGORIES},
        r.bsc,
        r.config.programmes.single_agency.exclude_audited_within_months,
        0,
    )


def _multi_agency(r: RulesRequest, notes: list[str]) -> DrawRules:
    from .calendar import next_working_day

    ma = r.config.programmes.multi_agency
    cohort = r.cohort or ma.cohort
    if cohort not in CATEGORIES:
        raise QAError(
            f"--cohort {cohort} is not a case category", "use one of: " + ", ".join(CATEGORIES)
        )
    n = r.cases if r.cases is not None else ma.baseline_max
    if not ma.baseline_min <= n <= ma.baseline_max:
        raise QAError(
            f"--cases {n} is outside the baseline of {ma.baseline_min}-{ma.baseline_max} "
            "cases (App. E 3)",
            "choose a number in that range, or change programmes.multi_agency in qa.yaml",
        )
    auditors: dict[str, str] = {}
    for s in sorted(r.config.staff, key=lambda s: s.id):
        if "agency_auditor" in s.roles and s.agency and s.active:
            auditors.setdefault(s.agency, s.id)
    if not auditors:
        raise QAError(
            "qa.yaml has no agency auditors (role agency_auditor with an agency)",
            "add a lead auditor for each agency taking part (App. E 1)",
        )
    ref = r.latest_tool(ma.tool, "programmes.multi_agency.tool")
    taker = Taker(tuple(auditors.values()), tuple(t.id for t in r.config.teams), n)
    return DrawRules(
        r.programme,
        r.month,
        r.allocated,
        next_working_day(r.due),
        [taker],
        {cohort: ref},
        {},
        r.config.programmes.single_agency.exclude_audited_within_months,
        r.config.due.return_months,
        cohort=cohort,
        need_worker=False,
    )


# One builder per programme; a new programme adds one line here (and its blank returns).
RULE_BUILDERS: dict[str, Callable[[RulesRequest, list[str]], DrawRules]] = {
    "single-agency": _single_agency,
    "crib-sheet": _crib_sheet,
    "multi-agency": _multi_agency,
}
PROGRAMMES = tuple(RULE_BUILDERS)


def build_rules(
    config: Config,
    tools: Mapping[str, Tool],
    programme: str,
    month: str,
    allocated: dt.date,
    cohort: str | None = None,
    cases: int | None = None,
) -> tuple[DrawRules, list[str]]:
    """The draw's rules from qa.yaml for one programme (and notes on what was assumed)."""
    builder = RULE_BUILDERS.get(programme)
    if builder is None:
        raise QAError(f"unknown programme {programme}", "use " + ", ".join(PROGRAMMES))
    notes: list[str] = []
    rules = builder(RulesRequest(config, tools, programme, month, allocated, cohort, cases), notes)
    return rules, notes


def month_due(month: str, allocated: dt.date) -> dt.date:
    from .calendar import month_end

    return max(month_end(month), allocated)


def allocation_date(month: str, today: dt.date) -> dt.date:
    """The first working day of the month, or the next working day from today if later."""
    from .calendar import first_working_day, next_working_day

    return max(first_working_day(month), next_working_day(today))
