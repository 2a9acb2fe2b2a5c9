"""`qa sample`: properties of the draw, refusal to overwrite, --verify, --add, programmes."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import AS_OF, snapshot

from qa_cli import yamlio
from qa_cli.caselist import CaseRow
from qa_cli.sampling import REASON_BSC, DrawRules, Taker, draw

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


# --- end to end over the demo repository ------------------------------------------------------


def _export(demo: Path, path: Path) -> None:
    """A synthetic export of the demo's teams, written at run time."""
    rng = random.Random(42)
    config = yamlio.load_fast((demo / "qa.yaml").read_bytes())
    workers = [
        (s["id"], s["team"])
        for s in config["staff"]
        if "social_worker" in s["roles"] and s.get("team")
    ]
    names = {t["id"]: t["name"] for t in config["teams"]}
    cats = ["CIN", "CP", "Early Help", "CLA", "Care leaver"]
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Case ID", "Child name", "Team", "Social Worker", "Category", "Start Date"])
        for i in range(300):
            sid, team = rng.choice(workers)
            w.writerow(
                [
                    str(700000 + i),
                    f"Synthetic Child{i}",
                    names[team],
                    sid,
                    rng.choice(cats),
                    "10/03/2026",
                ]
            )


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_CASE_KEY", "synthetic-Vq7#pL2x!Rm9@Tz4$Wn6^Yb8&Hc3*Jd5%")


