"""Seeded, stratified, conflict-aware draws of the month's cases (App. A, D, E).

The draw (:func:`draw`) is a pure function of the case list, the rules, the seed and the
history it reads from earlier audits (:class:`qa_cli.sampling.DrawInputs`: cases audited
within the exclusion window, re-audits due). All four are recorded in the sample file (the
case list by path and SHA-256; the rules in full: which teams each pair may audit, which
teams are left out and why), so anyone can re-draw a recorded sample from the file alone and
see that it was not hand-picked (``qa sample --verify``), whatever has changed in qa.yaml or
the repository since.

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

from .caselist import CATEGORIES, CaseRow

ALGORITHM = "qa-sample/1"

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


def sample_seed(programme: str, month: str, case_list_sha256: str) -> int:
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
