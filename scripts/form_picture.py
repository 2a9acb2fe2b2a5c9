"""Render the picture of a filled form kept in docs/ (docs/form-filled.png).

Copies the demo repository, exports the form of one return in progress, fills in a few more
cells as an auditor would, and renders the first page with LibreOffice (``soffice``) and
``pdftoppm``, so the picture shows what people see. Run it after changing the form's layout:

    .venv/bin/python scripts/form_picture.py
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from print_pages import print_pages, tools

ROOT = Path(__file__).resolve().parent.parent
CASE = "C-6MC7SS6D"
STEM = f"{CASE}--single-agency-safeguarding"


def _fill(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb["Return"]
    labels = {ws.cell(row=r, column=1).value: r for r in range(1, 40)}
    ws.cell(row=labels["Completed"], column=4).value = dt.date(2026, 11, 24)
    ws.cell(row=labels["Overall grade"], column=4).value = "Good"
    ws.cell(
        row=labels["Strengths"], column=4
    ).value = "Visits are purposeful and the child's views shape the plan."
    ws.cell(
        row=labels["Areas for improvement"], column=4
    ).value = "The chronology needs the two most recent police notifications."
    rows = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
    ws.cell(row=rows["chronology-up-to-date"], column=4).value = "No"
    ws.cell(
        row=rows["chronology-up-to-date"], column=5
    ).value = "Two police notifications from September are missing."
    wb.save(path)


def main() -> int:
    found = tools()
    if found is None:
        print("needs LibreOffice (soffice) and poppler (pdftoppm)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "demo"
        shutil.copytree(ROOT / "examples" / "demo-repo", repo)
        qa = [sys.executable, "-m", "qa_cli", "form", "export", CASE, "--repo", str(repo)]
        subprocess.run([*qa, "--as-of", "2026-11-24"], check=True, capture_output=True)
        form = repo / "outbox" / f"{STEM}.xlsx"
        _fill(form)
        out = ROOT / "docs" / "form-filled"
        print_pages(form, Path(tmp), {1: out}, found)
    print(f"wrote {out}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
