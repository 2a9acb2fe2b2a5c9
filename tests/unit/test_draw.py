"""The draw on its own (qa_cli.draw): counts, conflicts, spread, categories, seeds, exclusions."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from qa_cli.caselist import CaseRow
from qa_cli.draw import REASON_BSC, DrawRules, Taker, draw

D = dt.date(2026, 12, 1)
TOOLS = {c: "t@1" for c in ("CIN", "CP", "CLA", "care_leaver", "early_help")}


def _cases(n: int, teams: list[str], seed: int = 1) -> list[CaseRow]:
    rng = random.Random(seed)
    cats = ["CIN"] * 5 + ["CP"] * 3 + ["early_help"] * 2
    out = []
    for i in range(n):
        team = teams[i % len(teams)]
        out.append(
            CaseRow(f"C-{i:08d}", team, f"sw-{team}-{i % 4}", rng.choice(cats), "2026-01-01", "5-9")
        )
    return out


def _rules(takers: list[Taker], **kw) -> DrawRules:
    return DrawRules("single-agency", "2026-12", D, dt.date(2027, 2, 1), takers, TOOLS, **kw)


TEAMS = ["a", "b", "c", "d"]
TAKERS = [
    Taker(("sm-1", "tm-a"), ("b", "c", "d"), 3),
    Taker(("sm-1", "tm-b"), ("a", "c", "d"), 3),
    Taker(("sm-1", "sw-c-1"), ("a", "b", "c", "d"), 3),  # an auditor who is a worker in team c
]


def test_counts_conflicts_and_spread() -> None:
    cases = _cases(400, TEAMS)
    result = draw(cases, _rules(TAKERS), random.Random(5))
    got = Counter(d.auditors for d in result.allocations)
    assert got == {t.auditors: 3 for t in TAKERS}
    by_taker = {t.auditors: t for t in TAKERS}
    for d in result.allocations:
        assert d.case.team in by_taker[d.auditors].teams  # never their own team
        assert d.case.worker not in d.auditors  # never their own case
    teams = Counter(d.case.team for d in result.allocations)
    assert max(teams.values()) - min(teams.values()) <= 1  # each team before any twice
    assert set(teams) == set(TEAMS)
    assert len({d.case.case for d in result.allocations}) == 9


def test_categories_follow_the_case_list() -> None:
    cases = _cases(2000, TEAMS, seed=3)
    takers = [Taker((f"sm-{i}", f"tm-{i}"), tuple(TEAMS), 10) for i in range(4)]
    result = draw(cases, _rules(takers), random.Random(1))
    share = Counter(c.category for c in cases)
    got = Counter(d.case.category for d in result.allocations)
    for cat, n in share.items():
        assert abs(got[cat] - 40 * n / len(cases)) <= 1.5, (cat, got, share)


def test_deterministic_for_a_seed_and_different_seeds_differ() -> None:
    cases = _cases(300, TEAMS)
    one = draw(cases, _rules(TAKERS), random.Random(11)).allocations
    again = draw(list(reversed(cases)), _rules(TAKERS), random.Random(11)).allocations
    assert one == again  # input order does not matter either
    others = {
        tuple(d.case.case for d in draw(cases, _rules(TAKERS), random.Random(s)).allocations)
        for s in range(12, 20)
    }
    assert len(others) > 1
    assert tuple(d.case.case for d in one) not in others or len(others) > 1


def test_exclusions_are_recorded_with_reasons() -> None:
    cases = _cases(80, TEAMS)
    audited = {c.case: dt.date(2026, 6, 1) for c in cases[:10] if c.team != "d"}
    old = {cases[10].case: dt.date(2025, 6, 1)}  # more than 12 months ago: may be drawn again
    nobody = CaseRow("C-NOWORKER", "a", "", "CIN", "", "")
    result = draw(
        cases + [nobody],
        _rules(TAKERS, excluded_teams={"d": REASON_BSC}),
        random.Random(2),
        history={**audited, **old},
    )
    reasons = dict(result.excluded)
    assert all(reasons[c] == "audited in the last 12 months" for c in audited)
    assert cases[10].case not in reasons
    assert all(reasons[c.case] == REASON_BSC for c in cases if c.team == "d")
    assert reasons["C-NOWORKER"].startswith("no allocated worker")
    drawn = {d.case.case for d in result.allocations}
    assert not drawn & set(reasons)


def test_too_few_cases_says_so() -> None:
    cases = _cases(8, ["a", "b"])
    takers = [Taker(("sm-1", "tm-a"), ("b",), 3), Taker(("sm-1", "tm-b"), ("a",), 3)]
    result = draw(cases[:4], _rules(takers), random.Random(1))
    assert len(result.allocations) == 4
    assert any(
        "only 2 eligible case(s) of 3" in n and "no rule was relaxed" in n for n in result.notes
    )


def test_reaudit_drawn_first_even_if_audited_recently() -> None:
    cases = _cases(100, TEAMS)
    target = next(c for c in cases if c.team == "a")
    result = draw(
        cases,
        _rules(TAKERS),
        random.Random(3),
        history={target.case: D.replace(month=8)},
        reaudits=[target.case, "C-GONEGONE"],
    )
    first = [d for d in result.allocations if d.case.case == target.case]
    assert first and first[0].reason == "re-audit"
    assert any("C-GONEGONE" in n for n in result.notes)
