"""`qa new`: one blank, pre-filled return for work the monthly draw does not allocate."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import (
    AsOfOption,
    RepoOption,
    console,
    handle_errors,
    parse_date_option,
    parse_month_option,
    repo_root,
    writes,
)


@handle_errors
@writes()
def new(
    tool: str = typer.Argument(
        ...,
        help=(
            "The audit tool's id (or id@version): themed-supervision, "
            "practice-observation, complaint-lessons, crib-sheet, multi-agency, ..."
        ),
    ),
    case: str | None = typer.Option(
        None,
        "--case",
        help="Case code (C-XXXXXXXX); its team and worker are looked up in the newest case list.",
    ),
    auditor: list[str] = typer.Option(
        [], "--auditor", help="Auditor, observer or manager staff id (repeat for several)."
    ),
    worker: str | None = typer.Option(None, "--worker", help="The social worker's staff id."),
    team: str | None = typer.Option(
        None, "--team", help="Team id (default: from the case list or the worker)."
    ),
    month: str | None = typer.Option(
        None,
        "--month",
        help="Month of a themed audit or crib sheet, YYYY-MM (default: this month).",
    ),
    theme: str | None = typer.Option(
        None, "--theme", help="Themed audit folder name (default: from the tool id)."
    ),
    date: str | None = typer.Option(
        None, "--date", help="Observation or complaint date, YYYY-MM-DD (default: today)."
    ),
    ref: str | None = typer.Option(None, "--ref", help="Complaint reference."),
    agency: str | None = typer.Option(
        None, "--agency", help="Multi-agency: the agency id (default: the auditor's)."
    ),
    audit_id: str | None = typer.Option(
        None, "--audit-id", help="Multi-agency: the audit's folder under multi-agency/."
    ),
    as_of: str | None = AsOfOption,
    repo: Path | None = RepoOption,
) -> None:
    """Create one blank return (themed audit, observation, complaint, crib sheet, agency return).

    Every question of the tool is there with its guidance as a comment; the file is placed
    where `qa validate` expects it. Never overwrites: exit 1 if the file exists.
    """

    from ..blank import new_return
    from ..pathguard import check_ids
    from ..repository import Repository

    check_ids(
        {
            "--theme": theme,
            "--audit-id": audit_id,
            "--worker": worker,
            "--team": team,
            "--agency": agency,
        }
    )
    today = parse_date_option(as_of)
    day = parse_date_option(date, "--date") if date else None
    if month is not None:
        month = parse_month_option(month)
    repository = Repository.load(repo_root(repo), require_config=True)
    rel, text = new_return(
        repository,
        tool,
        today,
        case=case,
        auditors=auditor,
        worker=worker,
        team=team,
        month=month,
        theme=theme,
        date=day,
        ref=ref,
        agency=agency,
        audit_id=audit_id,
    )
    repository.write_new(rel, text)
    console.print(f"wrote {rel}")


def register(app: typer.Typer) -> None:
    app.command("new")(new)
