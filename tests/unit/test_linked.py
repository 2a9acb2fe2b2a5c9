"""Linked tables (teams nested in services, "k of n" beside counts): suppressed as one table.

Checked by brute force, as in test_suppress: every hidden cell is given every value it could
have, the sums of the hierarchy are recomputed, and each hidden count from 1 to 4 (or the
rest of a "k of n") must still take at least two values consistent with everything shown.
"""

from __future__ import annotations

import itertools

import pytest

from qa_cli.reports import linked
from qa_cli.reports.suppress import secondary

T = 5
Tree = dict[str, dict[str, list[int]]]  # service -> team -> counts by column


def _links(tree: Tree, pair: bool) -> tuple[linked.Links, dict[object, set[tuple[str, int]]]]:
    """The figures of a services-and-teams report over ``tree``: each figure's cells.

    Columns are grades; with ``pair`` the first column is also shown as "k of n" of the row
    (Good or better of the returns)."""
    links = linked.Links()
    cells: dict[object, set[tuple[str, int]]] = {}
    width = len(next(iter(next(iter(tree.values())).values())))
    slot: list[int] = [0]

    def fig(key: object, leaves: set[tuple[str, int]], counts: dict[tuple[str, int], int]) -> None:
        slot[0] += 1
        value = sum(counts[c] for c in leaves)
        links.figure(key, value, ({slot[0]: value}, slot[0]))  # shown somewhere
        cells[key] = leaves

    counts = {(t, j): v[j] for s in tree.values() for t, v in s.items() for j in range(width)}
    groups = {("team", t): {t} for s in tree.values() for t in s}
    groups |= {("service", s): set(tree[s]) for s in tree}
    groups[("all",)] = {t for s in tree.values() for t in s}
    for g, teams in groups.items():
        for j in range(width):
            fig((g, j), {(t, j) for t in teams}, counts)
        fig((g, "n"), {(t, j) for t in teams for j in range(width)}, counts)
        links.total((g, "n"), [(g, j) for j in range(width)])
        if pair:
            links.pair((g, 0), (g, "n"))
            cells[("not", (g, 0))] = {(t, j) for t in teams for j in range(1, width)}
    for s in tree:
        for f in [*range(width), "n"]:
            links.total((("service", s), f), [(("team", t), f) for t in tree[s]])
    for f in [*range(width), "n"]:
        links.total((("all",), f), [(("service", s), f) for s in tree])
    return links, cells


def _recoverable(links: linked.Links, cells: dict[object, set], hidden: set) -> list[object]:
    """The hidden small figures (and small rests) that have one value in every filling of
    the hidden cells consistent with the figures shown."""
    leaves = sorted({c for cs in cells.values() for c in cs})
    value = {c: 0 for c in leaves}
    for key, cs in cells.items():  # each leaf is a team's count: its one-cell figure
        if len(cs) == 1 and key in links.value:
            value[next(iter(cs))] = links.value[key]
    secret = [c for c in leaves if any(k in hidden for k, cs in cells.items() if cs == {c})]
    shown = {k: links.value[k] for k in links.value if links.shown(k) and k not in hidden}
    watch = [k for k in cells if 0 < links.value[k] < T and (k in hidden or not links.shown(k))]
    seen: dict[object, set[int]] = {k: set() for k in watch}
    # (a range narrower than 0..total for the larger cells only makes the check stricter)
    domains = [range(1, T) if 0 < value[c] < T else range(0, max(value[c], 8) + 2) for c in secret]
    for trial in itertools.product(*domains):
        v = {**value, **dict(zip(secret, trial, strict=True))}
        if all(sum(v[c] for c in cells[k]) == x for k, x in shown.items() if k in cells):
            for k in watch:
                seen[k].add(sum(v[c] for c in cells[k]))
    return [k for k in watch if len(seen[k]) < 2]


CASES = [
    # the documented gap: two hidden teams in different services, services shown
    {"S1": {"T1": [3], "T2": [9]}, "S2": {"T3": [2], "T4": [11]}},
    # two grades, a small one in each service
    {"S1": {"T1": [1, 6], "T2": [5, 4]}, "S2": {"T3": [6, 2], "T4": [7, 0]}},
    # one team alone in its service: the service gives the team back
    {"S1": {"T1": [2, 7]}, "S2": {"T2": [6, 6], "T3": [9, 5]}},
]


