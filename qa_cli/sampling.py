"""Seeded, stratified, conflict-aware draws of the month's cases (App. A, D, E).

The draw is a pure function of the case list, the rules and the seed: the same three give
the same sample, so anyone can re-draw a recorded sample and see that it was not hand-picked
(``qa sample --verify``). The rules are recorded in the sample file in full (which teams each
pair may audit, which teams are left out and why), so a later change to qa.yaml does not
change what a re-draw of an old month gives.

How a draw goes:

1. Cases are left out, each with its reason: teams in the Balanced Score Card approach,
   cases audited in the last 12 months (configurable), cases with no known worker.
2. Cases whose re-audit (an action's ``re_audit`` date) falls due in the month are drawn
   first, reason "re-audit".
3. The rest is drawn in rounds: in each round every team that can be sampled appears once
   before any appears twice. The most constrained pair chooses first (a pair may not audit
   its own team's cases, nor a case where one of them is the worker or the team's manager).
   Categories are mixed in proportion to the eligible cases (largest shortfall first).
   Within a team and category the order is a seeded shuffle.
4. When a pair cannot get its number of cases, it gets what there is and a note says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import layout
from .caselist import CATEGORIES, CaseRow

ALGORITHM = "qa-sample/1"
PROGRAMMES = ("single-agency", "crib-sheet", "multi-agency")

REASON_BSC = "team in the Balanced Score Card approach"
REASON_NO_WORKER = "no allocated worker known in qa.yaml"
REASON_REAUDIT = "re-audit"


def reason_audited(months: int) -> str:
    return f"audited in the last {months} months"


@dataclass(frozen=True)
class Taker:
    """Who receives cases: a Service Manager + Team Manager pair, a team, or agency auditors."""

    auditors: tuple[str, ...]
    teams: tuple[str, ...]
    need: int
    label: str = ""


@dataclass
class DrawRules:
    programme: str
    month: str
    allocated: dt.date
    due: dt.date
    takers: list[Taker]
    tools: dict[str, str]
    excluded_teams: dict[str, str] = field(default_factory=dict)
    exclude_audited_within_months: int = 12
    return_months: int = 2
    cohort: str | None = None
    need_worker: bool = True

    def as_record(self) -> dict[str, Any]:
        """The rules as recorded in the sample file (enough to re-draw without qa.yaml)."""
        out: dict[str, Any] = {
            "algorithm": ALGORITHM,
            "allocated": self.allocated,
            "due": self.due,
            "return_months": self.return_months,
            "exclude_audited_within_months": self.exclude_audited_within_months,
            "excluded_teams": dict(self.excluded_teams),
            "tools": dict(self.tools),
            "takers": [
                {"auditors": list(t.auditors), "teams": list(t.teams), "cases": t.need}
                for t in self.takers
            ],
        }
        if self.cohort:
            out["cohort"] = self.cohort
        if not self.need_worker:
            out["need_worker"] = False
        return out

    @classmethod
    def from_record(cls, programme: str, month: str, rec: Mapping[str, Any]) -> DrawRules:
        def date(v: Any) -> dt.date:
            return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))

        return cls(
            programme=programme,
            month=month,
            allocated=date(rec["allocated"]),
            due=date(rec["due"]),
            takers=[
                Taker(tuple(t["auditors"]), tuple(t["teams"]), int(t["cases"]))
                for t in rec["takers"]
            ],
            tools={str(k): str(v) for k, v in rec["tools"].items()},
            excluded_teams={str(k): str(v) for k, v in (rec.get("excluded_teams") or {}).items()},
            exclude_audited_within_months=int(rec["exclude_audited_within_months"]),
            return_months=int(rec["return_months"]),
            cohort=rec.get("cohort"),
            need_worker=bool(rec.get("need_worker", True)),
        )


@dataclass(frozen=True)
class Drawn:
    case: CaseRow
    auditors: tuple[str, ...]
    tool: str
    reason: str | None = None


@dataclass
class DrawResult:
    allocations: list[Drawn]
    excluded: list[tuple[str, str]]
    notes: list[str]


def default_seed(programme: str, month: str, case_list_sha256: str) -> int:
    """A seed nobody chose: derived from the month and the case list's hash."""
    h = hashlib.sha256(f"{programme}:{month}:{case_list_sha256}".encode()).hexdigest()
    return int(h[:8], 16)


