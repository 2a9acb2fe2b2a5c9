"""`qa report ...` over the example repository: golden Markdown, workbooks read back,
redaction, encryption, formula injection, template overrides."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import AS_OF, DEMO_REPORTS

from qa_cli import yamlio
from qa_cli.reports.palette import GRADE_TINTS

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

REPORTS = DEMO_REPORTS


def _report(run, repo: Path, name: str, *extra: str):  # noqa: ANN202
    args, _ = REPORTS[name]
    result = run("report", *args, "--repo", repo, "--as-of", AS_OF, *extra)
    assert result.exit_code == 0, result.output
    return result


def _load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_golden_markdown(run, demo_repo: Path, update_golden: bool, name: str) -> None:
    _report(run, demo_repo, name)
    out = (demo_repo / f"{REPORTS[name][1]}.md").read_text(encoding="utf-8")
    golden = GOLDEN / f"{name}.md"
    if update_golden:
        golden.write_text(out, encoding="utf-8")
    assert golden.is_file(), f"no golden file yet: run pytest --update-golden ({golden})"
    assert out == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_report_writes_a_workbook_with_a_chart(run, demo_repo: Path, name: str) -> None:
    _report(run, demo_repo, name)
    wb = _load(demo_repo / f"{REPORTS[name][1]}.xlsx")
    assert wb.sheetnames[0] == "Summary"
    assert len(wb["Summary"]._charts) >= 1
    for ws in wb.worksheets[1:]:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")


def test_monthly_workbook_cells(run, demo_repo: Path) -> None:
    _report(run, demo_repo, "monthly")
    wb = _load(demo_repo / "reports/2026-10/monthly.xlsx")
    assert wb.sheetnames == [
        "Summary",
        "Audits",
        "Answers",
        "Actions",
        "Improvement plan",
        "Overdue",
        "Moderation",
        "Back to practice",
        "On time",
        "Actions by owner",
        "Strengths",
        "Child's voice",
        "Re-audits",
    ]
    # the month's improvement plan, item by item with its status (§5.2.5)
    plan = yamlio.load_fast((demo_repo / "improvement/2026-10.yaml").read_bytes())
    named = {"open": "Open", "done": "Done, to verify", "verified": "Verified"}
    items = list(wb["Improvement plan"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[5]) for r in items[: len(plan["recommendations"])]] == [
        (i["id"], named[i["status"]]) for i in plan["recommendations"]
    ]
    # the feedback to practice, counted from the month's returned audits (§5.2.3)
    back = {r[0]: r[1] for r in wb["Back to practice"].iter_rows(min_row=2, values_only=True)}
    returned = [
        d
        for p in sorted((demo_repo / "audits/2026-10").glob("*.yaml"))
        if (d := yamlio.load_fast(p.read_bytes()))["status"] in ("returned", "qa_review", "closed")
    ]
    assert back["Audits sent back to practice"] == sum("feedback" in d for d in returned) > 0
    assert back["Discussed in supervision"] == sum(
        "supervision_on" in d.get("feedback", {}) for d in returned
    )
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Cases allocated"] == 15
    assert summary["Returns in"] == 5
    assert summary["Good or better"] == pytest.approx(0.6)
    assert summary["Against the previous month"] == "too few returns to compare"
    # grade distribution table feeding the bar chart
    assert summary["Good"] == 3 and summary["Inadequate"] == 1
    kinds = sorted(type(c).__name__ for c in wb["Summary"]._charts)
    assert kinds == ["BarChart", "LineChart"]
    audits = wb["Audits"]
    header = [c.value for c in audits[1]]
    assert header[:2] == ["Case", "Team"]
    assert audits.max_row == 1 + 15  # one row per audit of the month
    grades = {
        r[header.index("Case")]: r[header.index("Grade")]
        for r in audits.iter_rows(min_row=2, values_only=True)
    }
    assert grades["C-N65NM2H5"] == "Inadequate"
    cell = next(c for c in audits["M"] if c.value == "Inadequate")
    assert cell.fill.start_color.rgb.endswith(GRADE_TINTS["inadequate"])  # grade colour
    answers = wb["Answers"]
    assert answers.max_row > 100  # one row per answer
    assert audits.column_dimensions["A"].width >= 10


def test_monthly_markdown_sections(run, demo_repo: Path) -> None:
    _report(run, demo_repo, "monthly")
    md = (demo_repo / "reports/2026-10/monthly.md").read_text()
    for heading in (
        "## Headlines",
        "## Grades",
        "## Grades by team",
        "## Themes",
        "## Requires Improvement and Inadequate cases",
        "## Actions open and overdue",
        "## Moderation",
        "## Safeguarding concerns",
        "## Recommendations",
    ):
        assert heading in md
    assert "```mermaid" in md and "xychart-beta" in md
    assert "C-N65NM2H5" in md.split("## Safeguarding concerns")[1]  # never left out
    assert "**Draft**" in md


def test_recommendations_file_is_used_and_never_overwritten(run, demo_repo: Path) -> None:
    rec = demo_repo / "reports/2026-10/recommendations.md"
    rec.parent.mkdir(parents=True)
    text = "1. Chronologies: monthly dip-sample by team managers.\n2. See children alone.\n"
    rec.write_text(text)
    _report(run, demo_repo, "monthly")
    _report(run, demo_repo, "monthly")  # re-running overwrites only generated files
    assert rec.read_text() == text
    md = (demo_repo / "reports/2026-10/monthly.md").read_text()
    assert "monthly dip-sample by team managers" in md
    assert "**Draft**" not in md


def test_rerun_overwrites_generated_files(run, demo_repo: Path) -> None:
    _report(run, demo_repo, "monthly")
    md = demo_repo / "reports/2026-10/monthly.md"
    md.write_text("stale")
    _report(run, demo_repo, "monthly")
    assert md.read_text().startswith("**OFFICIAL-SENSITIVE**\n\n# Monthly audit report")


def _texts_of_workbook(path: Path) -> str:
    wb = _load(path)
    return "\n".join(
        str(v)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_redaction_leaves_no_code_or_staff_name(run, demo_repo: Path, name: str) -> None:
    from qa_cli.repository import Repository

    _report(run, demo_repo, name, "--redact")
    stem = REPORTS[name][1] + "-redacted"
    md = (demo_repo / f"{stem}.md").read_text()
    xl = _texts_of_workbook(demo_repo / f"{stem}.xlsx")
    config = Repository.load(demo_repo).config
    for text in (md, xl):
        assert not re.search(r"C-[0-9A-Z]{8}", text)
        for s in config.staff:
            assert s.name not in text, s.name
            assert not re.search(rf"(?<![a-z0-9]){re.escape(s.id)}(?![a-z0-9])", text), s.id
    assert "Redacted for circulation" in md
    # the full report is not replaced by the redacted one
    assert not (demo_repo / f"{REPORTS[name][1]}.md").exists()


def test_encrypted_workbook_needs_the_password(run, demo_repo: Path, tmp_path: Path) -> None:
    import msoffcrypto
    from msoffcrypto.exceptions import InvalidKeyError

    pw = tmp_path / "pw.txt"
    pw.write_text("correct horse battery\n")
    result = _report(run, demo_repo, "monthly", "--password-file", pw)
    assert "correct horse" not in result.output
    data = (demo_repo / "reports/2026-10/monthly.xlsx").read_bytes()
    assert not zipfile.is_zipfile(io.BytesIO(data))
    with pytest.raises(zipfile.BadZipFile):
        openpyxl.load_workbook(io.BytesIO(data))
    wrong = msoffcrypto.OfficeFile(io.BytesIO(data))
    wrong.load_key(password="wrong")
    with pytest.raises(InvalidKeyError):
        wrong.decrypt(io.BytesIO())
    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    office.load_key(password="correct horse battery")
    out = io.BytesIO()
    office.decrypt(out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Summary"


def test_empty_or_missing_password_file(run, demo_repo: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    args = REPORTS["monthly"][0]
    r = run("report", *args, "--repo", demo_repo, "--as-of", AS_OF, "--password-file", empty)
    assert r.exit_code == 2 and "empty" in r.output
    r = run(
        "report",
        *args,
        "--repo",
        demo_repo,
        "--as-of",
        AS_OF,
        "--password-file",
        tmp_path / "nope.txt",
    )
    assert r.exit_code == 2 and "does not exist" in r.output
    assert not (demo_repo / "reports").exists()


HOSTILE = [
    '=HYPERLINK("http://example.invalid","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
]


def test_formula_injection_stays_text(run, demo_repo: Path) -> None:
    path = demo_repo / "audits/2026-10/C-N65NM2H5--single-agency-safeguarding.yaml"
    text = path.read_text()
    text = text.replace(
        "comment: The chronology has not been updated since the case transferred; recent "
        "incidents reported by school are missing.",
        f"comment: '{HOSTILE[0]}'",
    )
    text = text.replace(
        "comment: The last recorded management review of risk was five months ago.",
        f"comment: '{HOSTILE[1]}'",
    )
    text = re.sub(
        r"(  - id: A1\n    action: )Bring the chronology[^\n]*", rf"\1'{HOSTILE[3]}'", text
    )
    path.write_text(text)
    _report(run, demo_repo, "monthly")
    wb = _load(demo_repo / "reports/2026-10/monthly.xlsx")
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in HOSTILE:
                    found[c.value] = c
    assert set(found) >= {HOSTILE[0], HOSTILE[1], HOSTILE[3]}
    for c in found.values():
        assert c.data_type == "s"  # a string, not a formula
        assert c.quotePrefix
    raw = zipfile.ZipFile(demo_repo / "reports/2026-10/monthly.xlsx").read(
        "xl/worksheets/sheet3.xml"
    )
    assert b"<f>" not in raw


def test_markdown_escaping_of_auditor_text(run, demo_repo: Path) -> None:
    path = demo_repo / "audits/2026-10/C-N65NM2H5--single-agency-safeguarding.yaml"
    text = path.read_text().replace(
        "comment: The last recorded management review of risk was five months ago.",
        'comment: "# Heading | pipe <script>alert(1)</script> [link](http://x) *bold*"',
    )
    path.write_text(text)
    _report(run, demo_repo, "monthly")
    md = (demo_repo / "reports/2026-10/monthly.md").read_text()
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "\\# Heading \\| pipe" in md
    assert "\\[link\\]" in md and "\\*bold\\*" in md
    # every table row keeps its number of cells
    for line in md.splitlines():
        if line.startswith("| Case | Action"):
            width = line.count(" | ")
    assert width


def test_repository_template_overrides_and_is_sandboxed(run, demo_repo: Path) -> None:
    t = demo_repo / "templates"
    t.mkdir()
    (t / "complaints.md.j2").write_text("# Our complaints {{ meta.year }}: {{ total }}\n")
    _report(run, demo_repo, "complaints")
    marking = "**OFFICIAL-SENSITIVE**"
    assert (demo_repo / "reports/2026/complaints.md").read_text() == (
        f"{marking}\n\n# Our complaints 2026: 6\n\n{marking}\n"
    )
    (t / "complaints.md.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    r = run("report", "complaints", "--year", "2026", "--repo", demo_repo, "--as-of", AS_OF)
    assert r.exit_code == 2
    assert "templates/complaints.md.j2" in r.output and "Traceback" not in r.output
    (t / "complaints.md.j2").write_text("{{ no_such_value }}\n")
    r = run("report", "complaints", "--year", "2026", "--repo", demo_repo, "--as-of", AS_OF)
    assert r.exit_code == 2 and "no_such_value" in r.output
    (t / "complaints.md.j2").write_text("{% if %}\n")
    r = run("report", "complaints", "--year", "2026", "--repo", demo_repo, "--as-of", AS_OF)
    assert r.exit_code == 2 and "syntax error at line 1" in r.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["monthly", "--month", "2026-13"], "is not a month"),
        (["monthly", "--month", "2025-01"], "nothing to report for 2025-01"),
        (
            ["themed", "--theme", "views", "--month", "2026-10"],
            "--theme supervision --month 2026-10",
        ),
        (
            ["team", "--team", "assesment-2", "--half", "2026-H2"],
            "did you mean --team assessment-2",
        ),
        (["team", "--team", "assessment-2", "--half", "2026-3"], "YYYY-H1"),
        (["multi-agency", "nope"], "2026-cp-neglect"),
        (["complaints", "--year", "2019"], "no complaint is recorded for 2019"),
    ],
)
def test_user_errors_say_what_and_how(run, demo_repo: Path, args: list[str], message: str) -> None:
    r = run("report", *args, "--repo", demo_repo, "--as-of", AS_OF)
    assert r.exit_code == 2
    assert message in r.output and "how to fix" in r.output
    assert "Traceback" not in r.output


def test_invalid_file_is_left_out_with_a_warning(run, demo_repo: Path) -> None:
    bad = demo_repo / "audits/2026-10/C-N65NM2H5--single-agency-safeguarding.yaml"
    bad.write_text(bad.read_text().replace("overall_grade: inadequate", "overall_grade: great"))
    r = _report(run, demo_repo, "monthly")
    assert "C-N65NM2H5--single-agency-safeguarding.yaml could not be read" in r.output