@pytest.mark.parametrize("tree", CASES)
@pytest.mark.parametrize("pair", [False, True])
def test_no_small_figure_can_be_worked_back_across_linked_tables(tree: Tree, pair: bool) -> None:
    links, cells = _links(tree, pair)
    if pair and len(next(iter(next(iter(tree.values())).values()))) < 2:
        pytest.skip("a one-column row has no rest")
    hidden = linked.plan(links, T)
    assert not _recoverable(links, cells, hidden), sorted(map(str, hidden))
    assert not linked.disclosed(links, hidden, T)


def test_table_by_table_suppression_leaks_the_documented_gap() -> None:
    """Each table safe on its own (teams; services), the two together give a team back."""
    tree = CASES[0]
    links, cells = _links(tree, pair=False)
    teams = [[v[0]] for s in tree.values() for v in s.values()]
    services = [[sum(v[0] for v in s.values())] for s in tree.values()]
    team_keys = [(("team", t), 0) for s in tree.values() for t in s]
    hidden = {team_keys[i] for i, row in enumerate(teams) if 0 < row[0] < T}
    hidden |= {team_keys[i] for i, _ in secondary(teams, T)}
    assert not secondary(services, T)  # no small service: both shown
    assert _recoverable(links, cells, hidden)  # 12 - 9 gives the 3 back
    assert linked.disclosed(links, hidden, T)


def test_figures_are_marked_where_shown_and_withheld_only_when_a_redaction_asks() -> None:
    links = linked.Links()
    row, other = {"n": 12, "k": 2, "rest": 10}, {"returns": 12}
    links.figure("n", 12, (row, "n"), (other, "returns"))
    links.figure("k", 2, (row, "k"))
    links.figure("rest", 10, (row, "rest"))
    links.total("n", ["k", "rest"])
    linked.withhold(links, None)
    assert "planned" not in vars(links)  # the full report never works out the plan
    assert row == {"n": 12, "k": 2, "rest": 10} and str(row["n"]) == "12"
    assert row["n"] is not other["returns"] and row["n"].key == other["returns"].key == "n"
    # a redaction asks: the small k is labelled anyway; 12 - 10 would give it back
    assert [linked.withheld(v) for v in (row["k"], row["rest"], other["returns"])] == [
        False,
        True,
        False,
    ]
    assert "planned" in vars(links) and links.planned == {"k", "rest"}


def _themes() -> dict[str, list[dict[str, object]]]:
    """Two questions of one line of enquiry answered "no" 5 and 2 times, the line 7."""
    q = [("q1", 5, 16), ("q2", 2, 16)]
    return {
        "questions": [
            {"question": i, "line_of_enquiry": "L", "no": no, "answered": n} for i, no, n in q
        ],
        "enquiries": [
            {"line_of_enquiry": "L", "text": "t", "no": 7, "answered": 40, "below_good": 0}
            | {"graded": 10}
        ],
    }


def test_a_line_of_enquiry_is_tied_to_its_questions() -> None:
    """The themes list's "no in 5 of 16" and the line's "7 of 40" gave the other question's
    2 back (7 - 5); the plan withholds one more, so it takes at least two values."""
    links = linked.Links()
    themes = _themes()
    linked.themes(links, themes)
    q1, q2, line = (
        (("question", "q1"), "no"),
        (("question", "q2"), "no"),
        (("enquiry", "L", "t"), "no"),
    )
    primary = {q2}
    assert q2 in linked.disclosed(links, primary, T)  # what the pair rule alone leaves
    hidden = linked.plan(links, T)
    assert not linked.disclosed(links, hidden, T)
    shown = {k: links.value[k] for k in (q1, line) if k not in hidden}
    values = {  # q2 over every filling of the hidden ones that adds up (q1 + q2 = line)
        b
        for a in (range(0, 17) if q1 in hidden else [5])
        for b in range(1, T)
        for c in (range(0, 41) if line in hidden else [7])
        if a + b == c and all({q1: a, line: c}[k] == v for k, v in shown.items())
    }
    assert len(values) >= 2, (sorted(map(str, hidden)), values)