def draw(
    cases: Iterable[CaseRow],
    rules: DrawRules,
    rng: random.Random,
    history: Mapping[str, dt.date] | None = None,
    reaudits: Iterable[str] = (),
    already: Mapping[tuple[str, ...], int] | None = None,
    taken: Iterable[str] = (),
) -> DrawResult:
    """Draw the month's sample. ``history``: case -> last audited; ``already``: cases each
    taker has (for a top-up); ``taken``: cases already in the sample."""
    history = history or {}
    from .calendar import add_months

    window_start = add_months(rules.allocated, -rules.exclude_audited_within_months)
    reaudit_set = set(reaudits)
    taken_set = set(taken)
    need = {i: t.need - (already or {}).get(t.auditors, 0) for i, t in enumerate(rules.takers)}
    can_take: dict[str, list[int]] = {}
    for i, t in enumerate(rules.takers):
        for team in t.teams:
            can_take.setdefault(team, []).append(i)
    excluded: list[tuple[str, str]] = []
    notes: list[str] = []
    eligible: list[CaseRow] = []
    reaudit_rows: list[CaseRow] = []
    audited_reason = reason_audited(rules.exclude_audited_within_months)
    for c in sorted(cases, key=lambda r: r.case):
        if c.case in taken_set:
            continue
        if rules.cohort and c.category != rules.cohort:
            continue
        if c.case in reaudit_set:
            reaudit_rows.append(c)
            continue
        if c.team in rules.excluded_teams:
            excluded.append((c.case, rules.excluded_teams[c.team]))
        elif (
            rules.exclude_audited_within_months
            and c.case in history
            and history[c.case] > window_start
        ):
            excluded.append((c.case, audited_reason))
        elif rules.need_worker and not c.worker:
            excluded.append((c.case, REASON_NO_WORKER))
        elif c.category not in rules.tools:
            excluded.append((c.case, f"no audit tool set for category {c.category}"))
        elif c.team in can_take:
            eligible.append(c)
    rng.shuffle(eligible)

    allocations: list[tuple[int, Drawn]] = []
    picked: set[str] = set()

    def allocate(i: int, c: CaseRow, reason: str | None) -> None:
        allocations.append((i, Drawn(c, rules.takers[i].auditors, rules.tools[c.category], reason)))
        picked.add(c.case)
        need[i] -= 1

    # Re-audits first: the action plan asked for them.
    missing_reaudits = sorted(reaudit_set - {c.case for c in reaudit_rows} - taken_set)
    for code in missing_reaudits:
        notes.append(
            f"re-audit of {code} falls due but the case is not on the case list "
            "(closed or transferred?): not drawn"
        )
    for c in reaudit_rows:
        options = [
            i
            for i in can_take.get(c.team, [])
            if need[i] > 0
            and c.worker not in rules.takers[i].auditors
            and c.category in rules.tools
        ]
        if not options:
            notes.append(
                f"re-audit of {c.case} falls due but no pair with room may audit "
                f"team {c.team}: not drawn; allocate it by hand or with `qa new`"
            )
            continue
        allocate(max(options, key=lambda i: (need[i], -i)), c, REASON_REAUDIT)

    queues: dict[tuple[str, str], list[CaseRow]] = {}
    for c in eligible:
        queues.setdefault((c.team, c.category), []).append(c)
    target = Counter(c.category for c in eligible)
    total_eligible = max(len(eligible), 1)
    taken_cat: Counter[str] = Counter(d.case.category for _, d in allocations)

    def first_free(team: str, cat: str, i: int) -> CaseRow | None:
        auditors = rules.takers[i].auditors
        for c in queues.get((team, cat), ()):
            if c.case not in picked and c.worker not in auditors:
                return c
        return None

    def cats_for(team: str, i: int) -> list[str]:
        return [cat for cat in CATEGORIES if first_free(team, cat, i) is not None]

    round_used: set[str] = set()
    pair_teams: Counter[tuple[int, str]] = Counter()
    rounds = 1
    while True:
        active = [i for i in need if need[i] > 0]
        if not active:
            break
        opts = {
            i: [t for t in rules.takers[i].teams if t not in round_used and cats_for(t, i)]
            for i in active
        }
        viable = [i for i in active if opts[i]]
        if not viable:
            if round_used and any(cats_for(t, i) for i in active for t in rules.takers[i].teams):
                left = sorted(
                    t
                    for t in {t for i in need for t in rules.takers[i].teams}
                    if t not in round_used
                    and any(
                        first_free(t, cat, j)
                        for j in need
                        for cat in CATEGORIES
                        if t in rules.takers[j].teams
                    )
                )
                if left:
                    notes.append(
                        f"spread: in round {rounds} no pair with room could audit "
                        + ", ".join(left)
                        + "; the next round started without them"
                    )
                round_used = set()
                rounds += 1
                continue
            break
        i = min(viable, key=lambda j: (len(opts[j]), -need[j], j))
        avail = {cat for t in opts[i] for cat in cats_for(t, i)}
        n = len(allocations) + 1
        cat = max(
            sorted(avail, key=CATEGORIES.index),
            key=lambda c: target[c] / total_eligible * n - taken_cat[c],
        )
        teams = sorted(t for t in opts[i] if first_free(t, cat, i) is not None)
        # Each pair sees as many teams as it can: teams it has had least come first.
        fewest = min(pair_teams[(i, t)] for t in teams)
        teams = [t for t in teams if pair_teams[(i, t)] == fewest]
        team = teams[rng.randrange(len(teams))]
        case = first_free(team, cat, i)
        assert case is not None
        allocate(i, case, None)
        pair_teams[(i, team)] += 1
        taken_cat[cat] += 1
        round_used.add(team)

    for i, t in enumerate(rules.takers):
        if need[i] > 0:
            wanted = t.need - (already or {}).get(t.auditors, 0)
            got = wanted - need[i]
            who = " + ".join(t.auditors) if rules.programme != "multi-agency" else "the baseline"
            notes.append(
                f"{who}: only {got} eligible case(s) of {wanted}"
                f" wanted (teams {', '.join(t.teams) or 'none'}); allocated {got}, no rule was "
                "relaxed - widen the pair's expertise or add a case by hand with `qa new`"
            )
    order = {i: k for k, i in enumerate(range(len(rules.takers)))}
    allocations.sort(key=lambda p: (order[p[0]], p[1].case.case))
    return DrawResult([d for _, d in allocations], excluded, notes)


