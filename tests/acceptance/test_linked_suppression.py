"""Linked tables in a redacted report: no small count can be worked back across tables.

The quarterly and annual reports show the same returns several ways: grades overall, by
team, by service (each service the sum of its teams), by month, with "k of n" Good or better
beside each. The test reads the figures of the full and the redacted Markdown, writes every
sum that ties them as a linear equation (the figures shown are constants; those hidden, and
those no table shows, are unknowns), solves the system exactly with fractions, and asserts
that no hidden count from 1 to 4, nor the rest of a "k of n", has one value left. It also
shows that the check bites: with the linkage switched off the same reports give counts back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from qa_cli.models.common import GRADE_NAMES, GRADES

AS_OF = "2026-11-29"
HIDDEN = ("fewer than 5", "–")
Figures = dict[tuple[str, ...], tuple[int, int | None]]  # key -> (true value, shown or None)


@pytest.fixture(autouse=True)
def _no_identity_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("QA_IDENTITY_LIST", raising=False)


def _sections(md: str) -> dict[str, list[list[str]]]:
    """Each Markdown table's body rows under the heading above it."""
    out: dict[str, list[list[str]]] = {}
    heading = ""
    for line in md.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("# ").split(":")[0]
        elif line.startswith("|") and not re.fullmatch(r"\|[\s:|-]+", line):
            cells = [c.strip().strip("*").strip() for c in line.strip().strip("|").split("|")]
            out.setdefault(heading, []).append(cells)
    return {h: rows[1:] for h, rows in out.items()}  # without the heading row


def _number(cell: str) -> int | None:
    return None if cell in HIDDEN else int(cell)


def _pair(cell: str) -> tuple[str, str]:
    if cell.startswith("– ("):  # the whole withheld: "– (share withheld)"
        return "–", "–"
    m = re.match(r"(\S+(?: than \d)?) of (\S+(?: than \d)?)", cell)
    assert m, cell
    return m[1], m[2]


def _figures(full: str, shown: str) -> Iterator[tuple[tuple[str, ...], int, int | None]]:
    """(key, true value, value shown or None) of every figure the linked tables show."""
    a, b = _sections(full), _sections(shown)
    head = r"\*\*(\S+?)\*\* returns; \*\*Good or better:\*\* (\S+(?: than \d)?) of"
    (ra, ka), (rb, kb) = re.search(head, full).groups(), re.search(head, shown).groups()  # type: ignore[union-attr]
    yield ("returns",), int(ra), _number(rb)
    yield ("all", "gob"), int(ka), _number(kb)
    for x, y in zip(a["Grades"], b["Grades"], strict=True):
        key = "n" if x[0] == "Total" else {v: k for k, v in GRADE_NAMES.items()}[x[0]]
        yield ("all", key), int(x[1]), _number(y[1])
    for x, y in zip(a["Trend"], b["Trend"], strict=True):
        n = int(x[1])
        yield ("month", x[0], "n"), n, _number(y[1])
        if n:  # the share with its n gives k
            k = round(int(x[2].rstrip("%")) * n / 100)
            assert y[2] == "–" or y[1] not in HIDDEN, y  # never a share beside a hidden n
            yield ("month", x[0], "gob"), k, None if y[2] == "–" else k
    for kind, table in (("service", "By service"), ("team", "By team")):
        for x, y in zip(a[table], b[table], strict=True):
            assert x[0] == y[0]
            yield (kind, x[0], "n"), int(x[1]), _number(y[1])
            if kind == "team":
                for g, cx, cy in zip(GRADES, x[2:6], y[2:6], strict=True):
                    yield (kind, x[0], g), int(cx), _number(cy)
            (kx, nx), (ky, ny) = _pair(x[-1]), _pair(y[-1])
            assert nx == x[1] and (ny == y[1] or ny in HIDDEN), (x, y)  # n is the Returns
            yield (kind, x[0], "gob"), int(kx), _number(ky)


def _equations(figures: Figures, service_of: dict[str, str]) -> list[dict[tuple[str, ...], int]]:
    """Every sum that ties the figures, as {figure: coefficient} = 0; figures no table shows
    (a service's or a month's counts by grade, a pair's rest) are added as unknowns."""
    rows = sorted({k[:2] for k in figures if k[0] in ("month", "service", "team")})
    eqs: list[dict[tuple[str, ...], int]] = []

    def add(total: tuple[str, ...], parts: list[tuple[str, ...]]) -> None:
        eq = {total: 1}
        for p in parts:
            eq[p] = eq.get(p, 0) - 1
        eqs.append(eq)

    add(("returns",), [("all", "n")])  # the demo's returns all have a grade
    for row in [("all",), *rows]:
        add((*row, "n"), [(*row, g) for g in GRADES])
        add((*row, "gob"), [(*row, "outstanding"), (*row, "good")])
    for kind in ("month", "service", "team"):
        mine = [r for r in rows if r[0] == kind]
        for f in ("n", *GRADES, "gob"):
            add(("all", f), [(*r, f) for r in mine])
    for s in [r for r in rows if r[0] == "service"]:
        teams = [r for r in rows if r[0] == "team" and service_of[r[1]] == s[1]]
        for f in ("n", *GRADES, "gob"):
            add((*s, f), [(*t, f) for t in teams])
    return eqs


