"""Render the picture of a filled form kept in docs/ (docs/form-filled.png).

Copies the demo repository, exports the form of one return in progress, fills in a few more
cells as an auditor would, and renders the first page with LibreOffice (``soffice``) and
``pdftoppm``, so the picture shows what people see. Run it after changing the form's layout:

    .venv/bin/python scripts/form_picture.py
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from print_pages import ROOT, demo_copy, needed_tools, print_pages

TOOL = "single-agency-safeguarding"


def _return_in_progress() -> str:
    """The stem of the demo's first October safeguarding return in progress (read from the
    demo, whose generated case codes change when it is rebuilt)."""
    for path in sorted(
        (ROOT / "examples" / "demo-repo" / "audits" / "2026-10").glob(f"*--{TOOL}.yaml")
    ):
        if "\nstatus: in_progress\n" in path.read_text(encoding="utf-8"):
            return path.stem
    raise SystemExit("the demo has no October safeguarding return in progress")


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
    found = needed_tools()
    if found is None:
        return 2
    stem = _return_in_progress()
    with tempfile.TemporaryDirectory() as tmp:
        repo = demo_copy(Path(tmp))
        qa = [
            sys.executable,
            "-m",
            "qa_cli",
            "form",
            "export",
            stem.split("--")[0],
            "--repo",
            str(repo),
        ]
        subprocess.run([*qa, "--as-of", "2026-11-24"], check=True, capture_output=True)
        form = repo / "outbox" / f"{stem}.xlsx"
        _fill(form)
        out = ROOT / "docs" / "form-filled"
        print_pages(form, Path(tmp), {1: out}, found)
    print(f"wrote {out}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