# --- rules from qa.yaml -------------------------------------------------------------------


def _latest_tool(tools: Mapping[str, Any], tool_id: str, setting: str) -> str:
    from .errors import QAError

    versions = [t for t in tools.values() if t.id == tool_id]
    if not versions:
        raise QAError(
            f"qa.yaml {setting} names the tool `{tool_id}`, which is not in audit_tools/",
            "tools available: " + ", ".join(sorted({t.id for t in tools.values()})),
        )
    return max(versions, key=lambda t: t.version).ref


def build_rules(
    config: Any,
    tools: Mapping[str, Any],
    programme: str,
    month: str,
    allocated: dt.date,
    cohort: str | None = None,
    cases: int | None = None,
) -> tuple[DrawRules, list[str]]:
    """The draw's rules from qa.yaml for one programme (and notes on what was assumed)."""
    from .calendar import due_after_months, next_working_day
    from .errors import QAError

    notes: list[str] = []
    staff = config.staff_by_id()
    teams = config.team_by_id()
    bsc = {t.id: REASON_BSC for t in config.teams if t.balanced_score_card}
    return_months = config.due.return_months
    due = due_after_months(allocated, return_months)

    def areas(s: Any) -> set[str]:
        if s.expertise:
            return set(s.expertise)
        return {teams[s.team].service} if s.team in teams else set()

    if programme == "single-agency":
        sa = config.programmes.single_agency
        takers: list[Taker] = []
        for n, p in enumerate(sa.pairs, start=1):
            for sid in (p.service_manager, p.team_manager):
                if sid not in staff:
                    raise QAError(
                        f"qa.yaml programmes.single_agency.pairs[{n}] names `{sid}`, who is not "
                        "in staff:",
                        "add the person to staff: or correct the pair",
                    )
            sm, tm = staff[p.service_manager], staff[p.team_manager]
            services = areas(sm) & areas(tm)
            if not services:
                services = areas(sm) | areas(tm)
                notes.append(f"{sm.id} + {tm.id} share no service area; both areas were used")
            own = {sm.team, tm.team} if sa.exclude_own_team else set()
            allowed = tuple(
                t.id
                for t in config.teams
                if t.service in services
                and t.id not in bsc
                and t.id not in own
                and t.manager not in (sm.id, tm.id)
            )
            takers.append(Taker((sm.id, tm.id), allowed, sa.cases_per_pair))
        if not takers:
            raise QAError(
                "qa.yaml has no Service Manager + Team Manager pairs to allocate cases to",
                "add them under programmes.single_agency.pairs (see docs/cases-and-sampling.md)",
            )
        tool_refs = {
            cat: _latest_tool(tools, tid, f"programmes.single_agency.tools.{cat}")
            for cat, tid in sa.tools.items()
        }
        rules = DrawRules(
            programme,
            month,
            allocated,
            due,
            takers,
            tool_refs,
            bsc,
            sa.exclude_audited_within_months,
            return_months,
        )
        return rules, notes
    if programme == "crib-sheet":
        cs = config.programmes.crib_sheet
        ref = _latest_tool(tools, cs.tool, "programmes.crib_sheet.tool")
        takers = []
        for t in config.teams:
            if t.id in bsc:
                continue
            sms = sorted(
                s.id
                for s in config.staff
                if "service_manager" in s.roles and s.active and t.service in areas(s)
            )
            if t.manager is None or t.manager not in staff or not sms:
                notes.append(
                    f"team {t.id} has no team manager or service manager in qa.yaml: "
                    "no crib sheets drawn for it"
                )
                continue
            takers.append(Taker((sms[0], t.manager), (t.id,), cs.cases_per_team))
        rules = DrawRules(
            programme,
            month,
            allocated,
            month_due(month, allocated),
            takers,
            {c: ref for c in CATEGORIES},
            bsc,
            config.programmes.single_agency.exclude_audited_within_months,
            0,
        )
        return rules, notes
    if programme == "multi-agency":
        ma = config.programmes.multi_agency
        cohort = cohort or ma.cohort
        if cohort not in CATEGORIES:
            raise QAError(
                f"--cohort {cohort} is not a case category", "use one of: " + ", ".join(CATEGORIES)
            )
        n = cases if cases is not None else ma.baseline_max
        if not ma.baseline_min <= n <= ma.baseline_max:
            raise QAError(
                f"--cases {n} is outside the baseline of {ma.baseline_min}-{ma.baseline_max} "
                "cases (App. E 3)",
                "choose a number in that range, or change programmes.multi_agency in qa.yaml",
            )
        auditors: dict[str, str] = {}
        for s in sorted(config.staff, key=lambda s: s.id):
            if "agency_auditor" in s.roles and s.agency and s.active:
                auditors.setdefault(s.agency, s.id)
        if not auditors:
            raise QAError(
                "qa.yaml has no agency auditors (role agency_auditor with an agency)",
                "add a lead auditor for each agency taking part (App. E 1)",
            )
        ref = _latest_tool(tools, ma.tool, "programmes.multi_agency.tool")
        taker = Taker(tuple(auditors.values()), tuple(t.id for t in config.teams), n)
        rules = DrawRules(
            programme,
            month,
            allocated,
            next_working_day(due),
            [taker],
            {cohort: ref},
            {},
            config.programmes.single_agency.exclude_audited_within_months,
            return_months,
            cohort=cohort,
            need_worker=False,
        )
        return rules, notes
    raise QAError(f"unknown programme {programme}", "use " + ", ".join(PROGRAMMES))


