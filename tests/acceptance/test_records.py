"""The smaller records of issue 13: observation sign-off and practice standards, complaint
levels and compliments, the Team Manager consulted in a multi-agency audit, and blank records
that no report counts as done."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from conftest import AS_OF

BLANK_OBS = "observations/2026/sw-lgreenwood--2026-11-27.yaml"  # the demo's just-created one


def report(run, root: Path, *args: str) -> None:
    r = run("report", *args, "--as-of", AS_OF, "--repo", root)
    assert r.exit_code == 0, r.output


def summary(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}


def managers(md: str) -> dict[str, int]:
    section = md.split("## Completed per manager")[1].split("## Coverage")[0]
    rows = [line.split("|") for line in section.splitlines() if line.startswith("| ")][1:]
    rows = [r for r in rows if r[2].strip().isdigit()]
    return {r[1].strip(): int(r[2]) for r in rows}


def test_a_blank_observation_is_listed_never_counted(demo_repo, run) -> None:
    assert (demo_repo / BLANK_OBS).is_file()
    report(run, demo_repo, "observations", "--year", "2026")
    md = (demo_repo / "reports/2026/observations.md").read_text()
    done = managers(md)
    assert "1 observation record(s) created but not yet started are not counted" in md
    assert (
        summary(demo_repo / "reports/2026/observations.xlsx")[
            "Blank, not yet started (not counted)"
        ]
        == 1
    )
    # a second blank for the same manager changes no count; filling it in does
    made = run(
        "new", "practice-observation", "--worker", "sw-mokafor", "--date", "2026-11-26",
        "--as-of", AS_OF, "--repo", demo_repo,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    report(run, demo_repo, "observations", "--year", "2026")
    assert managers((demo_repo / "reports/2026/observations.md").read_text()) == done
    path = demo_repo / "observations/2026/sw-mokafor--2026-11-26.yaml"
    path.write_text(path.read_text().replace("consent_written:", "consent_written: 2026-11-19"))
    report(run, demo_repo, "observations", "--year", "2026")
    after = managers((demo_repo / "reports/2026/observations.md").read_text())
    assert sum(after.values()) == sum(done.values()) + 1


def test_observation_sign_off_and_standards_are_checked(demo_repo, run) -> None:
    path = next(p for p in sorted((demo_repo / "observations/2026").glob("*.yaml"))
                if "observer_signed:" in p.read_text())  # fmt: skip
    text = path.read_text()
    assert "standards: [" in text
    path.write_text(text.replace("standards: [", "standards: [pcf_charm, "))
    bad = run("validate", path, "--repo", demo_repo)
    assert bad.exit_code == 1 and "QA106" in bad.output and "standards" in bad.output
    lines = text.splitlines()
    signed = next(i for i, x in enumerate(lines) if x.startswith("observer_signed:"))
    lines[signed] = "observer_signed: 2026-01-01"
    path.write_text("\n".join(lines) + "\n")
    early = run("validate", path, "--repo", demo_repo)
    assert early.exit_code == 1 and "QA407" in early.output and f":{signed + 1}:" in early.output


def test_complaints_report_logs_level_2_and_counts_compliments(demo_repo, run) -> None:
    report(run, demo_repo, "complaints", "--year", "2026")
    md = (demo_repo / "reports/2026/complaints.md").read_text()
    facts = summary(demo_repo / "reports/2026/complaints.xlsx")
    assert facts["Level 2 and above"] == 2 and "**2** at level 2 and above" in md
    assert facts["Compliments"] == 4 and "**4** compliments (§4.5.1), by team: " in md
    total = facts["Complaints"]
    # a just-created complaint form is not a complaint handled
    made = run(
        "new", "complaint-lessons", "--ref", "CMP-2026-099", "--auditor", "tm-jpatel",
        "--date", "2026-11-20", "--as-of", AS_OF, "--repo", demo_repo,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    report(run, demo_repo, "complaints", "--year", "2026")
    assert summary(demo_repo / "reports/2026/complaints.xlsx")["Complaints"] == total
    assert (
        "1 form(s) created but not yet filled in are not counted"
        in (demo_repo / "reports/2026/complaints.md").read_text()
    )


def test_compliments_log_is_validated(demo_repo, run) -> None:
    path = demo_repo / "compliments/2026.yaml"
    text = path.read_text()
    path.write_text(text.replace("team: assessment-1", "team: assessment-9", 1))
    bad = run("validate", path, "--repo", demo_repo)
    assert bad.exit_code == 1 and "QA402" in bad.output
    path.write_text(text.replace("date: 2026-03-12", "date: 2025-03-12"))
    wrong_year = run("validate", path, "--repo", demo_repo)
    assert wrong_year.exit_code == 1 and "compliments/2025.yaml" in wrong_year.output


def test_team_manager_consultation_counted_in_multi_agency_report(demo_repo, run) -> None:
    report(run, demo_repo, "multi-agency", "2026-cp-neglect")
    md = (demo_repo / "reports/multi-agency-2026-cp-neglect/multi-agency.md").read_text()
    assert "Team Managers 3 of" in md
