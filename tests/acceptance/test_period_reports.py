"""`qa report quarterly`, `annual` and `crib-sheets` over the demo."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from conftest import AS_OF


def _run(run, repo: Path, *args: str):  # noqa: ANN001, ANN202
    result = run("report", *args, "--repo", repo, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return result


def test_quarterly_report(run, demo_repo: Path) -> None:
    _run(run, demo_repo, "quarterly", "--quarter", "2026-Q3")
    md = (demo_repo / "reports/2026-Q3/quarterly.md").read_text()
    assert md.startswith("**OFFICIAL-SENSITIVE**\n\n# Quarterly audit report: July 2026 to")
    for heading in (
        "## Headlines",
        "### Trend",
        "## Themes",
        "## Learning",
        "## Actions",
        "## Moderation",
        "## The child's voice",
        "## Returns on time",
    ):
        assert heading in md, heading
    assert "%%{init:" in md
    wb = openpyxl.load_workbook(demo_repo / "reports/2026-Q3/quarterly.xlsx")
    ws = wb["Summary"]
    facts = {r[0].value: r[1] for r in ws.iter_rows(max_col=2) if r[0].value}
    assert facts["Good or better"].number_format == "0%"
    assert isinstance(facts["Returns"].value, int) and facts["Returns"].value > 0
    line = next(c for c in ws._charts if type(c).__name__ == "LineChart")
    assert len(line.series) == 3  # the share and its interval
    # the returns are those completed in the quarter
    audits = wb["Audits"]
    header = [c.value for c in audits[1]]
    done = [r[header.index("Completed")] for r in audits.iter_rows(min_row=2, values_only=True)]
    assert done and all(d.strftime("%Y-%m") in ("2026-07", "2026-08", "2026-09") for d in done)


def test_quarterly_by_sample_and_annual(run, demo_repo: Path) -> None:
    _run(run, demo_repo, "quarterly", "--quarter", "2026-Q4", "--by", "sample")
    assert (demo_repo / "reports/2026-Q4/quarterly-by-sample.md").is_file()
    _run(run, demo_repo, "annual", "--year", "2026")
    md = (demo_repo / "reports/2026/annual.md").read_text()
    assert "# Annual audit report: January 2026 to December 2026" in md


def test_bad_quarter_is_a_clear_error(run, demo_repo: Path) -> None:
    result = run("report", "quarterly", "--quarter", "2026-Q5", "--repo", demo_repo)
    assert result.exit_code == 2
    assert "is not a quarter" in result.output and "YYYY-Qn" in result.output
    assert not (demo_repo / "reports").exists()


def test_crib_sheets_report_by_theme_and_team(run, demo_repo: Path) -> None:
    _run(run, demo_repo, "crib-sheets", "--month", "2026-10")
    md = (demo_repo / "reports/2026-10/crib-sheets.md").read_text()
    assert "## By theme" in md and "## By team" in md
    assert "Direct work with children and young people" in md.split("## By theme")[1]
    wb = openpyxl.load_workbook(demo_repo / "reports/2026-10/crib-sheets.xlsx")
    themes = wb["Themes"]
    rows = list(themes.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 16  # the crib sheet's sixteen themes
    not_met = [r[2] for r in rows]
    assert not_met == sorted(not_met, reverse=True)  # most often not met first
    assert sum(not_met) > 0
    result = run("report", "crib-sheets", "--month", "2025-01", "--repo", demo_repo)
    assert result.exit_code == 2 and "no crib sheet for 2025-01" in result.output