def month_due(month: str, allocated: dt.date) -> dt.date:
    from .calendar import month_end

    return max(month_end(month), allocated)


def allocation_date(month: str, today: dt.date) -> dt.date:
    """The first working day of the month, or the next working day from today if later."""
    from .calendar import first_working_day, next_working_day

    return max(first_working_day(month), next_working_day(today))


def sample_rel(month: str, programme: str) -> str:
    return layout.sample_path(month, programme)


# --- the repository side: history, re-audits, the sample file and its returns ---------------


def history(repo: Any, programme: str, before: dt.date) -> dict[str, dt.date]:
    """case -> when it was last audited in this programme, counting only what came before."""
    out: dict[str, dt.date] = {}

    def seen(case: str, when: dt.date | None) -> None:
        if when is not None and when < before and (case not in out or out[case] < when):
            out[case] = when

    for (_, prog), sample in repo.samples.items():
        if prog == programme:
            for a in sample.allocations:
                seen(a.case, a.allocated)
    if programme == "single-agency":
        for _, m in repo.audits():
            seen(m.case, m.allocated)
    elif programme == "crib-sheet":
        for f in repo.of_kind("qa/crib-sheet"):
            m = f.model
            seen(m.case, dt.date(int(m.month[:4]), int(m.month[5:7]), 1))
    elif programme == "multi-agency":
        for f in repo.of_kind("qa/multi-agency"):
            m = f.model
            for c in m.cases:
                seen(c, m.pre_meeting or m.returns_due)
    return out


def reaudits_due(repo: Any, month: str, before: dt.date) -> list[str]:
    """Cases whose action plan set a re-audit date in the month (or earlier, not yet done)."""
    from .calendar import month_end

    last = month_end(month)
    audited: dict[str, list[dt.date]] = {}
    for _, m in repo.audits():
        if m.allocated < before:
            audited.setdefault(m.case, []).append(m.allocated)
    due: set[str] = set()
    for _, m in repo.audits():
        if m.allocated >= before:
            continue
        for a in m.actions:
            if a.re_audit is None or a.re_audit > last:
                continue
            later = [d for d in audited.get(m.case, []) if d > m.allocated]
            if not later:
                due.add(m.case)
    return sorted(due)


