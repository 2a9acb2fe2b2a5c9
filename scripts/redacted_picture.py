"""Render the pictures of a redacted workbook kept in docs/ (docs/images/redacted-*.png).

Copies the demo repository, writes October 2026's monthly report with ``--redact`` and prints
the workbook through LibreOffice (``soffice``) and ``pdftoppm``, so the pictures show what a
reader of the circulated report sees: stand-ins for cases and staff, "fewer than 5", the
figures withheld ("–") so that none can be worked back. Run it after changing the workbook's
layout or the redaction:

    .venv/bin/python scripts/redacted_picture.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from print_pages import ROOT, demo_copy, needed_tools, print_pages

PAGES = {1: "redacted-summary", 2: "redacted-summary-page2"}


def main() -> int:
    found = needed_tools()
    if found is None:
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        repo = demo_copy(Path(tmp))
        qa = [sys.executable, "-m", "qa_cli", "report", "monthly", "--month", "2026-10"]
        env = {"HOME": tmp, "XDG_CONFIG_HOME": str(Path(tmp) / "cfg")}
        subprocess.run(
            [*qa, "--redact", "--as-of", "2026-11-29", "--repo", str(repo)],
            check=True,
            capture_output=True,
            env={**env, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
        )
        book = repo / "reports" / "2026-10" / "monthly-redacted.xlsx"
        pages = {page: ROOT / "docs" / "images" / name for page, name in PAGES.items()}
        print_pages(book, Path(tmp), pages, found)
    for out in pages.values():
        print(f"wrote {out.relative_to(ROOT)}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
