"""Print a workbook's pages to PNG pictures through LibreOffice and poppler, as people see it.

Shared by the scripts that keep pictures in docs/ (form_picture.py, redacted_picture.py).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tools() -> tuple[str, str] | None:
    """(soffice, pdftoppm), or None when LibreOffice or poppler is not installed."""
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    return (soffice, pdftoppm) if soffice and pdftoppm else None


def needed_tools() -> tuple[str, str] | None:
    """``tools()``, saying on stderr what is missing when they are not installed."""
    found = tools()
    if found is None:
        print("needs LibreOffice (soffice) and poppler (pdftoppm)", file=sys.stderr)
    return found


def demo_copy(tmp: Path) -> Path:
    """A copy of the example repository in ``tmp``, for a script to run commands on."""
    repo = tmp / "demo"
    shutil.copytree(ROOT / "examples" / "demo-repo", repo)
    return repo


def print_pages(book: Path, tmp: Path, pages: dict[int, Path], found: tuple[str, str]) -> None:
    """Write page N of ``book`` to ``pages[N]`` + ".png" (80 dpi), working in ``tmp``."""
    soffice, pdftoppm = found
    env = {"HOME": str(tmp), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(book)],
        check=True,
        capture_output=True,
        env=env,
    )
    pdf = tmp / f"{book.stem}.pdf"
    for page, out in pages.items():
        subprocess.run(
            [pdftoppm, "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile",
             str(pdf), str(out)],
            check=True,
        )  # fmt: skip
