"""Improvement plans as records (issue 13, deliverable 7): a report's recommendations as tracked
items (§5.2.5, §5.3.2), the six-monthly team review's priorities and plan (§6.3-6.4), and the
Team Manager's overview of the team's audits (App. D). Each: `qa new`, `qa validate` with
located findings, `qa due`, `qa actions list/done/verify`, and the report showing the items."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from conftest import AS_OF, snapshot

from qa_cli import yamlio

PLAN = "improvement/2026-10.yaml"
OVERVIEW = "team-overviews/2026-10/assessment-1.yaml"
REVIEW = "team-reviews/2026-10/assessment-1.yaml"


def qa(run, root: Path, *args: str):
    return run(*args, "--as-of", AS_OF, "--repo", root)


def validate(run, root: Path, *paths: str):
    return run("validate", *[root / p for p in paths], "--repo", root)


def due(run, root: Path, within: int = 120) -> list[dict]:
    out = qa(run, root, "due", "-f", "json", "--within", str(within))
    assert out.exit_code == 0, out.output
    return json.loads(out.output)["items"]


def actions(run, root: Path) -> list[dict]:
    out = qa(run, root, "actions", "list", "--format", "json")
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_report_recommendations_become_tracked_items(mini_repo, run) -> None:
    (mini_repo / "reports/2026-10").mkdir(parents=True)
    (mini_repo / "reports/2026-10/recommendations.md").write_text(
        "Our recommendations:\n\n- Chronologies kept up to date.\n- Risk reviewed every "
        "three months.\n",
        encoding="utf-8",
    )
    made = qa(run, mini_repo, "new", "improvement-plan", "--month", "2026-10")
    assert made.exit_code == 0, made.output and f"wrote {PLAN}" in made.output
    plan = yamlio.load_fast((mini_repo / PLAN).read_bytes())
    assert [r["action"] for r in plan["recommendations"]] == [
        "Chronologies kept up to date.",
        "Risk reviewed every three months.",
    ]
    assert {r["owner"] for r in plan["recommendations"]} == {"qa-lead-ebrooks"}
    assert validate(run, mini_repo).exit_code == 0
    # written once: a second run changes nothing and says so
    before = snapshot(mini_repo)
    again = qa(run, mini_repo, "new", "improvement-plan", "--month", "2026-10")
    assert again.exit_code == 1 and "already exists" in again.output
    assert snapshot(mini_repo) == before
    # tracked like any action plan: listed, chased, done, verified
    rows = [a for a in actions(run, mini_repo) if a["path"] == PLAN]
    assert [(r["id"], r["source"], r["status"]) for r in rows] == [
        ("R1", "improvement plan", "open"),
        ("R2", "improvement plan", "open"),
    ]
    chased = [i for i in due(run, mini_repo) if i["path"] == PLAN]
    assert {i["ref"] for i in chased} == {"R1", "R2"}
    assert all(i["person"] == "qa-lead-ebrooks" for i in chased)
    done = qa(run, mini_repo, "actions", "done", PLAN, "R1")
    assert done.exit_code == 0, done.output
    verified = qa(run, mini_repo, "actions", "verify", PLAN, "R1", "--by", "qa-abanks")
    assert verified.exit_code == 0, verified.output
    assert "Chronologies kept up to date." in (mini_repo / PLAN).read_text()  # text kept
    assert {i["ref"] for i in due(run, mini_repo) if i["path"] == PLAN} == {"R2"}
    # the report shows each item's status, and never writes the plan
    before = (mini_repo / PLAN).read_bytes()
    report = qa(run, mini_repo, "report", "monthly", "--month", "2026-10")
    assert report.exit_code == 0, report.output
    assert (mini_repo / PLAN).read_bytes() == before
    md = (mini_repo / "reports/2026-10/monthly.md").read_text()
    assert "| R1 | Chronologies kept up to date. | Esther Brooks | 2026-12-27 | Verified |" in md
    assert "| R2 | Risk reviewed every three months. | Esther Brooks | 2026-12-27 | Open |" in md
    wb = openpyxl.load_workbook(mini_repo / "reports/2026-10/monthly.xlsx")
    sheet = [r for r in wb["Improvement plan"].iter_rows(min_row=2, values_only=True)]
    assert [(r[1], r[5]) for r in sheet] == [("R1", "Verified"), ("R2", "Open")]


def test_without_a_plan_the_report_says_how_to_start_one(mini_repo, run) -> None:
    report = qa(run, mini_repo, "report", "monthly", "--month", "2026-10")
    assert report.exit_code == 0, report.output
    md = (mini_repo / "reports/2026-10/monthly.md").read_text()
    assert "Not yet tracked: `qa new improvement-plan --month 2026-10`" in md
    made = qa(run, mini_repo, "new", "improvement-plan", "--month", "2026-10")
    assert made.exit_code == 0, made.output
    plan = yamlio.load_fast((mini_repo / PLAN).read_bytes())
    assert plan["recommendations"]  # seeded from the report's draft recommendations
    assert validate(run, mini_repo).exit_code == 0


def test_bad_plans_are_located_errors(mini_repo, run) -> None:
    rel = "improvement/2026-07.yaml"
    (mini_repo / "improvement").mkdir()
    outputs = {}
    for report in ("themed", "monthly"):
        (mini_repo / rel).write_text(
            f"schema: qa/improvement@1\nreport: {report}\nmonth: 2026-07\n"
            "lead: qa-lead-ebrooks\nrecommendations:\n  - id: R1\n    action: Do it.\n"
            "    owner: nobody-here\n    due: 2026-09-01\n"
        )
        out = validate(run, mini_repo, rel)
        assert out.exit_code == 1
        outputs[report] = out.output
    assert rel in outputs["themed"] and "theme" in outputs["themed"]  # a themed plan names it
    assert f"{rel}:8:12: error QA401" in outputs["monthly"]  # the unknown owner, located
    assert "QA483" in outputs["monthly"]  # no sample of 2026-07: no report to follow


def test_team_overview_written_reported_and_exercised(mini_repo, run) -> None:
    made = qa(
        run, mini_repo, "new", "team-overview", "--team", "assessment-1", "--month", "2026-10"
    )
    assert made.exit_code == 0, made.output
    text = (mini_repo / OVERVIEW).read_text()
    data = yamlio.load_fast(text.encode())
    assert data["team_manager"] == "tm-jpatel" and data["status"] == "draft"
    assert len(data["cases"]) == 3  # the cases the sample allocated to the team
    assert validate(run, mini_repo).exit_code == 0
    items = [i for i in due(run, mini_repo) if i["kind"] == "team_overview"]
    mine = [i for i in items if i["path"] == OVERVIEW]
    assert mine and mine[0]["person"] == "tm-jpatel" and mine[0]["title"].startswith("Write")
    # the other teams of the month are chased too, from the first month with an overview
    assert {i["team"] for i in items} == {
        "assessment-1",
        "assessment-2",
        "child-protection",
        "looked-after",
        "leaving-care",
    }
    # completed without findings: a located error
    (mini_repo / OVERVIEW).write_text(text.replace("status: draft", "status: completed"))
    bad = validate(run, mini_repo, OVERVIEW)
    assert bad.exit_code == 1 and f"{OVERVIEW}:" in bad.output and "QA481" in bad.output
    written = text.replace("status: draft", "status: completed").replace(
        "findings:\n", "findings: Chronologies are thin across the team.\n"
    )
    (mini_repo / OVERVIEW).write_text(written)
    assert validate(run, mini_repo, OVERVIEW).exit_code == 0
    [step] = [i for i in due(run, mini_repo) if i["path"] == OVERVIEW]
    assert step["title"].startswith("Report the overview")
    reported = written.replace(
        "reported_to_service_manager:\n", "reported_to_service_manager: 2026-11-20\n"
    )
    (mini_repo / OVERVIEW).write_text(reported)
    [step] = [i for i in due(run, mini_repo) if i["path"] == OVERVIEW]
    assert step["title"].startswith("Hold the team exercise") and step["due"] == "2026-12-18"
    (mini_repo / OVERVIEW).write_text(reported.replace("  held:\n", "  held: 2026-11-26\n"))
    assert not [i for i in due(run, mini_repo) if i["path"] == OVERVIEW]


def test_overview_lists_a_case_of_another_team(mini_repo, run) -> None:
    assert (
        qa(run, mini_repo, "new", "team-overview", "--team", "assessment-1", "--month", "2026-10")
    ).exit_code == 0
    text = (mini_repo / OVERVIEW).read_text()
    (mini_repo / OVERVIEW).write_text(text.replace("cases:\n", "cases:\n  - C-AAAAAAAA\n"))
    out = validate(run, mini_repo, OVERVIEW)
    assert "QA482" in out.output and f"{OVERVIEW}:11:5" in out.output


def test_team_review_priorities_and_plan(mini_repo, run) -> None:
    made = qa(run, mini_repo, "new", "team-review", "--team", "assessment-1", "--month", "2026-10")
    assert made.exit_code == 0, made.output
    text = (mini_repo / REVIEW).read_text()
    assert validate(run, mini_repo, REVIEW).exit_code == 0
    [draft] = [i for i in due(run, mini_repo) if i["kind"] == "team_review"]
    assert draft["person"] == "tm-jpatel" and draft["title"].startswith("Agree the priorities")
    agreed_early = text.replace("status: draft", "status: agreed")
    (mini_repo / REVIEW).write_text(agreed_early)
    early = validate(run, mini_repo, REVIEW)
    assert early.exit_code == 1 and "QA480" in early.output
    agreed = (
        agreed_early.replace("held:\n", "held: 2026-11-12\n")
        .replace("priorities: []", "priorities:\n  - Chronologies on every case.")
        .replace(
            "support: []",
            "support:\n  - id: S1\n    worker: sw-mokafor\n    action: Mentoring on risk.\n"
            "    owner: tm-jpatel\n    due: 2026-12-01\n",
        )
        .replace(
            "service_development: []",
            "service_development:\n  - id: D1\n    action: Chronology guidance.\n"
            "    owner: sm-rsingh\n    due: 2027-01-31\n",
        )
    )
    (mini_repo / REVIEW).write_text(agreed)
    ok = validate(run, mini_repo, REVIEW)
    assert ok.exit_code == 0, ok.output
    rows = [a for a in actions(run, mini_repo) if a["path"] == REVIEW]
    assert [(r["id"], r["source"], r["team"]) for r in rows] == [
        ("S1", "team review", "assessment-1"),
        ("D1", "team review", "assessment-1"),
    ]
    items = [i for i in due(run, mini_repo, 200) if i["path"].startswith("team-reviews/")]
    assert {(i["kind"], i["ref"]) for i in items} >= {
        ("action", "S1"),
        ("action", "D1"),
        ("team_review", "assessment-1@2027-04"),  # the next six-monthly review
    }
    done = qa(run, mini_repo, "actions", "done", REVIEW, "D1")
    assert done.exit_code == 0, done.output
    after = yamlio.load_fast((mini_repo / REVIEW).read_bytes())
    assert after["service_development"][0]["status"] == "done"
    assert after["support"][0].get("status", "open") == "open"
    # the same id in two lists is refused where it is
    (mini_repo / REVIEW).write_text(agreed.replace("id: D1", "id: S1"))
    dup = validate(run, mini_repo, REVIEW)
    assert dup.exit_code == 1 and "QA108" in dup.output


def test_bad_input_changes_nothing(mini_repo, run) -> None:
    before = snapshot(mini_repo)
    for args, words in (
        (("team-overview", "--month", "2026-10"), "--team"),
        (("team-overview", "--team", "nowhere", "--month", "2026-10"), "not a team"),
        (("team-overview", "--team", "assessment-1", "--month", "2026-03"), "no case"),
        (("team-review", "--team", "assessment-1", "--auditor", "nobody"), "not a staff id"),
        (("improvement-plan", "--month", "2026-10", "--theme", "nothing"), "no themed audit"),
    ):
        out = qa(run, mini_repo, "new", *args)
        assert out.exit_code == 2, (args, out.output)
        assert words in out.output and "Traceback" not in out.output
    assert snapshot(mini_repo) == before