@dataclass
class SamplePlan:
    programme: str
    month: str
    rel: str
    text: str
    returns: list[tuple[str, str]]
    result: DrawResult
    rules: DrawRules
    seed: int
    case_list: str
    case_list_sha256: str
    notes: list[str]


def _file_for(rules: DrawRules, d: Drawn, audit_id: str | None) -> str:
    tool_id = d.tool.split("@")[0]
    if rules.programme == "single-agency":
        return layout.audit_path(rules.month, d.case.case, tool_id)
    if rules.programme == "crib-sheet":
        return layout.crib_sheet_path(rules.month, d.case.team, d.case.case)
    return layout.multi_agency_scope_path(str(audit_id))


def _month_name(month: str) -> str:
    return dt.date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def render_sample(
    plan_head: dict[str, Any],
    rules: DrawRules,
    result: DrawResult,
    files: list[str],
    notes: list[str],
) -> str:
    from .blank import comment, scalar

    title = {
        "single-agency": "Single-agency peer audit",
        "crib-sheet": "Crib sheet",
        "multi-agency": "Multi-agency baseline audit",
    }[rules.programme]
    lines = comment(
        f"{title} sample for {_month_name(rules.month)}, drawn by `qa sample` on "
        f"{plan_head['drawn']}. Anyone can re-draw it with `qa sample --verify {rules.month}"
        + ("" if rules.programme == "single-agency" else f" --programme {rules.programme}")
        + "`: the seed, the case list's SHA-256 and the rules below give the same allocations, "
        "so the sample was not hand-picked. Do not edit the allocations by hand."
    )
    lines.append("schema: qa/sample@1")
    for k in ("month", "programme", "drawn", "seed", "case_list", "case_list_sha256"):
        lines.append(f"{k}: {scalar(plan_head[k])}")
    rec = rules.as_record()
    lines.append("rules:")
    for k, v in rec.items():
        if k == "takers":
            lines.append("  takers:")
            for t in v:
                lines.append(f"    - auditors: {scalar(t['auditors'])}")
                lines.append(f"      teams: {scalar(t['teams'])}")
                lines.append(f"      cases: {t['cases']}")
        elif isinstance(v, dict):
            if not v:
                lines.append(f"  {k}: {{}}")
                continue
            lines.append(f"  {k}:")
            for kk, vv in v.items():
                lines.append(f"    {scalar(kk)}: {scalar(vv)}")
        else:
            lines.append(f"  {k}: {scalar(v)}")
    lines.append("allocations:" if result.allocations else "allocations: []")
    for d, file in zip(result.allocations, files, strict=True):
        lines.append(f"  - case: {d.case.case}")
        lines.append(f"    team: {d.case.team}")
        lines.append(f"    category: {d.case.category}")
        lines.append(f"    tool: {d.tool}")
        lines.append(f"    auditors: {scalar(list(d.auditors))}")
        lines.append(f"    allocated: {rules.allocated}")
        lines.append(f"    due: {rules.due}")
        lines.append(f"    file: {scalar(file)}")
        if d.reason:
            lines.append(f"    reason: {scalar(d.reason)}")
    lines.append("excluded:" if result.excluded else "excluded: []")
    for case, reason in result.excluded:
        lines.append(f"  - case: {case}")
        lines.append(f"    reason: {scalar(reason)}")
    lines.append("notes:" if notes else "notes: []")
    for n in notes:
        lines.append(f"  - {scalar(n)}")
    return "\n".join(lines) + "\n"


