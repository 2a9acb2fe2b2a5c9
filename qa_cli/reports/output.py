"""Write a report's files: Markdown and Excel, atomically, redacted or encrypted on request.

Report files are generated output and are overwritten on each run; ``recommendations.md``,
written by the Lead QA Auditor, is never written here.
"""

from __future__ import annotations

from pathlib import Path

from ..models.config import ReportSettings
from ..repository import Repository
from ..yamlio import atomic_write
from . import Report
from .excel import encrypt, workbook_bytes
from .markdown import md_inline, render
from .names import Namer

PROTECTED = frozenset({"recommendations.md"})


def marking_of(repo: Repository) -> str:
    """The protective marking of the repository's reports (qa.yaml ``reports``)."""
    if repo.config is None:
        return ReportSettings.model_validate({}).protective_marking
    return repo.config.reports.protective_marking


def marked(markdown: str, marking: str) -> str:
    """The report with its protective marking above the title and again at the end."""
    if not marking:
        return markdown
    line = f"**{md_inline(marking)}**"
    return f"{line}\n\n{markdown.rstrip()}\n\n{line}\n"


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
    namer = Namer(repo.config)
    context, workbook = namer(report.context), namer(report.workbook)
    stem = report.stem
    if redact:
        from ..validation.privacy_rules import refuse_if_personal_data
        from .lists import full_report_only, without_lists
        from .redact import Redactor  # here: the privacy scan's imports only when redacting

        refuse_if_personal_data(repo, "the redacted report")
        r = Redactor.for_repository(repo)
        r.learn_shares([context, workbook])
        context, workbook = r.context(context), without_lists(r(workbook))
        context["full_report_only"] = full_report_only()  # what the templates' lists say
        workbook["lines"] = [*workbook.get("lines", []), r.legend]
        stem = f"{stem}-redacted"
    marking = marking_of(repo)
    context = {**context, "redacted": redact, "marking": marking}
    workbook = {
        **workbook,
        "marking": marking,
        "organisation": repo.config.organisation if repo.config else "",
    }
    md_path = repo.path_for_write(f"{report.folder}/{stem}.md")
    xlsx_path = repo.path_for_write(f"{report.folder}/{stem}.xlsx")
    assert md_path.name not in PROTECTED and xlsx_path.name not in PROTECTED
    counted = r.figure if redact else None  # a list's length, as the report would print it
    markdown = marked(render(report.template, context, repo.root / "templates", counted), marking)
    if redact:
        markdown = r.markdown(markdown)
    data = workbook_bytes(workbook)
    if password is not None:
        data = encrypt(data, password)
    atomic_write(md_path, markdown)
    atomic_write(xlsx_path, data)
    return [md_path, xlsx_path]
