"""`qa form import`: filled forms back into their YAML returns, comments kept, validated at once;
bad cells reported by cell with the rule codes of `qa validate`; stale and foreign forms refused."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from conftest import AS_OF, snapshot
from openpyxl import Workbook, load_workbook

MONTH = "2026-10"
ALLOCATED = "C-4Y3B3H9E--single-agency-cla"  # `answers: {}`, nothing answered yet
IN_PROGRESS = "C-3X8SN49B--single-agency-safeguarding"  # part answered, comments among answers
MARKER = "Zebrafinch"  # stands for free text that must never be echoed


class Form:
    """A form opened with openpyxl, its cells found by the header texts a person sees."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = load_workbook(path)
        self.ws = self.wb["Return"]
        header = next(r for r in self.ws.iter_rows(max_col=5) if r[0].value == "Question id")
        self.header_row = header[0].row
        self.col = {c.value: c.column for c in header}
        self.labels = {self.ws.cell(row=r, column=1).value: r for r in range(1, self.header_row)}
        self.rows = {
            self.ws.cell(row=r, column=1).value: r
            for r in range(self.header_row + 1, self.ws.max_row + 1)
            if self.ws.cell(row=r, column=2).value
        }

    def allowed(self, ref: str) -> list[str] | None:
        for dv in self.ws.data_validations.dataValidation:
            if dv.type == "list" and ref in dv.sqref:
                sheet, rng = dv.formula1.split("!")
                return [c[0].value for c in self.wb[sheet][rng.replace("$", "")]]
        return None

    def answer(self, qid: str) -> Any:
        return self.ws.cell(row=self.rows[qid], column=self.col["Answer"])

    def comment(self, qid: str) -> Any:
        return self.ws.cell(row=self.rows[qid], column=self.col["Comment"])

    def field(self, label: str) -> Any:
        return self.ws.cell(row=self.labels[label], column=4)

    def fill_all(self, completed: dt.date | None = dt.date(2026, 11, 20)) -> None:
        """Answer every blank question that applies, as a careful auditor would."""
        for qid, row in self.rows.items():
            guidance = self.ws.cell(row=row, column=self.col["Guidance"]).value or ""
            cond = re.match(r"Only if '([^']+)' is (.+?)\.", guidance)
            if cond and self.answer(cond[1]).value not in cond[2].split(" or "):
                continue
            cell = self.answer(qid)
            if cell.value is not None:
                continue
            opts = self.allowed(cell.coordinate)
            if opts:
                cell.value = "Good" if "Good" in opts else "Yes" if "Yes" in opts else opts[0]
            elif "Type one or more" in guidance:
                cell.value = "None"
            else:
                cell.value = "Seen at home; the child's views are in the plan."
        if completed is not None:
            self.field("Completed").value = completed
        self.field("Overall grade").value = "Good"
        self.field("Strengths").value = "Purposeful visits.\nA clear, current plan."

    def save(self) -> Path:
        self.wb.save(self.path)
        return self.path


def _export(run, repo: Path, *args: str) -> None:
    result = run("form", "export", *args, "--repo", repo, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output


def _comment_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.lstrip().startswith("#")]


def test_round_trip_of_an_allocated_month(demo_repo: Path, run) -> None:
    """Done when: export a month, fill one form by its headers, import, validate, comments kept."""
    _export(run, demo_repo, "--month", MONTH)
    for stem in (ALLOCATED, IN_PROGRESS):
        rel = demo_repo / "audits" / MONTH / f"{stem}.yaml"
        before = rel.read_text()
        form = Form(demo_repo / "outbox" / f"{stem}.xlsx")
        form.fill_all()
        acts = form.wb["Actions"]
        acts["B5"], acts["C5"], acts["D5"] = (
            "Update the chronology.",
            "Jaya Patel",
            dt.date(2026, 12, 15),
        )
        form.save()
        result = run("form", "import", form.path, "--repo", demo_repo)
        assert result.exit_code == 0, result.output
        assert "status: returned" in result.output
        after = rel.read_text()
        assert _comment_lines(before) == _comment_lines(after)
        assert "status: returned" in after and "completed: 2026-11-20" in after
        assert "  - id: A1\n    action: Update the chronology.\n    owner: tm-jpatel\n" in after
        # answers already there keep their exact lines
        for line in before.splitlines():
            if line.startswith("  ") and ": " in line and "#" not in line:
                assert line in after, line
    check = run("validate", "--repo", demo_repo)
    assert check.exit_code == 0, check.output


def test_a_wrong_value_is_reported_at_its_cell_and_nothing_is_written(demo_repo: Path, run) -> None:
    _export(run, demo_repo, IN_PROGRESS.split("--")[0])
    form = Form(demo_repo / "outbox" / f"{IN_PROGRESS}.xlsx")
    form.fill_all()
    bad = form.answer("assessment-timely")
    bad.value = f"{MARKER} maybe"
    form.save()
    before = snapshot(demo_repo / "audits")
    result = run("form", "import", form.path, "--repo", demo_repo)
    assert result.exit_code == 1
    assert f"{IN_PROGRESS}.xlsx: Return!{bad.coordinate}: error QA303" in result.output
    assert "not one of its choices" in result.output and "Yes, No" in result.output
    assert MARKER not in result.output
    assert snapshot(demo_repo / "audits") == before
    # --partial writes what is fine, leaves the bad cell's question as it was, not returned
    partial = run("form", "import", form.path, "--partial", "--repo", demo_repo)
    assert partial.exit_code == 1 and "partly imported" in partial.output, partial.output
    text = (demo_repo / "audits" / MONTH / f"{IN_PROGRESS}.yaml").read_text()
    assert "status: in_progress" in text and "assessment-timely: yes" in text
    assert "overall_grade: good" in text