def _returns(
    repo: Any,
    rules: DrawRules,
    result: DrawResult,
    files: list[str],
    audit_id: str | None,
    config: Any,
) -> list[tuple[str, str]]:
    from . import blank
    from .blank import scalar

    out: list[tuple[str, str]] = []
    intro = [f"Drawn by `qa sample` for {_month_name(rules.month)}; due {rules.due}."]
    for d, file in zip(result.allocations, files, strict=True):
        tool = repo.tools[d.tool]
        if rules.programme == "single-agency":
            text = blank.audit_blank(
                tool,
                case=d.case.case,
                team=d.case.team,
                social_worker=d.case.worker,
                auditors=list(d.auditors),
                allocated=rules.allocated,
                due=rules.due,
                intro=intro,
            )
            out.append((file, text))
        elif rules.programme == "crib-sheet":
            text = blank.crib_sheet_blank(
                tool,
                month=rules.month,
                team=d.case.team,
                case=d.case.case,
                social_worker=d.case.worker,
                team_manager=d.auditors[1],
                service_manager=d.auditors[0],
                intro=intro,
            )
            out.append((file, text))
    if rules.programme == "multi-agency" and result.allocations:
        staff = config.staff_by_id()
        tool = repo.tools[result.allocations[0].tool]
        leads = sorted(s.id for s in config.staff if "qa_lead" in s.roles) or sorted(staff)
        agencies = [(staff[a].agency, a) for a in rules.takers[0].auditors]
        scope = [
            "# Multi-agency baseline audit (App. E): drawn by `qa sample --programme "
            "multi-agency`.",
            "# Agree the terms of reference and dates at the pre-meeting (App. E 5).",
            "schema: qa/multi-agency@1",
            f"id: {audit_id}",
            f"title: {scalar('Baseline audit: ' + CATEGORY_TITLES.get(rules.cohort or '', ''))}",
            f"cohort: {rules.cohort}",
            f"lead: {leads[0]}",
            "terms_of_reference: To be agreed by the audit group at the pre-meeting (App. E 5).",
            f"tool: {tool.ref}",
            "agencies:",
            *[f"  - agency: {ag}\n    auditor: {a}" for ag, a in agencies],
            "cases:",
            *[f"  - {d.case.case}" for d in result.allocations],
            f"returns_due: {rules.due}",
        ]
        out.append((layout.multi_agency_scope_path(str(audit_id)), "\n".join(scope) + "\n"))
        for d in result.allocations:
            for ag, a in agencies:
                out.append(
                    (
                        layout.agency_return_path(str(audit_id), d.case.case, ag),
                        blank.agency_return_blank(
                            tool, case=d.case.case, agency=ag, auditor=a, intro=intro
                        ),
                    )
                )
    return out


CATEGORY_TITLES = {
    "CIN": "children in need",
    "CP": "children subject to a child protection plan",
    "CLA": "children looked after",
    "care_leaver": "care leavers",
    "early_help": "early help",
}


def _case_list(repo: Any, cases: str | None, allocated: dt.date) -> tuple[str, list[CaseRow], str]:
    from pathlib import Path

    from .caselist import newest_case_list, read_case_list

    if cases is None:
        path = newest_case_list(repo.root, allocated)
    else:
        path = Path(cases)
        if not path.is_absolute():
            path = (Path.cwd() / path) if path.exists() else (repo.root / path)
    try:
        rel = path.resolve().relative_to(repo.root.resolve()).as_posix()
    except ValueError:
        from .errors import QAError

        raise QAError(
            f"{path} is not inside the audit repository",
            "a sample is drawn from a case list of cases/ so anyone can re-draw it; import the "
            "export with `qa cases import` first",
        ) from None
    rows, sha = read_case_list(path, rel)
    return rel, rows, sha


def plan_sample(
    repo: Any,
    programme: str,
    month: str,
    today: dt.date,
    seed: int | None = None,
    cases: str | None = None,
    cohort: str | None = None,
    n_cases: int | None = None,
    audit_id: str | None = None,
) -> SamplePlan:
    """Draw a month's sample and render its file and blank returns (nothing is written)."""
    allocated = allocation_date(month, today)
    rules, notes = build_rules(
        repo.config, repo.tools, programme, month, allocated, cohort, n_cases
    )
    rel_list, rows, sha = _case_list(repo, cases, allocated)
    if seed is None:
        seed = default_seed(programme, month, sha)
    if programme == "multi-agency" and audit_id is None:
        audit_id = f"{month}-{(rules.cohort or '').lower().replace('_', '-')}"
    result = draw(
        rows,
        rules,
        random.Random(seed),
        history(repo, programme, allocated),
        reaudits_due(repo, month, allocated) if programme == "single-agency" else (),
    )
    files = [_file_for(rules, d, audit_id) for d in result.allocations]
    all_notes = notes + result.notes
    head = {
        "month": month,
        "programme": programme,
        "drawn": today,
        "seed": seed,
        "case_list": rel_list,
        "case_list_sha256": sha,
    }
    text = render_sample(head, rules, result, files, all_notes)
    returns = _returns(repo, rules, result, files, audit_id, repo.config)
    return SamplePlan(
        programme,
        month,
        sample_rel(month, programme),
        text,
        returns,
        result,
        rules,
        seed,
        rel_list,
        sha,
        all_notes,
    )