def test_import_then_sample_validate_refuse_verify(demo_repo, run, tmp_path, key) -> None:
    export = tmp_path / "export.csv"
    _export(demo_repo, export)
    assert run("cases", "import", export, "--as-of", AS_OF, "--repo", demo_repo).exit_code == 0
    result = run("sample", "--month", "2026-12", "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    sample_text = (demo_repo / "samples" / "2026-12.yaml").read_text()
    assert f"case_list: cases/{AS_OF}.csv" in sample_text
    returns = sorted((demo_repo / "audits" / "2026-12").glob("*.yaml"))
    assert len(returns) == 15
    check = run("validate", "--repo", demo_repo)
    assert check.exit_code == 0, check.output
    # a second run changes nothing and exits 1
    before = snapshot(demo_repo)
    again = run("sample", "--month", "2026-12", "--as-of", AS_OF, "--repo", demo_repo)
    assert again.exit_code == 1
    assert "already exists" in again.output and "nothing was written" in again.output
    assert snapshot(demo_repo) == before
    ok = run("sample", "--verify", "2026-12", "--repo", demo_repo)
    assert ok.exit_code == 0, ok.output
    assert "verified" in ok.output
    # an allocation edited by hand is caught
    other = re.findall(r"auditors: \[(.*?)\]", sample_text)
    swapped = sample_text.replace(f"auditors: [{other[0]}]", f"auditors: [{other[-1]}]", 1)
    (demo_repo / "samples" / "2026-12.yaml").write_text(swapped)
    bad = run("sample", "--verify", "2026-12", "--repo", demo_repo)
    assert bad.exit_code == 1
    assert "does not match" in bad.output and "allocation 1" in bad.output


def test_verify_catches_a_swapped_case_and_a_changed_case_list(demo_repo, run) -> None:
    assert run("sample", "--month", "2026-11", "--as-of", AS_OF, "--repo", demo_repo).exit_code == 0
    path = demo_repo / "samples" / "2026-11.yaml"
    text = path.read_text()
    first = re.search(r"- case: (C-\w+)", text)[1]
    path.write_text(text.replace(f"- case: {first}", "- case: C-0NWV702H", 1))
    bad = run("sample", "--verify", "2026-11", "--repo", demo_repo)
    assert bad.exit_code == 1 and "C-0NWV702H" in bad.output
    path.write_text(text)
    with (demo_repo / "cases" / "2026-10-28.csv").open("a") as fh:
        fh.write("C-ZZZZZZZZ,assessment-1,sw-mokafor,CIN,2026-01-01,5-9\n")
    changed = run("sample", "--verify", "2026-11", "--repo", demo_repo)
    assert changed.exit_code == 1 and "has changed since the draw" in changed.output


def test_demo_history_is_respected_and_seed_recorded(demo_repo, run) -> None:
    result = run(
        "sample", "--month", "2026-11", "--seed", "123", "--as-of", AS_OF, "--repo", demo_repo
    )
    assert result.exit_code == 0, result.output
    doc = yamlio.load_fast((demo_repo / "samples" / "2026-11.yaml").read_bytes())
    assert doc["seed"] == 123
    earlier = set()
    for m in ("2026-08", "2026-09", "2026-10"):
        earlier |= {
            a["case"]
            for a in yamlio.load_fast((demo_repo / "samples" / f"{m}.yaml").read_bytes())[
                "allocations"
            ]
        }
    drawn = {a["case"] for a in doc["allocations"]}
    assert not drawn & earlier
    assert {e["reason"] for e in doc["excluded"]} >= {"audited in the last 12 months", REASON_BSC}
    assert all(a["team"] != "child-in-need" for a in doc["allocations"])
    assert all(
        a["due"] == "2027-02-01" and a["allocated"] == "2026-11-30" for a in doc["allocations"]
    )


def test_same_inputs_same_sample_other_seed_other_sample(demo_repo, run, tmp_path) -> None:
    import shutil

    other = tmp_path / "other"
    shutil.copytree(demo_repo, other)
    for repo in (demo_repo, other):
        assert run("sample", "--month", "2026-11", "--as-of", AS_OF, "--repo", repo).exit_code == 0
    assert snapshot(demo_repo / "audits" / "2026-11") == snapshot(other / "audits" / "2026-11")
    third = tmp_path / "third"
    shutil.copytree(tmp_path / "demo-repo", third, ignore=shutil.ignore_patterns("2026-11*"))
    assert (
        run(
            "sample", "--month", "2026-11", "--seed", "99", "--as-of", AS_OF, "--repo", third
        ).exit_code
        == 0
    )
    assert snapshot(third / "audits" / "2026-11") != snapshot(demo_repo / "audits" / "2026-11")


def test_blank_returns_hold_every_question_and_its_guidance(demo_repo, run) -> None:
    assert run("sample", "--month", "2026-11", "--as-of", AS_OF, "--repo", demo_repo).exit_code == 0
    tool = yamlio.load_fast((demo_repo / "audit_tools" / "single-agency-cla.yaml").read_bytes())
    blank = next((demo_repo / "audits" / "2026-11").glob("*--single-agency-cla.yaml")).read_text()
    data = yamlio.load_text(blank)
    qids = [q["id"] for s in tool["sections"] for q in s["questions"]]
    # a follow-up asking only the reason of a "no" is that answer's comment (issue 11.6)
    reason = "child-not-seen-alone-reason"
    assert reason in qids and list(data["answers"]) == [q for q in qids if q != reason]
    assert "a `comment:` that says: Why was the child not spoken to alone" in " ".join(
        blank.replace("#", " ").split()
    )
    assert all(v is None for v in data["answers"].values())
    assert data["status"] == "allocated"
    q = next(q for s in tool["sections"] for q in s["questions"] if q.get("guidance"))
    assert " ".join(q["guidance"].split()[:4]) in " ".join(blank.replace("#", " ").split())
    graded = [q for s in tool["sections"] for q in s["questions"] if q.get("descriptors")]
    if graded:
        assert "#    Inadequate: " in blank


def test_dry_run_writes_nothing(demo_repo, run) -> None:
    before = snapshot(demo_repo)
    result = run("sample", "--month", "2026-11", "--dry-run", "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 0 and "dry run" in result.output
    assert snapshot(demo_repo) == before


def test_add_recreates_missing_returns_and_leaves_others(demo_repo, run) -> None:
    assert run("sample", "--month", "2026-11", "--as-of", AS_OF, "--repo", demo_repo).exit_code == 0
    files = sorted((demo_repo / "audits" / "2026-11").glob("*.yaml"))
    files[0].unlink()
    started = files[1].read_text().replace("status: allocated", "status: in_progress")
    files[1].write_text(started)
    result = run("sample", "--month", "2026-11", "--add", "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    assert files[0].is_file() and files[1].read_text() == started
    assert run("sample", "--verify", "2026-11", "--repo", demo_repo).exit_code == 0


def test_add_tops_up_a_new_pair(demo_repo, run) -> None:
    assert run("sample", "--month", "2026-11", "--as-of", AS_OF, "--repo", demo_repo).exit_code == 0
    cfg = demo_repo / "qa.yaml"
    cfg.write_text(
        cfg.read_text().replace(
            "      - {service_manager: sm-lharding, team_manager: tm-pquinn}\n",
            "      - {service_manager: sm-lharding, team_manager: tm-pquinn}\n"
            "      - {service_manager: sm-rsingh, team_manager: tm-hfairley}\n",
        )
    )
    sample = demo_repo / "samples" / "2026-11.yaml"
    head = sample.read_text().split("\n")[:3]
    result = run(
        "sample", "--month", "2026-11", "--add", "--as-of", "2026-12-03", "--repo", demo_repo
    )
    assert result.exit_code == 0, result.output
    text = sample.read_text()
    assert text.split("\n")[:3] == head  # comments kept
    assert text.count("reason: top-up on 2026-12-03") == 3
    assert run("validate", "--repo", demo_repo).exit_code == 0
    verified = run("sample", "--verify", "2026-11", "--repo", demo_repo)
    assert verified.exit_code == 0 and "added later" in verified.output


def test_reaudit_from_an_action_plan_is_drawn_first(demo_repo, run) -> None:
    path = next((demo_repo / "audits" / "2026-08").glob("*--single-agency-safeguarding.yaml"))
    text = path.read_text()
    case = re.search(r"^case: (\S+)", text, re.M)[1]
    if "actions: []" in text or "\nactions:" not in text:
        pytest.skip("the chosen demo return has no action plan")
    text = re.sub(
        r"(\n  - id: \w+\n(?:    .*\n)*?    status: \w+\n)",
        r"\1    re_audit: 2026-11-15\n",
        text,
        count=1,
    )
    path.write_text(text)
    assert "re_audit: 2026-11-15" in text
    result = run("sample", "--month", "2026-11", "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    doc = yamlio.load_fast((demo_repo / "samples" / "2026-11.yaml").read_bytes())
    hit = [a for a in doc["allocations"] if a["case"] == case]
    assert hit and hit[0]["reason"] == "re-audit"


def test_crib_sheet_and_multi_agency_programmes(demo_repo, run) -> None:
    crib = run(
        "sample",
        "--month",
        "2026-12",
        "--programme",
        "crib-sheet",
        "--as-of",
        AS_OF,
        "--repo",
        demo_repo,
    )
    assert crib.exit_code == 0, crib.output
    sheets = sorted((demo_repo / "crib-sheets" / "2026-12").glob("*.yaml"))
    assert Counter(p.name.split("--")[0] for p in sheets) == {
        t: 2
        for t in (
            "assessment-1",
            "assessment-2",
            "child-protection",
            "looked-after",
            "leaving-care",
        )
    }
    assert (demo_repo / "samples" / "2026-12-crib-sheet.yaml").is_file()
    ma = run(
        "sample",
        "--month",
        "2026-12",
        "--programme",
        "multi-agency",
        "--cohort",
        "CLA",
        "--size",
        "8",
        "--as-of",
        AS_OF,
        "--repo",
        demo_repo,
    )
    assert ma.exit_code == 0, ma.output
    scope = yamlio.load_fast(
        (demo_repo / "multi-agency" / "2026-12-cla" / "scope.yaml").read_bytes()
    )
    assert len(scope["cases"]) == 8
    check = run("validate", "--repo", demo_repo)
    assert check.exit_code == 0, check.output
    for prog in ("crib-sheet", "multi-agency"):
        v = run("sample", "--verify", "2026-12", "--programme", prog, "--repo", demo_repo)
        assert v.exit_code == 0, v.output
    out = run(
        "sample",
        "--month",
        "2026-12",
        "--programme",
        "multi-agency",
        "--size",
        "30",
        "--as-of",
        AS_OF,
        "--repo",
        demo_repo,
    )
    assert out.exit_code == 2 and "8-10" in out.output


@pytest.mark.parametrize(
    "args", [["--month", "2026-13"], ["--month", "Nov"], ["--verify", "2026/11"]]
)
def test_bad_month_is_a_usage_error(demo_repo, run, args) -> None:
    before = snapshot(demo_repo)
    result = run("sample", *args, "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 2 and "YYYY-MM" in result.output
    assert snapshot(demo_repo) == before


def test_verify_of_a_hand_made_sample_says_so(demo_repo, run) -> None:
    result = run("sample", "--verify", "2026-10", "--repo", demo_repo)
    assert result.exit_code == 1 and "not drawn by `qa sample`" in result.output
