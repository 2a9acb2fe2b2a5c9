"""Seeded, stratified, conflict-aware draws of the month's cases (App. A, D, E).

The draw (:func:`draw`) is a pure function of the case list, the rules, the seed and the
history it reads from earlier audits (:class:`DrawInputs`: cases audited within the
exclusion window, re-audits due). All four are recorded in the sample file (the case list by
path and SHA-256; the rules in full: which teams each pair may audit, which teams are left out
and why), so anyone can re-draw a recorded sample from the file alone and see that it was not
hand-picked (``qa sample --verify``), whatever has changed in qa.yaml or the repository since.

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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import layout
from .caselist import CATEGORIES, CaseRow
from .models.audit import AuditReturn
from .models.crib_sheet import CribSheet
from .models.multi_agency import MultiAgencyScope

if TYPE_CHECKING:
    from .models.sample import Sample
    from .repository import LoadedFile, Repository

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
    """Draw the month's sample, in the four steps of the module's docstring.

    ``history``: case -> last audited; ``reaudits``: cases whose re-audit falls due;
    ``already``: cases each taker has (for a top-up); ``taken``: cases already in the sample.
    """
    state = _DrawState.start(rules, already or {})
    reaudit_set, taken_set = set(reaudits), set(taken)
    eligible, reaudit_rows = _screen(state, cases, history or {}, reaudit_set, taken_set)
    rng.shuffle(eligible)
    _draw_reaudits(state, reaudit_rows, sorted(reaudit_set - taken_set))
    _draw_rounds(state, eligible, rng)
    _note_shortfalls(state)
    return state.result()


@dataclass
class _DrawState:
    """One draw as it goes: what each taker still needs, what is allocated, notes."""

    rules: DrawRules
    wanted: dict[int, int]
    need: dict[int, int]
    can_take: dict[str, list[int]]
    allocations: list[tuple[int, Drawn]] = field(default_factory=list)
    picked: set[str] = field(default_factory=set)
    excluded: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    queues: dict[tuple[str, str], list[CaseRow]] = field(default_factory=dict)

    @classmethod
    def start(cls, rules: DrawRules, already: Mapping[tuple[str, ...], int]) -> _DrawState:
        wanted = {i: t.need - already.get(t.auditors, 0) for i, t in enumerate(rules.takers)}
        can_take: dict[str, list[int]] = {}
        for i, t in enumerate(rules.takers):
            for team in t.teams:
                can_take.setdefault(team, []).append(i)
        return cls(rules, wanted, dict(wanted), can_take)

    def allocate(self, i: int, c: CaseRow, reason: str | None) -> None:
        tool = self.rules.tools[c.category]
        self.allocations.append((i, Drawn(c, self.rules.takers[i].auditors, tool, reason)))
        self.picked.add(c.case)
        self.need[i] -= 1

    def first_free(self, team: str, cat: str, i: int) -> CaseRow | None:
        """The next case of the team and category that taker ``i`` may audit."""
        auditors = self.rules.takers[i].auditors
        for c in self.queues.get((team, cat), ()):
            if c.case not in self.picked and c.worker not in auditors:
                return c
        return None

    def cats_for(self, team: str, i: int) -> list[str]:
        return [cat for cat in CATEGORIES if self.first_free(team, cat, i) is not None]

    def result(self) -> DrawResult:
        self.allocations.sort(key=lambda p: (p[0], p[1].case.case))
        return DrawResult([d for _, d in self.allocations], self.excluded, self.notes)


def _exclusion(
    rules: DrawRules, c: CaseRow, history: Mapping[str, dt.date], window_start: dt.date
) -> str | None:
    """Why a case may not be drawn (step 1), or None when it is eligible."""
    if c.team in rules.excluded_teams:
        return rules.excluded_teams[c.team]
    last = history.get(c.case)
    if rules.exclude_audited_within_months and last is not None and last > window_start:
        return reason_audited(rules.exclude_audited_within_months)
    if rules.need_worker and not c.worker:
        return REASON_NO_WORKER
    if c.category not in rules.tools:
        return f"no audit tool set for category {c.category}"
    return None


def _screen(
    state: _DrawState,
    cases: Iterable[CaseRow],
    history: Mapping[str, dt.date],
    reaudits: set[str],
    taken: set[str],
) -> tuple[list[CaseRow], list[CaseRow]]:
    """Step 1: (eligible cases, re-audit cases); exclusions are recorded with their reason."""
    from .calendar import add_months

    rules = state.rules
    window_start = add_months(rules.allocated, -rules.exclude_audited_within_months)
    eligible: list[CaseRow] = []
    reaudit_rows: list[CaseRow] = []
    for c in sorted(cases, key=lambda r: r.case):
        if c.case in taken or (rules.cohort and c.category != rules.cohort):
            continue
        if c.case in reaudits:
            reaudit_rows.append(c)
            continue
        reason = _exclusion(rules, c, history, window_start)
        if reason is not None:
            state.excluded.append((c.case, reason))
        elif c.team in state.can_take:
            eligible.append(c)
    return eligible, reaudit_rows


def _draw_reaudits(state: _DrawState, rows: list[CaseRow], due: list[str]) -> None:
    """Step 2: re-audits first, as the action plan asked; to the pair with most room."""
    rules, need = state.rules, state.need
    listed = {c.case for c in rows}
    for code in due:
        if code not in listed:
            state.notes.append(
                f"re-audit of {code} falls due but the case is not on the case list "
                "(closed or transferred?): not drawn"
            )
    for c in rows:
        options = [
            i
            for i in state.can_take.get(c.team, [])
            if need[i] > 0
            and c.worker not in rules.takers[i].auditors
            and c.category in rules.tools
        ]
        if not options:
            state.notes.append(
                f"re-audit of {c.case} falls due but no pair with room may audit "
                f"team {c.team}: not drawn; allocate it by hand or with `qa new`"
            )
            continue
        state.allocate(max(options, key=lambda i: (need[i], -i)), c, REASON_REAUDIT)


def _draw_rounds(state: _DrawState, eligible: list[CaseRow], rng: random.Random) -> None:
    """Step 3: rounds in which every team appears once before any appears twice."""
    rules, need = state.rules, state.need
    for c in eligible:
        state.queues.setdefault((c.team, c.category), []).append(c)
    target = Counter(c.category for c in eligible)
    total_eligible = max(len(eligible), 1)
    taken_cat: Counter[str] = Counter(d.case.category for _, d in state.allocations)
    round_used: set[str] = set()
    pair_teams: Counter[tuple[int, str]] = Counter()
    rounds = 1
    while active := [i for i in need if need[i] > 0]:
        opts = {
            i: [t for t in rules.takers[i].teams if t not in round_used and state.cats_for(t, i)]
            for i in active
        }
        viable = [i for i in active if opts[i]]
        if not viable:
            if not _next_round(state, active, round_used, rounds):
                break
            round_used = set()
            rounds += 1
            continue
        # The most constrained pair chooses first; the category furthest below its share.
        i = min(viable, key=lambda j: (len(opts[j]), -need[j], j))
        avail = {cat for t in opts[i] for cat in state.cats_for(t, i)}
        n = len(state.allocations) + 1
        cat = max(
            sorted(avail, key=CATEGORIES.index),
            key=lambda c: target[c] / total_eligible * n - taken_cat[c],
        )
        teams = sorted(t for t in opts[i] if state.first_free(t, cat, i) is not None)
        # Each pair sees as many teams as it can: teams it has had least come first.
        fewest = min(pair_teams[(i, t)] for t in teams)
        teams = [t for t in teams if pair_teams[(i, t)] == fewest]
        team = teams[rng.randrange(len(teams))]
        case = state.first_free(team, cat, i)
        assert case is not None
        state.allocate(i, case, None)
        pair_teams[(i, team)] += 1
        taken_cat[cat] += 1
        round_used.add(team)


def _next_round(state: _DrawState, active: list[int], round_used: set[str], rounds: int) -> bool:
    """Whether a new round can give more cases; notes the teams the last round left out."""
    rules = state.rules
    if not round_used or not any(
        state.cats_for(t, i) for i in active for t in rules.takers[i].teams
    ):
        return False
    left = sorted(
        t
        for t in {t for i in state.need for t in rules.takers[i].teams}
        if t not in round_used
        and any(
            state.first_free(t, cat, j)
            for j in state.need
            for cat in CATEGORIES
            if t in rules.takers[j].teams
        )
    )
    if left:
        state.notes.append(
            f"spread: in round {rounds} no pair with room could audit "
            + ", ".join(left)
            + "; the next round started without them"
        )
    return True


def _note_shortfalls(state: _DrawState) -> None:
    """Step 4: a pair that could not get its number of cases gets what there is, and a note."""
    rules = state.rules
    for i, t in enumerate(rules.takers):
        if state.need[i] > 0:
            wanted = state.wanted[i]
            got = wanted - state.need[i]
            who = " + ".join(t.auditors) if rules.programme != "multi-agency" else "the baseline"
            state.notes.append(
                f"{who}: only {got} eligible case(s) of {wanted}"
                f" wanted (teams {', '.join(t.teams) or 'none'}); allocated {got}, no rule was "
                "relaxed - widen the pair's expertise or add a case by hand with `qa new`"
            )


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


def _audit_dates(repo: Repository) -> Iterable[tuple[str, dt.date | None]]:
    return ((m.case, m.allocated) for m in repo.models(AuditReturn))


def _crib_sheet_dates(repo: Repository) -> Iterable[tuple[str, dt.date | None]]:
    return ((m.case, month_start(m.month)) for m in repo.models(CribSheet))


def _multi_agency_dates(repo: Repository) -> Iterable[tuple[str, dt.date | None]]:
    return (
        (c, m.pre_meeting or m.returns_due) for m in repo.models(MultiAgencyScope) for c in m.cases
    )


# Where each programme's earlier audits are, as (case, date) pairs, besides its samples.
AUDIT_DATES: dict[str, Callable[[Repository], Iterable[tuple[str, dt.date | None]]]] = {
    "single-agency": _audit_dates,
    "crib-sheet": _crib_sheet_dates,
    "multi-agency": _multi_agency_dates,
}


def month_start(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def history(repo: Repository, programme: str, before: dt.date) -> dict[str, dt.date]:
    """case -> when it was last audited in this programme, counting only what came before."""
    dates: list[tuple[str, dt.date | None]] = [
        (a.case, a.allocated)
        for (_, prog), sample in repo.samples.items()
        if prog == programme
        for a in sample.allocations
    ]
    dates += AUDIT_DATES[programme](repo) if programme in AUDIT_DATES else []
    out: dict[str, dt.date] = {}
    for case, when in dates:
        if when is not None and when < before and (case not in out or out[case] < when):
            out[case] = when
    return out


def reaudits_due(repo: Repository, month: str, before: dt.date) -> list[str]:
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


@dataclass(frozen=True)
class DrawInputs:
    """What a draw reads from the repository besides the case list; recorded in the sample.

    ``audited``: the case list's cases audited within the exclusion window, with their last
    audit (the only history the draw looks at); ``re_audits``: the cases whose re-audit falls
    due. ``qa sample --verify`` re-draws from these as recorded, so a later audit or a
    ``re_audit:`` date added to an earlier return does not make a correct month fail.
    """

    audited: dict[str, dt.date]
    re_audits: list[str]

    @classmethod
    def read(cls, repo: Repository, rules: DrawRules, cases: Iterable[CaseRow]) -> DrawInputs:
        """The inputs as the repository holds them now (for a new draw)."""
        from .calendar import add_months

        audited: dict[str, dt.date] = {}
        if rules.exclude_audited_within_months:
            window_start = add_months(rules.allocated, -rules.exclude_audited_within_months)
            on_list = {c.case for c in cases}
            last = history(repo, rules.programme, rules.allocated)
            audited = {c: d for c, d in sorted(last.items()) if c in on_list and d > window_start}
        re_audits = (
            reaudits_due(repo, rules.month, rules.allocated)
            if rules.programme == "single-agency"
            else []
        )
        return cls(audited, re_audits)

    @classmethod
    def recorded(cls, sample: Sample) -> DrawInputs | None:
        """The inputs a sample file recorded; None for a sample drawn before they were."""
        if sample.history is None:
            return None
        return cls(dict(sample.history.audited), list(sample.history.re_audits))

    def render(self) -> list[str]:
        """The ``history:`` block of the sample file."""
        from .blank import comment, scalar

        lines = comment(
            "What the draw read from earlier audits, so that --verify needs nothing else: "
            "the cases audited within the exclusion window (last audit) and the re-audits "
            "that fell due."
        )
        lines.append("history:")
        lines.append("  audited:" if self.audited else "  audited: {}")
        lines += [f"    {case}: {day}" for case, day in self.audited.items()]
        lines.append(f"  re_audits: {scalar(self.re_audits)}")
        return lines


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
    return month_start(month).strftime("%B %Y")


def render_sample(
    plan_head: dict[str, Any],
    rules: DrawRules,
    result: DrawResult,
    files: list[str],
    notes: list[str],
    inputs: DrawInputs,
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
        + "`: the seed, the case list's SHA-256, the rules and the history below give the same "
        "allocations, so the sample was not hand-picked. Do not edit the allocations by hand."
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
    lines += inputs.render()
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
    repo: Repository,
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


def _case_list(
    repo: Repository, cases: str | None, allocated: dt.date
) -> tuple[str, list[CaseRow], str]:
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
    repo: Repository,
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
    inputs = DrawInputs.read(repo, rules, rows)
    result = draw(rows, rules, random.Random(seed), inputs.audited, inputs.re_audits)
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
    text = render_sample(head, rules, result, files, all_notes, inputs)
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


def write_plan(repo: Repository, plan: SamplePlan) -> list[str]:
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
    # False for a sample drawn before its history was recorded: re-drawn from the
    # repository as it is now, so a later re-audit or audit can make it differ.
    from_record: bool = True


def _recorded(repo: Repository, month: str, programme: str) -> tuple[LoadedFile, Sample]:
    from .errors import QAError
    from .models.sample import Sample

    rel = sample_rel(month, programme)
    lf = next((f for f in repo.files if f.rel == rel), None)
    if lf is None:
        raise QAError(
            f"there is no {rel}",
            f"draw the month first with `qa sample --month {month}`"
            + ("" if programme == "single-agency" else f" --programme {programme}"),
        )
    if not isinstance(lf.model, Sample):
        raise QAError(f"{rel} is not a valid sample file", f"run `qa validate {rel}` to see why")
    return lf, lf.model


def _recorded_rules(rel: str, s: Sample) -> DrawRules:
    """The rules a sample records; refuses a sample `qa sample` did not draw."""
    from .errors import QAError

    if s.rules.get("algorithm") != ALGORITHM:
        raise QAError(
            f"{rel} was not drawn by `qa sample` (its rules record no algorithm {ALGORITHM}), "
            "so it cannot be re-drawn",
            "samples drawn before qa, or by hand, can only be checked by reading them",
            exit_code=1,
        )
    try:
        return DrawRules.from_record(s.programme, s.month, s.rules)
    except (KeyError, TypeError, ValueError) as exc:
        raise QAError(
            f"{rel}: the recorded rules are incomplete ({exc})",
            "the rules block must stay as `qa sample` wrote it",
            exit_code=1,
        ) from None


def _recorded_case_list(repo: Repository, rel: str, s: Sample) -> tuple[list[CaseRow], str]:
    from .caselist import read_case_list
    from .errors import QAError

    if s.case_list is None:
        raise QAError(f"{rel} records no case list", "it cannot be re-drawn", exit_code=1)
    path = repo.root / s.case_list
    if not path.is_file():
        raise QAError(
            f"{rel} was drawn from {s.case_list}, which is not in the repository",
            "restore the case list from git history to verify the sample",
            exit_code=1,
        )
    return read_case_list(path, s.case_list)


_FIELDS = ("case", "team", "category", "tool", "auditors", "allocated", "due", "file", "reason")


def _compare_allocations(
    lf: LoadedFile, s: Sample, rules: DrawRules, result: DrawResult, files: list[str]
) -> tuple[list[str], int]:
    """Differences between the recorded allocations (top-ups aside) and the re-draw."""
    redrawn = [
        (d.case.case, d.case.team, d.case.category, d.tool, list(d.auditors))
        + (rules.allocated, rules.due, f, d.reason)
        for d, f in zip(result.allocations, files, strict=True)
    ]
    original = [a for a in s.allocations if not (a.reason or "").startswith("top-up")]
    recorded = [
        (a.case, a.team, a.category, a.tool, list(a.auditors), a.allocated, a.due, a.file, a.reason)
        for a in original
    ]
    problems: list[str] = []
    for n, (want, got) in enumerate(zip(redrawn, recorded, strict=False), start=1):
        if want != got:
            diffs = [
                f"{k} is {g!s} but the re-draw gives {w!s}"
                for k, w, g in zip(_FIELDS, want, got, strict=True)
                if w != g
            ]
            line = lf.pos(["allocations", s.allocations.index(original[n - 1])])[0]
            problems.append(f"{lf.rel}:{line}: allocation {n} ({got[0]}): " + "; ".join(diffs))
    if len(redrawn) != len(recorded):
        problems.append(
            f"{lf.rel}: {len(recorded)} allocations recorded, the re-draw gives {len(redrawn)}"
        )
    return problems, len(recorded)


def _compare_excluded(rel: str, s: Sample, result: DrawResult) -> list[str]:
    rec_excl = [(e.case, e.reason) for e in s.excluded]
    if rec_excl == result.excluded:
        return []
    extra = sorted(set(rec_excl) - set(result.excluded))
    gone = sorted(set(result.excluded) - set(rec_excl))
    return [
        f"{rel}: the excluded cases differ from the re-draw"
        + (f"; recorded but not re-drawn: {', '.join(c for c, _ in extra[:5])}" if extra else "")
        + (f"; re-drawn but not recorded: {', '.join(c for c, _ in gone[:5])}" if gone else "")
    ]


def verify_sample(repo: Repository, month: str, programme: str) -> Verification:
    """Re-draw a recorded sample from what it records; list every difference.

    The case list (checked against its SHA-256), the rules, the seed and the history the draw
    read are all in the sample file. A sample written before the history was recorded is
    re-drawn with the repository's history as it is now (``from_record`` is then False).
    """
    lf, s = _recorded(repo, month, programme)
    rules = _recorded_rules(lf.rel, s)
    rows, sha = _recorded_case_list(repo, lf.rel, s)
    problems: list[str] = []
    if sha != s.case_list_sha256:
        problems.append(
            f"{s.case_list} has changed since the draw (its SHA-256 is {sha[:12]}..., "
            f"the sample records {str(s.case_list_sha256)[:12]}...)"
        )
    audit_id = None
    if programme == "multi-agency" and s.allocations:
        audit_id = s.allocations[0].file.split("/")[1]
    recorded = DrawInputs.recorded(s)
    inputs = recorded or DrawInputs.read(repo, rules, rows)
    result = draw(rows, rules, random.Random(s.seed), inputs.audited, inputs.re_audits)
    files = [_file_for(rules, d, audit_id) for d in result.allocations]
    differences, checked = _compare_allocations(lf, s, rules, result, files)
    problems += differences + _compare_excluded(lf.rel, s, result)
    top_ups = len(s.allocations) - checked
    return Verification(not problems, problems, checked, top_ups, recorded is not None)


def _copy(day: dt.date) -> dt.date:
    """A date object of its own: ruamel writes one object used twice as an anchor and alias."""
    return dt.date(day.year, day.month, day.day)


@dataclass
class AddResult:
    created: list[str]
    added: list[Drawn]
    notes: list[str]


def add_to_sample(repo: Repository, month: str, programme: str, today: dt.date) -> AddResult:
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
    lf, s = _recorded(repo, month, programme)
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