def write_plan(repo: Any, plan: SamplePlan) -> list[str]:
    """Write the sample file, then each blank return; refuses if any of them exists."""
    from .errors import QAError

    existing = [
        rel for rel in [plan.rel] + [r for r, _ in plan.returns] if (repo.root / rel).exists()
    ]
    if existing:
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        raise QAError(
            f"{existing[0]} already exists"
            + (f" (with {', '.join(existing[1:5])}{more})" if len(existing) > 1 else "")
            + "; nothing was written",
            f"the month was drawn already: `qa sample --verify {plan.month}` checks it, "
            f"`qa sample --add --month {plan.month}` creates missing returns; never re-draw "
            "over returns auditors may have started",
            exit_code=1,
        )
    written = [str(repo.write_new(plan.rel, plan.text).relative_to(repo.root))]
    for rel, text in plan.returns:
        repo.write_new(rel, text)
        written.append(rel)
    return written


@dataclass
class Verification:
    ok: bool
    problems: list[str]
    checked: int
    top_ups: int


def _recorded(repo: Any, month: str, programme: str) -> Any:
    from .errors import QAError

    rel = sample_rel(month, programme)
    lf = next((f for f in repo.files if f.rel == rel), None)
    if lf is None:
        raise QAError(
            f"there is no {rel}",
            f"draw the month first with `qa sample --month {month}`"
            + ("" if programme == "single-agency" else f" --programme {programme}"),
        )
    if lf.model is None:
        raise QAError(f"{rel} is not a valid sample file", f"run `qa validate {rel}` to see why")
    return lf


def verify(repo: Any, month: str, programme: str) -> Verification:
    """Re-draw a recorded sample from its case list, rules and seed; list every difference."""
    from .errors import QAError

    lf = _recorded(repo, month, programme)
    s = lf.model
    rel = sample_rel(month, programme)
    if s.rules.get("algorithm") != ALGORITHM:
        raise QAError(
            f"{rel} was not drawn by `qa sample` (its rules record no algorithm {ALGORITHM}), "
            "so it cannot be re-drawn",
            "samples drawn before qa, or by hand, can only be checked by reading them",
            exit_code=1,
        )
    problems: list[str] = []
    if s.case_list is None:
        raise QAError(f"{rel} records no case list", "it cannot be re-drawn", exit_code=1)
    path = repo.root / s.case_list
    if not path.is_file():
        raise QAError(
            f"{rel} was drawn from {s.case_list}, which is not in the repository",
            "restore the case list from git history to verify the sample",
            exit_code=1,
        )
    from .caselist import read_case_list

    rows, sha = read_case_list(path, s.case_list)
    if sha != s.case_list_sha256:
        problems.append(
            f"{s.case_list} has changed since the draw (its SHA-256 is {sha[:12]}..., "
            f"the sample records {str(s.case_list_sha256)[:12]}...)"
        )
    try:
        rules = DrawRules.from_record(programme, month, s.rules)
    except (KeyError, TypeError, ValueError) as exc:
        raise QAError(
            f"{rel}: the recorded rules are incomplete ({exc})",
            "the rules block must stay as `qa sample` wrote it",
            exit_code=1,
        ) from None
    audit_id = None
    if programme == "multi-agency" and s.allocations:
        audit_id = s.allocations[0].file.split("/")[1]
    result = draw(
        rows,
        rules,
        random.Random(s.seed),
        history(repo, programme, rules.allocated),
        reaudits_due(repo, month, rules.allocated) if programme == "single-agency" else (),
    )
    files = [_file_for(rules, d, audit_id) for d in result.allocations]
    redrawn = [
        (
            d.case.case,
            d.case.team,
            d.case.category,
            d.tool,
            list(d.auditors),
            rules.allocated,
            rules.due,
            f,
            d.reason,
        )
        for d, f in zip(result.allocations, files, strict=True)
    ]
    original = [a for a in s.allocations if not (a.reason or "").startswith("top-up")]
    recorded = [
        (a.case, a.team, a.category, a.tool, list(a.auditors), a.allocated, a.due, a.file, a.reason)
        for a in original
    ]
    names = ("case", "team", "category", "tool", "auditors", "allocated", "due", "file", "reason")
    for n, (want, got) in enumerate(zip(redrawn, recorded, strict=False), start=1):
        if want != got:
            diffs = [
                f"{k} is {g!s} but the re-draw gives {w!s}"
                for k, w, g in zip(names, want, got, strict=True)
                if w != g
            ]
            line = lf.pos(["allocations", s.allocations.index(original[n - 1])])[0]
            problems.append(f"{rel}:{line}: allocation {n} ({got[0]}): " + "; ".join(diffs))
    if len(redrawn) != len(recorded):
        problems.append(
            f"{rel}: {len(recorded)} allocations recorded, the re-draw gives {len(redrawn)}"
        )
    rec_excl = [(e.case, e.reason) for e in s.excluded]
    if rec_excl != result.excluded:
        extra = sorted(set(rec_excl) - set(result.excluded))
        gone = sorted(set(result.excluded) - set(rec_excl))
        problems.append(
            f"{rel}: the excluded cases differ from the re-draw"
            + (
                f"; recorded but not re-drawn: {', '.join(c for c, _ in extra[:5])}"
                if extra
                else ""
            )
            + (f"; re-drawn but not recorded: {', '.join(c for c, _ in gone[:5])}" if gone else "")
        )
    return Verification(not problems, problems, len(recorded), len(s.allocations) - len(original))


