"""Render the pictures of a redacted workbook kept in docs/ (docs/images/redacted-*.png).

Copies the demo repository, writes October 2026's monthly report and the fourth quarter's
quarterly report with ``--redact`` and prints the workbooks through LibreOffice (``soffice``)
and ``pdftoppm``, so the pictures show what a reader of the circulated report sees: stand-ins
for cases and staff, "fewer than 5", the figures withheld ("–") so that none can be worked
back, in one table or from another. Run it after changing the workbook's layout or the
redaction:

    .venv/bin/python scripts/redacted_picture.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from print_pages import ROOT, demo_copy, needed_tools, print_pages

# (report, its period option, the period, the first page's picture, the second page's)
BOOKS = [
    ("monthly", "--month", "2026-10", "redacted-summary", "redacted-summary-page2"),
    ("quarterly", "--quarter", "2026-Q4", "redacted-quarterly-summary", None),
]


def main() -> int:
    found = needed_tools()
    if found is None:
        return 2
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        repo = demo_copy(Path(tmp))
        env = {"HOME": tmp, "XDG_CONFIG_HOME": str(Path(tmp) / "cfg")}
        for kind, option, period, *names in BOOKS:
            qa = [sys.executable, "-m", "qa_cli", "report", kind, option, period, "--redact"]
            subprocess.run(
                [*qa, "--as-of", "2026-11-29", "--repo", str(repo)],
                check=True,
                capture_output=True,
                env={**env, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
            )
            book = repo / "reports" / period / f"{kind}-redacted.xlsx"
            pages = {n: ROOT / "docs" / "images" / x for n, x in enumerate(names, 1) if x}
            print_pages(book, Path(tmp), pages, found)
            written += pages.values()
    for out in written:
        print(f"wrote {out.relative_to(ROOT)}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
