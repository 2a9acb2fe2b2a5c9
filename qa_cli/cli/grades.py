"""`qa grades`: grade tables by team, service, tool, auditor, month or question."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from .common import RepoOption, console, handle_errors, parse_month_option, repo_root


class By(StrEnum):
    team = "team"
    service = "service"
    tool = "tool"
    auditor = "auditor"
    month = "month"
    question = "question"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@handle_errors
def grades(
    first: str | None = typer.Option(None, "--from", help="First month, YYYY-MM (default: all)."),
    last: str | None = typer.Option(None, "--to", help="Last month, YYYY-MM (default: all)."),
    by: By = typer.Option(
        By.team, "--by", help="Group by team, service, tool, auditor, month or question."
    ),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output: table, json or csv."),
    repo: Path | None = RepoOption,
) -> None:
    """Collated grades of returned audits, with Good-or-better shares and 95% intervals.

    The grade counted is the one agreed at QA review where there was one. Also shows how
    often auditors and moderators agreed (exact agreement, quadratic-weighted kappa) and
    which auditors grade more generously or harshly than moderation.
    """
    from ..reports.grades import grades as collate
    from ..repository import Repository
    from . import grades_output

    first = parse_month_option(first, "--from") if first is not None else None
    last = parse_month_option(last, "--to") if last is not None else None
    result = collate(
        Repository.load(repo_root(repo), require_config=True), by=by.value, first=first, last=last
    )
    period = f"{first or 'the start'} to {last or 'the latest'}"
    if fmt is Format.table:
        grades_output.print_table(console, result, by.value, period)
        return
    typer.echo(grades_output.TEXT_RENDERERS[fmt.value](result, by.value, period).rstrip("\n"))


def register(app: typer.Typer) -> None:
    app.command("grades")(grades)
