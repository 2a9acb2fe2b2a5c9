"""`qa form export`: one protected workbook per open return, drop-downs of exactly the tool's
answers in words, answers already given filled in, and provenance in a hidden sheet."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, snapshot
from openpyxl import load_workbook

from qa_cli.models.common import GRADE_NAMES
from qa_cli.repository import Repository

MONTH = "2026-10"
IN_PROGRESS = "C-3X8SN49B--single-agency-safeguarding"


def _allowed(wb: Any, ws: Any, ref: str) -> list[str] | None:
    """The words a cell's drop-down allows, read from the range it points at; None if none."""
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list" and ref in dv.sqref:
            sheet, rng = dv.formula1.split("!")
            return [c[0].value for c in wb[sheet][rng.replace("$", "")] if c[0].value is not None]
    return None


def _question_rows(ws: Any) -> tuple[dict[str, int], dict[str, int]]:
    """(column by header text, row by question id) of the Return sheet."""
    for row in ws.iter_rows(min_col=1, max_col=5):
        if row[0].value == "Question id":
            cols = {c.value: c.column for c in row}
            header = row[0].row
            break
    else:
        raise AssertionError("no header row")
    rows = {
        ws.cell(row=r, column=1).value: r
        for r in range(header + 1, ws.max_row + 1)
        if ws.cell(row=r, column=1).value and ws.cell(row=r, column=2).value
    }
    return cols, rows


