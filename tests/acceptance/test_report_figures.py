"""The figures leaders ask for, and honest ones, through `qa report` over the demo."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import AS_OF

from qa_cli.cli.report import REPORTS, report_app


def _run(run, repo: Path, *args: str):  # noqa: ANN001, ANN202
    result = run("report", *args, "--repo", repo, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return result


def test_every_report_of_the_table_is_a_command(run) -> None:  # noqa: ANN001
    from typer.main import get_command

    group = get_command(report_app)
    assert sorted(group.commands) == sorted(r.name for r in REPORTS)  # type: ignore[attr-defined]
    for spec in REPORTS:
        result = run("report", spec.name, "--help")
        assert result.exit_code == 0
        for opt in ("--as-of", "--redact", "--password-file", "--repo"):
            assert opt in result.output, (spec.name, opt)


def test_monthly_has_no_change_in_points_on_small_months(run, demo_repo: Path) -> None:
    _run(run, demo_repo, "monthly", "--month", "2026-10")
    md = (demo_repo / "reports/2026-10/monthly.md").read_text()
    against = [x for x in md.splitlines() if x.startswith("- **Against")]
    assert len(against) == 2
    assert all("too few returns to compare" in x and "points" not in x for x in against)


def test_monthly_by_completed_takes_the_returns_completed_in_the_month(
    run, demo_repo: Path
) -> None:
    _run(run, demo_repo, "monthly", "--month", "2026-11", "--by", "completed")
    path = demo_repo / "reports/2026-11/monthly-completed.xlsx"
    ws = openpyxl.load_workbook(path)["Audits"]
    header = [c.value for c in ws[1]]
    done = [r[header.index("Completed")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert done and all(d.date().strftime("%Y-%m") == "2026-11" for d in done)
    months = {r[header.index("Month")] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(months) >= 2  # from more than one sample month
    md = path.with_suffix(".md").read_text()
    assert f"**{len(done)}** returns completed in November 2026" in md


def test_monthly_by_completed_with_nothing_completed_is_a_clear_error(run, demo_repo: Path) -> None:
    result = run(
        "report", "monthly", "--month", "2025-01", "--by", "completed", "--repo", demo_repo
    )
    assert result.exit_code == 2
    assert "no single-agency return was completed" in result.output
    assert not (demo_repo / "reports/2025-01").exists()


def test_monthly_overdue_sheet_lists_only_the_months_items(run, demo_repo: Path) -> None:
    _run(run, demo_repo, "monthly", "--month", "2026-10")
    ws = openpyxl.load_workbook(demo_repo / "reports/2026-10/monthly.xlsx")["Overdue"]
    files = [r[-1] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert all(f.startswith(("audits/2026-10/", "crib-sheets/2026-10/")) for f in files), files


def test_leaders_sections_in_the_monthly(run, demo_repo: Path) -> None:
    _run(run, demo_repo, "monthly", "--month", "2026-10")
    md = (demo_repo / "reports/2026-10/monthly.md").read_text()
    for heading in (
        "## Strengths",
        "## The child's voice",
        "### Actions by owner",
        "## Returns on time",
        "## Re-audits: the grade before and after",
    ):
        assert heading in md
    assert "| Service Manager | Due | On time |" in md and "| Pair | Due |" in md
    assert "Is the voice of the child reflected" in md.split("## The child's voice")[1]
    wb = openpyxl.load_workbook(demo_repo / "reports/2026-10/monthly.xlsx")
    on_time = wb["On time"]
    kinds = {r[0] for r in on_time.iter_rows(min_row=2, values_only=True)}
    assert kinds == {"Service Manager", "Pair", "Auditor"}
    assert on_time.cell(row=2, column=5).number_format == "0%"


def test_reaudit_impact_shows_the_grade_before_and_after(run, demo_repo: Path) -> None:
    from qa_cli.reports.collate import collect
    from qa_cli.reports.leaders import reaudit_impact
    from qa_cli.repository import Repository

    recs = collect(Repository.load(demo_repo), kinds=["single-agency"])
    # a case audited in August is audited again in October with a better grade
    first = next(r for r in recs if r.counted and r.month == "2026-08")
    again = first.audit.model_copy(
        update={"allocated": dt.date(2026, 10, 1), "completed": dt.date(2026, 11, 2)}
    )
    later = dataclasses.replace(first, path="audits/2026-10/x.yaml", month="2026-10", audit=again)
    impact = reaudit_impact([*recs, later], [later])
    assert len(impact["rows"]) == 1
    row = impact["rows"][0]
    assert row["before"] == first.grade and row["before_month"] == "2026-08"
    assert row["change"] == "same" and impact["same"] == 1


def test_team_report_counts_match_its_table_and_crib_sheets_are_lines(run, demo_repo: Path) -> None:
    _run(run, demo_repo, "team", "--team", "assessment-2", "--half", "2026-H2")
    md = (demo_repo / "reports/2026-H2/team-assessment-2.md").read_text()
    section = md.split("## Action plans")[1].split("## Complaints")[0]
    m = re.search(r"(\d+) actions in all: .* The table lists the (\d+) not yet verified", section)
    assert m
    rows = [x for x in section.splitlines() if x.startswith("| C-")]
    assert int(m[2]) == len(rows) <= int(m[1])
    crib = md.split("## Supervision crib sheets")[1].split("## Overdue")[0]
    lines = [x for x in crib.splitlines() if x.startswith("- ")]
    assert len(lines) == 4 and all(x.count("- 20") == 1 for x in lines)
    assert "\n\n## Overdue" in md


def test_line_of_enquiry_labels_come_from_each_returns_own_tool(demo_repo: Path) -> None:
    from qa_cli.reports.collate import collect, enquiry_themes
    from qa_cli.repository import Repository

    repo = Repository.load(demo_repo)
    safeguarding = [
        r for r in collect(repo, kinds=["single-agency"]) if "safeguarding" in r.audit.tool
    ]
    texts = [e.text for e in enquiry_themes(safeguarding, repo.tools)]
    assert texts and not any("out of the local authority" in t for t in texts)


@pytest.mark.parametrize("name", ["monthly", "themed", "multi-agency"])
def test_mermaid_charts_use_the_grade_palette(run, demo_repo: Path, name: str) -> None:
    args = {
        "monthly": ["monthly", "--month", "2026-10"],
        "themed": ["themed", "--theme", "supervision", "--month", "2026-10"],
        "multi-agency": ["multi-agency", "2026-cp-neglect"],
    }[name]
    _run(run, demo_repo, *args)
    md = next((demo_repo / "reports").rglob(f"{name}*.md")).read_text()
    blocks = md.split("```mermaid")[1:]
    assert blocks and all(b.lstrip().startswith("%%{init:") for b in blocks)
    assert "#C0392B" in md or "#F6A04D" in md  # below-Good grades in the palette's colours