def _copy(day: dt.date) -> dt.date:
    """A date object of its own: ruamel writes one object used twice as an anchor and alias."""
    return dt.date(day.year, day.month, day.day)


@dataclass
class AddResult:
    created: list[str]
    added: list[Drawn]
    notes: list[str]


def add_to_sample(repo: Any, month: str, programme: str, today: dt.date) -> AddResult:
    """Top up a drawn month: create missing returns and draw for pairs short of their cases.

    Existing returns are never touched; new allocations are appended to the sample file
    (comments and formatting kept) with the reason "top-up on <date>", and are not part of
    the seeded draw that ``--verify`` checks.
    """
    from . import yamlio
    from .caselist import read_case_list
    from .errors import QAError

    if programme == "multi-agency":
        raise QAError(
            "--add is not available for the multi-agency programme",
            "create a missing agency return with `qa new multi-agency ...`",
        )
    lf = _recorded(repo, month, programme)
    s = lf.model
    rows, _ = read_case_list(repo.root / s.case_list, s.case_list) if s.case_list else ([], "")
    by_case = {r.case: r for r in rows}
    rules_rec = (
        DrawRules.from_record(programme, month, s.rules)
        if s.rules.get("algorithm") == ALGORITHM
        else None
    )
    created: list[str] = []
    notes: list[str] = []
    pending: list[tuple[str, str]] = []
    for a in s.allocations:
        if (repo.root / a.file).exists():
            continue
        row = by_case.get(a.case)
        if row is None:
            notes.append(
                f"{a.file} is missing and {a.case} is not in {s.case_list}: create it by hand"
            )
            continue
        rules = rules_rec or DrawRules(programme, month, a.allocated, a.due, [], {})
        rules = DrawRules(programme, month, a.allocated, a.due, rules.takers, rules.tools)
        d = Drawn(row, tuple(a.auditors), a.tool, a.reason)
        pending += _returns(repo, rules, DrawResult([d], [], []), [a.file], None, repo.config)
    allocated = allocation_date(month, today)
    rules, more = build_rules(repo.config, repo.tools, programme, month, allocated)
    notes += more
    already = Counter(tuple(a.auditors) for a in s.allocations)
    result = draw(
        rows,
        rules,
        random.Random(f"{s.seed}/top-up/{allocated}"),
        history(repo, programme, allocated),
        (),
        already,
        [a.case for a in s.allocations],
    )
    notes += result.notes
    files = [_file_for(rules, d, None) for d in result.allocations]
    pending += _returns(repo, rules, result, files, None, repo.config)
    clash = [rel for rel, _ in pending if (repo.root / rel).exists()]
    if clash:
        raise QAError(
            f"{clash[0]} already exists; nothing was written",
            "a return is never overwritten: move it aside if it is not wanted",
        )
    if result.allocations:
        assert lf.text is not None  # the sample loaded, so its text is there
        doc = yamlio.load_roundtrip(lf.text)
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        from .moderation import restore_dates

        restore_dates(doc)
        seq = doc.get("allocations")
        if not isinstance(seq, CommentedSeq):
            seq = CommentedSeq()
            doc["allocations"] = seq
        for d, f in zip(result.allocations, files, strict=True):
            m = CommentedMap()
            flow = CommentedSeq(d.auditors)
            flow.fa.set_flow_style()
            for k, v in (
                ("case", d.case.case),
                ("team", d.case.team),
                ("category", d.case.category),
                ("tool", d.tool),
                ("auditors", flow),
                ("allocated", _copy(rules.allocated)),
                ("due", _copy(rules.due)),
                ("file", f),
                ("reason", f"top-up on {today}"),
            ):
                m[k] = v
            seq.append(m)
        yamlio.atomic_write(repo.path_for_write(lf.rel), yamlio.dump_roundtrip(doc))
    for rel, text in pending:
        repo.write_new(rel, text)
        created.append(rel)
    return AddResult(created, result.allocations, notes)
