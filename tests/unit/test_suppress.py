"""Small-number suppression: no count below the threshold can be worked back from the others.

Each table is checked by brute force: every cell a reader cannot see is given every value it
could have, and the test asserts that each suppressed cell can still take at least two values
consistent with everything shown (the row and column totals included).
"""

from __future__ import annotations

import itertools

import pytest

from qa_cli.reports.suppress import (
    WITHHELD,
    finish,
    kept_marker,
    marker,
    pair_text,
    pairs,
    secondary,
    tally,
)

T = 5
LABEL = "fewer than 5"


def _with_totals(body: list[list[int]]) -> list[list[int]]:
    """The body with a total column and a total row, as reports print them."""
    rows = [[*r, sum(r)] for r in body]
    return [*rows, [sum(col) for col in zip(*rows, strict=True)]]


def _recoverable(grid: list[list[int]], hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The hidden small cells whose value is the same in every table consistent with what
    is shown (each row and column of the body adds up to its shown or hidden total)."""
    top = grid[-1][-1]

    def domain(i: int, j: int) -> range:
        if (i, j) not in hidden:
            return range(grid[i][j], grid[i][j] + 1)
        return range(1, T) if 0 < grid[i][j] < T else range(0, top + 1)

    def row_fills(i: int) -> list[list[int]]:  # the row's values that add up
        options = itertools.product(*(domain(i, j) for j in range(len(grid[i]))))
        return [list(r) for r in options if sum(r[:-1]) == r[-1]]

    seen: dict[tuple[int, int], set[int]] = {c: set() for c in hidden}
    for trial in itertools.product(*(row_fills(i) for i in range(len(grid) - 1))):
        for last in row_fills(len(grid) - 1):
            table = [*trial, last]
            if all(sum(r[j] for r in table[:-1]) == last[j] for j in range(len(last))):
                for i, j in hidden:
                    seen[(i, j)].add(table[i][j])
    return {c for c in hidden if 0 < grid[c[0]][c[1]] < T and len(seen[c]) < 2}


@pytest.mark.parametrize(
    "body",
    [
        [[1, 6, 2, 1]],  # a team's grades: three small, one not
        [[0, 12, 3, 0]],  # one small beside a large one: the total would give it back
        [[1, 9, 6, 0], [0, 7, 8, 2]],  # two teams, column totals too
        [[2, 11], [9, 3], [14, 15]],
        [[1, 1, 9, 12]],  # two small that add up to less than the threshold
    ],
)
def test_no_small_cell_can_be_worked_back(body: list[list[int]]) -> None:
    grid = _with_totals(body)
    primary = {(i, j) for i, r in enumerate(grid) for j, v in enumerate(r) if 0 < v < T}
    hidden = primary | secondary(grid, T)
    assert not _recoverable(grid, hidden), (grid, sorted(hidden))


def test_primary_suppression_alone_leaks() -> None:
    grid = _with_totals([[0, 12, 3, 0]])
    primary = {(i, j) for i, r in enumerate(grid) for j, v in enumerate(r) if 0 < v < T}
    assert _recoverable(grid, primary)  # 15 - 12 = 3: why secondary suppression exists


@pytest.mark.parametrize(
    ("k", "n", "shown"),
    [
        (2, 9, (LABEL, "9")),  # the part is small, and its rest cannot be
        (2, 8, ("–", "8")),  # the part is small, and so could its rest be
        (7, 10, ("–", "10")),  # the rest (3) is small
        (5, 6, ("–", "6")),  # the same label either way: "–" never means one value
        (1, 6, ("–", "6")),  # "fewer than 5 of 6" would tell that the rest is not small
        (0, 9, ("0", "9")),
        (9, 9, ("9", "9")),
        (6, 12, ("6", "12")),
        (1, 3, ("–", LABEL)),
    ],
)
def test_k_of_n(k: int, n: int, shown: tuple[str, str]) -> None:
    assert pair_text(k, n, T, LABEL) == shown


@pytest.mark.parametrize("threshold", [3, 5, 10])
def test_no_label_narrows_k_to_one_value(threshold: int) -> None:
    label = f"fewer than {threshold}"
    for n in range(1, 4 * threshold):
        for mark in (WITHHELD, label):
            ks = [k for k in range(n + 1) if pair_text(k, n, threshold, label)[0] == mark]
            assert ks == [] or len(ks) >= 2 or 0 < n < threshold, (n, mark, ks)


def test_pairs_tallies_and_tables_in_text() -> None:
    assert pairs("answered no in 2 of 3 returns; 7 of 10 cases; 6 of 12", T, LABEL) == (
        f"answered no in – of {LABEL} returns; – of 10 cases; 6 of 12"
    )
    assert pairs("no in 3 of 16 returns", T, LABEL) == f"no in {LABEL} of 16 returns"
    k, n = kept_marker(9), kept_marker(16)
    text = f"Good or better: {k} of 16; {k} of {n} (share withheld); – of {n}"
    assert finish(text, T, LABEL) == (
        "Good or better: – of 16; – (share withheld); –"  # a withheld whole: no "– of –"
    )
    assert pairs("on 2026-10-01 of 2026", T, LABEL) == "on 2026-10-01 of 2026"  # no count
    # a pair that ends a sentence is a pair ("7 of 8." gives the 1 back); a decimal is not
    assert pairs("parents 7 of 8.", T, LABEL) == "parents – of 8."
    assert pairs("Team Managers 3 of 8. Then", T, LABEL) == "Team Managers – of 8. Then"
    assert pairs("version 1 of 2.5", T, LABEL) == "version 1 of 2.5"
    assert tally("no: 1, yes: 3", T, LABEL) == f"no: {LABEL}, yes: {LABEL}"
    assert tally("no: 2, yes: 20", T, LABEL) == f"no: {LABEL}, yes: –"
    assert tally("yes: 12", T, LABEL) == "yes: 12"
    md = (
        "| Grade | Returns |\n| --- | ---: |\n"
        f"| Good | 12 |\n| Inadequate | {marker(3)} |\n| **Total** | **15** |\n"
    )
    out = finish(md, T, LABEL)
    assert f"| Inadequate | {LABEL} |" in out and "| Good | – |" in out
    assert "**15**" in out and "\ue000" not in out