def test_a_missing_comment_is_reported_at_the_comment_cell(demo_repo: Path, run) -> None:
    _export(run, demo_repo, ALLOCATED.split("--")[0])
    form = Form(demo_repo / "outbox" / f"{ALLOCATED}.xlsx")
    form.fill_all()
    form.answer("care-plan-up-to-date").value = "No"  # needs a comment saying why
    form.save()
    before = snapshot(demo_repo / "audits")
    result = run("form", "import", form.path, "--repo", demo_repo)
    assert result.exit_code == 1
    where = form.comment("care-plan-up-to-date").coordinate
    assert f"Return!{where}: error QA305" in result.output, result.output
    assert "how to fix: write in the Comment cell why" in result.output
    assert snapshot(demo_repo / "audits") == before


def test_a_stale_form_is_refused_unless_forced(demo_repo: Path, run) -> None:
    _export(run, demo_repo, IN_PROGRESS.split("--")[0])
    form = Form(demo_repo / "outbox" / f"{IN_PROGRESS}.xlsx")
    form.answer("contingency-plan").value = "Yes"
    form.save()
    path = demo_repo / "audits" / MONTH / f"{IN_PROGRESS}.yaml"
    path.write_text(path.read_text().replace("visits-purposeful: yes", "visits-purposeful: no"))
    changed = snapshot(demo_repo / "audits")
    result = run("form", "import", form.path, "--repo", demo_repo)
    assert result.exit_code == 1
    assert "has changed since the form was exported" in result.output
    assert "answers.visits-purposeful" in result.output and "--force" in result.output
    assert snapshot(demo_repo / "audits") == changed
    forced = run("form", "import", form.path, "--force", "--repo", demo_repo)
    assert forced.exit_code == 0, forced.output
    assert "contingency-plan: yes" in path.read_text()


def test_a_second_import_changes_nothing(demo_repo: Path, run) -> None:
    _export(run, demo_repo, ALLOCATED.split("--")[0])
    form = Form(demo_repo / "outbox" / f"{ALLOCATED}.xlsx")
    form.fill_all(completed=None)  # not finished yet: stays in progress
    form.save()
    first = run("form", "import", form.path, "--repo", demo_repo)
    assert first.exit_code == 0 and "status: in_progress" in first.output, first.output
    after_first = snapshot(demo_repo)
    second = run("form", "import", form.path, "--repo", demo_repo)
    assert second.exit_code == 0 and "nothing to change" in second.output
    assert snapshot(demo_repo) == after_first
    # the same form, finished later and sent again, is not stale: it explains the changes
    form = Form(form.path)
    form.field("Completed").value = dt.date(2026, 11, 25)
    form.save()
    third = run("form", "import", form.path, "--repo", demo_repo)
    assert third.exit_code == 0 and "status: returned" in third.output, third.output


def test_foreign_workbooks_and_missing_returns_are_refused(
    demo_repo: Path, run, tmp_path: Path
) -> None:
    plain = tmp_path / "budget.xlsx"
    Workbook().save(plain)
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    before = snapshot(demo_repo)
    for path in (plain, text):
        result = run("form", "import", path, "--repo", demo_repo)
        assert result.exit_code == 1 and "is not a qa form" in result.output, result.output
    _export(run, demo_repo, ALLOCATED.split("--")[0])
    form = demo_repo / "outbox" / f"{ALLOCATED}.xlsx"
    moved = tmp_path / "form.xlsx"
    moved.write_bytes(form.read_bytes())
    (demo_repo / "audits" / MONTH / f"{ALLOCATED}.yaml").unlink()
    gone = run("form", "import", moved, "--repo", demo_repo)
    assert gone.exit_code == 1 and "not in this repository" in gone.output
    assert "C-4Y3B3H9E" in gone.output
    assert set(snapshot(demo_repo)) >= set(before) - {f"audits/{MONTH}/{ALLOCATED}.yaml"}


def test_agency_return_round_trip(demo_repo: Path, run) -> None:
    rel = demo_repo / "multi-agency/2026-cp-neglect/returns/C-68N5XFKZ--police.yaml"
    text = rel.read_text().replace("status: returned", "status: in_progress")
    rel.write_text(re.sub(r"\ngrade: \w+\n", "\ngrade:\n", text))
    _export(run, demo_repo, "--audit", "2026-cp-neglect", "--agency", "police")
    form = Form(demo_repo / "outbox" / "C-68N5XFKZ--police.xlsx")
    assert form.field("Overall grade").value is None
    form.field("Overall grade").value = "Requires Improvement"
    form.save()
    result = run("form", "import", form.path, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    after = rel.read_text()
    assert "grade: requires_improvement" in after and "status: returned" in after
    assert _comment_lines(after) == _comment_lines(text)
    assert run("validate", "--repo", demo_repo).exit_code == 0


def test_a_form_saved_by_libreoffice_imports(demo_repo: Path, run, tmp_path: Path) -> None:
    import shutil
    import subprocess

    import pytest

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the re-save check was skipped")
    _export(run, demo_repo, ALLOCATED.split("--")[0])
    form = Form(demo_repo / "outbox" / f"{ALLOCATED}.xlsx")
    form.fill_all()
    form.save()
    out = tmp_path / "saved"
    done = subprocess.run(
        [soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(form.path)],
        capture_output=True,
        timeout=120,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    saved = out / form.path.name
    assert done.returncode == 0 and saved.is_file(), done.stderr
    result = run("form", "import", saved, "--repo", demo_repo)
    assert result.exit_code == 0 and "status: returned" in result.output, result.output
    assert run("validate", "--repo", demo_repo).exit_code == 0
