"""Write a report's files: Markdown and Excel, atomically, redacted or encrypted on request.

Report files are generated output and are overwritten on each run; ``recommendations.md``,
written by the Lead QA Auditor, is never written here.
"""

from __future__ import annotations

from pathlib import Path

from ..repository import Repository
from ..yamlio import atomic_write
from . import Report
from .excel import encrypt, workbook_bytes
from .markdown import render
from .redact import Redactor

PROTECTED = frozenset({"recommendations.md"})


def write_report(
    repo: Repository,
    report: Report,
    *,
    redact: bool = False,
    password: str | None = None,
) -> list[Path]:
    """Render and write ``<folder>/<stem>.md`` and ``.xlsx``; returns the paths written.

    With ``redact`` the files are ``<stem>-redacted.*`` so the full record stays as it was.
    """
    context, workbook = report.context, report.workbook
    stem = report.stem
    if redact:
        r = Redactor(repo.config)
        context, workbook = r(context), r(workbook)
        stem = f"{stem}-redacted"
    context = {**context, "redacted": redact}
    md_path = repo.path_for_write(f"{report.folder}/{stem}.md")
    xlsx_path = repo.path_for_write(f"{report.folder}/{stem}.xlsx")
    assert md_path.name not in PROTECTED and xlsx_path.name not in PROTECTED
    markdown = render(report.template, context, repo.root / "templates")
    data = workbook_bytes(workbook)
    if password is not None:
        data = encrypt(data, password)
    atomic_write(md_path, markdown)
    atomic_write(xlsx_path, data)
    return [md_path, xlsx_path]
