"""Meeting-ready workbooks: numbers as numbers, real dates, names not ids, page setup with the
protective marking, charts beside their tables, and (through LibreOffice) a Summary that prints
on at most two pages with no chart cut."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import AS_OF, DEMO_REPORTS

from qa_cli.reports.excel import CHART_ROWS, FONT
from qa_cli.reports.palette import GRADE_COLOURS

# The demo's workbooks (the monitoring one is checked in test_monitoring.py).
WORKBOOKS = {
    name: (args, f"{stem}.xlsx")
    for name, (args, stem) in DEMO_REPORTS.items()
    if name != "monitoring"
}


def _workbook(run, repo: Path, name: str) -> Path:  # noqa: ANN001
    args, rel = WORKBOOKS[name]
    result = run("report", *args, "--repo", repo, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return repo / rel


def _facts(ws) -> dict[str, openpyxl.cell.Cell]:  # noqa: ANN001
    return {row[0].value: row[1] for row in ws.iter_rows(max_col=3) if row[0].value}


@pytest.mark.parametrize("name", sorted(WORKBOOKS))
def test_every_sheet_is_set_up_to_print_with_the_marking(run, demo_repo: Path, name: str) -> None:
    wb = openpyxl.load_workbook(_workbook(run, demo_repo, name))
    title = wb.properties.title
    assert title and wb["Summary"]["A1"].value == title
    assert wb.properties.creator == "Northbridge Borough Council (fictional)"
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.oddHeader.right.text == "OFFICIAL-SENSITIVE"
        assert ws.oddFooter.left.text == "OFFICIAL-SENSITIVE"
        assert ws.oddHeader.left.text == title.replace("&", "&&")
        if ws.title != "Summary":  # data sheets: one page wide, as long as they need
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        for row in ws.iter_rows():
            for cell in row:
                if cell.has_style and cell.font is not None:
                    assert cell.font.name == FONT, (ws.title, cell.coordinate)


def test_company_and_marking_in_the_document_properties(run, demo_repo: Path) -> None:
    path = _workbook(run, demo_repo, "monthly")
    app = zipfile.ZipFile(path).read("docProps/app.xml").decode()
    assert "<Company>Northbridge Borough Council (fictional)</Company>" in app
    wb = openpyxl.load_workbook(path)
    assert wb.properties.subject
    assert wb.properties.keywords == "OFFICIAL-SENSITIVE"


def test_marking_comes_from_qa_yaml(run, demo_repo: Path) -> None:
    cfg = demo_repo / "qa.yaml"
    cfg.write_text(cfg.read_text() + "\nreports:\n  protective_marking: OFFICIAL\n")
    path = _workbook(run, demo_repo, "team")
    wb = openpyxl.load_workbook(path)
    assert {ws.oddHeader.right.text for ws in wb.worksheets} == {"OFFICIAL"}
    md = path.with_suffix(".md").read_text()
    assert md.startswith("**OFFICIAL**\n\n# ") and md.endswith("\n**OFFICIAL**\n")


def test_monthly_numbers_are_numbers_and_dates_are_dates(run, demo_repo: Path) -> None:
    wb = openpyxl.load_workbook(_workbook(run, demo_repo, "monthly"))
    facts = _facts(wb["Summary"])
    good = facts["Good or better"]
    assert good.value == pytest.approx(0.6) and good.number_format == "0%"
    assert isinstance(facts["As of"].value, dt.datetime)
    assert facts["As of"].number_format == "d mmm yyyy"
    low = facts["Good or better, 95% interval (low, high)"]
    high = wb["Summary"].cell(row=low.row, column=3)
    assert 0 < low.value < 0.6 < high.value < 1 and high.number_format == "0%"
    for sheet, column in (("Actions", "Due"), ("Audits", "Allocated"), ("Overdue", "Due")):
        ws = wb[sheet]
        col = [c.value for c in ws[1]].index(column) + 1
        values = [ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)]
        assert values and all(isinstance(v, dt.datetime) for v in values), sheet


def _ids(repo: Path) -> tuple[set[str], set[str]]:
    from qa_cli.repository import Repository

    cfg = Repository.load(repo).config
    assert cfg is not None
    return {t.id for t in cfg.teams}, {s.id for s in cfg.staff}


@pytest.mark.parametrize("name", ["monthly", "team", "themed", "observations"])
def test_team_and_staff_names_not_ids(run, demo_repo: Path, name: str) -> None:
    path = _workbook(run, demo_repo, name)
    teams, staff = _ids(demo_repo)
    pattern = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, staff)) + r")(?![\w/-])")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str) and "/" not in v:
                    assert v not in teams, (ws.title, v)
                    assert not pattern.search(v), (ws.title, v)
    md = path.with_suffix(".md").read_text()
    lines = [x for x in md.splitlines() if "/" not in x]
    assert not any(pattern.search(x) for x in lines)
    assert "escalated to tm-" not in md


def test_charts_beside_their_tables_in_the_palette(run, demo_repo: Path) -> None:
    wb = openpyxl.load_workbook(_workbook(run, demo_repo, "monthly"))
    ws = wb["Summary"]
    charts = ws._charts
    assert len(charts) == 2
    for chart in charts:
        anchor = chart.anchor._from
        assert anchor.col <= 6  # column G at the latest, not off-screen at column N
        title_cell = ws.cell(row=anchor.row + 1, column=1).value
        assert title_cell in ("Grade distribution", "Trend: Good or better")
    bar = next(c for c in charts if type(c).__name__ == "BarChart")
    assert bar.y_axis.majorUnit == int(bar.y_axis.majorUnit) >= 1
    assert bar.y_axis.number_format.formatCode == "0"
    fills = [str(p.graphicalProperties.solidFill.srgbClr) for p in bar.series[0].dPt]
    assert fills == [GRADE_COLOURS[g] for g in GRADE_COLOURS]
    line = next(c for c in charts if type(c).__name__ == "LineChart")
    assert all(s.smooth is False and s.marker.symbol == "circle" for s in line.series)


def test_wrapped_rows_get_their_height(run, demo_repo: Path) -> None:
    wb = openpyxl.load_workbook(_workbook(run, demo_repo, "monthly"))
    ws = wb["Audits"]
    col = [c.value for c in ws[1]].index("Areas for improvement") + 1
    long_rows = [
        r
        for r in range(2, ws.max_row + 1)
        if len(str(ws.cell(row=r, column=col).value or "")) > 200
    ]
    assert long_rows
    for r in long_rows:
        assert ws.row_dimensions[r].height and ws.row_dimensions[r].height > 30
        assert ws.cell(row=r, column=col).alignment.wrap_text


# --- printed through LibreOffice ------------------------------------------------------------


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _pdf(xlsx: Path, out: Path) -> Path:
    soffice = _soffice()
    assert soffice
    profile = out / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / (xlsx.stem + ".pdf")


def _page_texts(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])
    return [
        subprocess.run(
            ["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for i in range(1, pages + 1)
    ]


@pytest.mark.parametrize(
    "name", ["monthly", "team", "quarterly", "themed", "multi-agency", "crib-sheets"]
)
def test_summary_prints_on_at_most_two_pages(
    run, demo_repo: Path, tmp_path: Path, name: str
) -> None:
    if not _soffice() or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice (soffice) and poppler (pdftotext) are needed to print to PDF")
    xlsx = _workbook(run, demo_repo, name)
    texts = _page_texts(_pdf(xlsx, tmp_path))
    summary = [t for t in texts if "Summary, page" in t]
    assert 1 <= len(summary) <= 2, f"the Summary prints on {len(summary)} pages"
    assert all("OFFICIAL-SENSITIVE" in t for t in texts)
    # no chart cut: every chart lies between two page breaks
    ws = openpyxl.load_workbook(xlsx)["Summary"]
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    for chart in ws._charts:
        first = chart.anchor._from.row + 1
        last = first + CHART_ROWS - 1
        assert not any(first <= b < last for b in breaks), (name, first, last, breaks)