def test_export_month_writes_a_protected_form_per_open_return(demo_repo: Path, run) -> None:
    result = run("form", "export", "--month", MONTH, "--repo", demo_repo, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    repo = Repository.load(demo_repo)
    open_returns = sorted(
        Path(f.rel).stem
        for f in repo.of_kind("qa/audit")
        if f.rel.startswith(f"audits/{MONTH}/")
        and getattr(f.model, "status", None) in ("allocated", "in_progress")
    )
    written = sorted(p.stem for p in (demo_repo / "outbox").glob("*.xlsx"))
    assert written == open_returns and len(written) == 10

    wb = load_workbook(demo_repo / "outbox" / f"{IN_PROGRESS}.xlsx")
    assert wb.sheetnames[:2] == ["Return", "Actions"]
    ws = wb["Return"]
    cols, rows = _question_rows(ws)
    assert list(cols) == ["Question id", "Question", "Guidance", "Answer", "Comment"]
    tool = repo.tools["single-agency-safeguarding@1"]
    questions = tool.questions()
    assert set(rows) == set(questions)
    words = {"yes_no": ["Yes", "No"], "yes_no_na": ["Yes", "No", "Not applicable"]}
    words["grade"] = list(GRADE_NAMES.values())
    for qid, q in questions.items():
        ref = f"D{rows[qid]}"
        allowed = _allowed(wb, ws, ref)
        if q.type in words:
            assert allowed == words[q.type], qid
        elif q.type in ("text", "multi_choice"):
            assert allowed is None, qid
        assert ws[ref].protection.locked is False
        assert ws[f"B{rows[qid]}"].protection.locked is not False
    assert ws.protection.sheet and not ws.protection.password
    assert ws.oddHeader.right.text == "OFFICIAL-SENSITIVE"  # qa.yaml reports.protective_marking
    # answers already given are filled in, in words, with their comments
    given = next(f.model for f in repo.files if Path(f.rel).stem == IN_PROGRESS).answers
    shown = {"yes": "Yes", "no": "No", "na": "Not applicable"}
    plain = [q for q, a in given.items() if isinstance(a, str) and a in shown]
    commented = [q for q, a in given.items() if isinstance(a, dict) and a.get("comment")]
    assert plain and commented, given
    for q in plain:
        assert ws[f"D{rows[q]}"].value == shown[given[q]], q
    for q in commented:
        assert ws[f"E{rows[q]}"].value == given[q]["comment"], q
    # a follow-up says when it is needed
    follow = next(q for q in questions.values() if q.applies_if is not None)
    assert ws[f"C{rows[follow.id]}"].value.startswith(f"Only if '{follow.applies_if.question}'")
    # the header block: case code, a date cell for Completed, a grade drop-down
    labels = {ws.cell(row=r, column=1).value: r for r in range(1, rows[follow.id])}
    assert ws[f"D{labels['Case code']}"].value == "C-3X8SN49B"
    assert _allowed(wb, ws, f"D{labels['Overall grade']}") == words["grade"]
    assert ws[f"D{labels['Completed']}"].number_format == "yyyy-mm-dd"
    # Actions: the headers and an Owner drop-down of staff names
    acts = wb["Actions"]
    assert [c.value for c in acts[4][:5]] == ["Id", "Action", "Owner", "Due", "Re-audit"]
    owners = _allowed(wb, acts, "C5")
    assert "Jaya Patel" in owners and "tm-jpatel" not in owners
    # provenance in a hidden sheet
    meta_ws = wb["qa-form"]
    assert meta_ws.sheet_state == "hidden"
    meta = {r[0].value: r[1].value for r in meta_ws.iter_rows(max_col=2)}
    rel = f"audits/{MONTH}/{IN_PROGRESS}.yaml"
    assert meta["path"] == rel and meta["tool"] == "single-agency-safeguarding@1"
    raw = (demo_repo / rel).read_bytes()
    assert meta["digest"] == "sha256:" + hashlib.sha256(raw).hexdigest()


def test_export_by_case_code_and_auditor_filter(demo_repo: Path, run) -> None:
    out = demo_repo.parent / "forms-out"
    result = run("form", "export", "C-3X8SN49B", "--out", out, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == [f"{IN_PROGRESS}.xlsx"]
    result = run(
        "form",
        "export",
        "--month",
        MONTH,
        "--auditor",
        "tm-pquinn",
        "--out",
        out / "tm",
        "--repo",
        demo_repo,
    )
    assert result.exit_code == 0, result.output
    repo = Repository.load(demo_repo)
    theirs = {
        Path(f.rel).stem
        for f in repo.of_kind("qa/audit")
        if f.rel.startswith(f"audits/{MONTH}/")
        and "tm-pquinn" in f.model.auditors
        and f.model.status in ("allocated", "in_progress")
    }
    assert {p.stem for p in (out / "tm").iterdir()} == theirs and theirs


def test_export_refuses_to_overwrite_and_bad_selections(demo_repo: Path, run) -> None:
    assert run("form", "export", "C-3X8SN49B", "--repo", demo_repo).exit_code == 0
    before = snapshot(demo_repo)
    again = run("form", "export", "C-3X8SN49B", "--repo", demo_repo)
    assert again.exit_code == 1 and "--replace" in again.output
    assert snapshot(demo_repo) == before
    assert run("form", "export", "C-3X8SN49B", "--replace", "--repo", demo_repo).exit_code == 0
    nothing = run("form", "export", "--repo", demo_repo)
    assert nothing.exit_code == 2 and "--month" in nothing.output
    unknown = run("form", "export", "C-00000000", "--repo", demo_repo)
    assert unknown.exit_code == 2 and "no audit return" in unknown.output
    config = run("form", "export", "qa.yaml", "--repo", demo_repo)
    assert config.exit_code == 2 and "forms are made of" in config.output


def test_agency_form_holds_only_that_agency_return(demo_repo: Path, run) -> None:
    rel = "multi-agency/2026-cp-neglect/returns/C-68N5XFKZ--police.yaml"
    path = demo_repo / rel
    path.write_text(path.read_text().replace("status: returned", "status: in_progress"))
    result = run("form", "export", "--audit", "2026-cp-neglect", "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    forms = list((demo_repo / "outbox").glob("*.xlsx"))
    assert [p.name for p in forms] == ["C-68N5XFKZ--police.xlsx"]
    wb = load_workbook(forms[0])
    assert "Actions" not in wb.sheetnames
    text = " ".join(
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value
    )
    from qa_cli import yamlio

    other = yamlio.load_text((path.parent / "C-68N5XFKZ--education.yaml").read_text())["answers"][
        "involvement-summary"
    ]
    for unseen in ("C-8P6R34HF", "ag-health-rkaur", "Rupinder Kaur", "Mark Finch", other):
        assert unseen not in text
    assert "C-68N5XFKZ" in text


def test_form_converts_with_libreoffice(demo_repo: Path, run, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the conversion check was skipped")
    assert run("form", "export", "C-3X8SN49B", "--repo", demo_repo).exit_code == 0
    form = demo_repo / "outbox" / f"{IN_PROGRESS}.xlsx"
    out = tmp_path / "pdf"
    done = subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(form)],
        capture_output=True,
        timeout=120,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pdf = out / f"{IN_PROGRESS}.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
