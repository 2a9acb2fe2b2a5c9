"""`qa sample`: properties of the draw, refusal to overwrite, --verify, --add, programmes."""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import AS_OF, snapshot

from qa_cli import yamlio
from qa_cli.sampling import REASON_BSC

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
    path.write_text(text.replace(f"- case: {first}", "- case: C-0TRR1488", 1))
    bad = run("sample", "--verify", "2026-11", "--repo", demo_repo)
    assert bad.exit_code == 1 and "C-0TRR1488" in bad.output, bad.output
    path.write_text(text)
    listed = demo_repo / "cases" / "2026-10-28.csv"  # one case's age band edited
    listed.write_text(listed.read_text().replace(",5-9,", ",10-15,", 1))
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


def add_crib_pair(repo: Path) -> None:
    """A second crib-sheet pair in the demo's qa.yaml, so `sample --add` has one to top up."""
    cfg = repo / "qa.yaml"
    cfg.write_text(
        cfg.read_text().replace(
            "      - {service_manager: sm-lharding, team_manager: tm-pquinn}\n",
            "      - {service_manager: sm-lharding, team_manager: tm-pquinn}\n"
            "      - {service_manager: sm-rsingh, team_manager: tm-hfairley}\n",
        )
    )


def test_add_tops_up_a_new_pair(demo_repo, run) -> None:
    assert run("sample", "--month", "2026-11", "--as-of", AS_OF, "--repo", demo_repo).exit_code == 0
    add_crib_pair(demo_repo)
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
    listed = (demo_repo / "cases" / "2026-10-28.csv").read_text()  # still open in November
    returns = sorted((demo_repo / "audits" / "2026-08").glob("*--single-agency-safeguarding.yaml"))
    path = next(p for p in returns if p.name[:10] in listed and "\nactions:" in p.read_text())
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
    assert hit and hit[0]["reason"] == "re-audit", (case, result.output)


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
    # the demo's samples are drawn by `qa sample`; one without its `algorithm` is hand-made
    path = demo_repo / "samples" / "2026-10.yaml"
    path.write_text(path.read_text().replace("  algorithm: qa-sample/1\n", "", 1))
    result = run("sample", "--verify", "2026-10", "--repo", demo_repo)
    assert result.exit_code == 1 and "not drawn by `qa sample`" in result.output


def test_a_plan_makes_its_blank_returns_only_when_they_are_read(
    mini_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trying seeds (the demo generator does) draws without making thirty blanks a try; the
    # blanks are made once, when the plan is shown or written.
    import datetime as dt

    from qa_cli import sampling
    from qa_cli.repository import Repository

    made: list[str] = []
    real = sampling.RETURN_MAKERS["single-agency"]
    monkeypatch.setitem(
        sampling.RETURN_MAKERS, "single-agency", lambda b: (made.append("x"), real(b))[1]
    )
    repo = Repository.load(mini_repo, require_config=True)
    plan = sampling.plan_sample(repo, "single-agency", "2026-11", dt.date.fromisoformat(AS_OF))
    assert plan.result.allocations and made == []
    returns = plan.returns
    assert len(returns) == len(plan.result.allocations) and made == ["x"]
    assert plan.returns is returns and made == ["x"]  # made once
    written = sampling.write_plan(repo, plan)
    assert all((mini_repo / rel).read_text("utf-8").endswith(text) for rel, text in returns)
    assert {rel for rel, _ in returns} <= set(written)