def _fixed(eqs: list[dict[tuple[str, ...], int]], shown: Figures) -> set[tuple[str, ...]]:
    """The unknowns whose value the equations fix (exact rational elimination)."""
    known = {k for k, (_, s) in shown.items() if s is not None}
    unknown = sorted({k for eq in eqs for k in eq} - known)
    col = {k: i for i, k in enumerate(unknown)}
    pivots: dict[int, dict[int, Fraction]] = {}
    for eq in eqs:
        row = {col[k]: Fraction(v) for k, v in eq.items() if k in col and v}
        for c in [c for c in row if c in pivots]:
            f = row.get(c)
            if f:
                for j, v in pivots[c].items():
                    row[j] = row.get(j, Fraction(0)) - f * v
                row = {j: v for j, v in row.items() if v}
        if not row:
            continue
        c = min(row)
        row = {j: v / row[c] for j, v in row.items()}
        for other in pivots.values():
            f = other.get(c)
            if f:
                for j, v in row.items():
                    other[j] = other.get(j, Fraction(0)) - f * v
                for j in [j for j, v in other.items() if not v]:
                    del other[j]
        pivots[c] = row
    return {unknown[c] for c, r in pivots.items() if len(r) == 1}


def _worked_back(repo: Path, run, report: tuple[str, ...]) -> list[str]:
    """The small counts (and rests of "k of n") a reader can work out of the redacted report."""
    from qa_cli.repository import Repository

    assert run("report", *report, "--repo", repo, "--as-of", AS_OF).exit_code == 0
    assert run("report", *report, "--repo", repo, "--as-of", AS_OF, "--redact").exit_code == 0
    folder = next(p.parent for p in repo.glob(f"reports/*/{report[0]}.md"))
    full = (folder / f"{report[0]}.md").read_text()
    shown = (folder / f"{report[0]}-redacted.md").read_text()
    figures: Figures = {}
    for key, true, seen in _figures(full, shown):
        assert seen is None or seen == true, (key, true, seen)
        old = figures.get(key)
        figures[key] = (true, seen if old is None else (old[1] if seen is None else seen))
    for key, (true, _) in list(figures.items()):
        if key[-1] == "gob":  # "k of n": the rest n - k is a figure too
            figures[(*key[:-1], "not")] = (figures[(*key[:-1], "n")][0] - true, None)
    cfg = Repository.load(repo).config
    assert cfg is not None
    services = {s.id: s.name for s in cfg.services}
    service_of = {t.name: services[t.service] for t in cfg.teams if t.service}
    eqs = _equations(figures, service_of)
    for key in [k for k in figures if k[-1] == "not"]:
        eqs.append({(*key[:-1], "n"): 1, (*key[:-1], "gob"): -1, key: -1})
    fixed = _fixed(eqs, figures)
    return [
        f"{'/'.join(k)} = {true}"
        for k, (true, seen) in sorted(figures.items())
        if seen is None and 0 < true < 5 and k in fixed
    ]


REPORTS = [
    ("quarterly", "--quarter", "2026-Q3"),
    ("quarterly", "--quarter", "2026-Q4"),
    ("annual", "--year", "2026"),
]


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r[-1])
def test_no_small_count_can_be_worked_back_across_linked_tables(
    demo_repo: Path, run, report: tuple[str, ...]
) -> None:
    assert _worked_back(demo_repo, run, report) == []


def test_without_the_linkage_the_tables_give_counts_back(
    demo_repo: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_cli.reports import linked

    monkeypatch.setattr(linked, "withhold", lambda links, config: None)
    leaks = [x for r in REPORTS for x in _worked_back(demo_repo, run, r)]
    # e.g. the quarter's Good or better (9) less its Good (8) gives its Outstanding (1) back
    assert leaks, "the brute-force check found nothing to work back without the linkage"


def test_a_full_report_does_not_work_out_the_plan(
    mini_repo: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_cli.reports import linked

    def refuse(links: object, threshold: int) -> set[object]:
        raise AssertionError("the plan was worked out for a report that is not redacted")

    monkeypatch.setattr(linked, "plan", refuse)
    args = ("--repo", mini_repo, "--as-of", AS_OF)
    assert run("report", "quarterly", "--quarter", "2026-Q4", *args).exit_code == 0
    result = run("report", "quarterly", "--quarter", "2026-Q4", *args, "--redact")
    assert result.exit_code == 3 and "internal problem (AssertionError)" in result.output
