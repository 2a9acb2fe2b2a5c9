"""`qa new`: one blank, pre-filled return for work the monthly draw does not allocate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from . import common

if TYPE_CHECKING:
    from ..repository import Repository

_TOOL = typer.Argument(
    ...,
    help="The audit tool's id (or id@version): themed-supervision, "
    "practice-observation, complaint-lessons, crib-sheet, multi-agency, ...; or a record: "
    "improvement-plan (--month [--theme]), team-review (--team --month: the half-year's last "
    "month), team-overview (--team --month).",
)
_CASE = typer.Option(
    None,
    "--case",
    help="Case code (C-XXXXXXXX); its team and worker are looked up in the newest case list.",
)
_AUDITOR = typer.Option(
    [], "--auditor", help="Auditor, observer or manager staff id (repeat for several)."
)
_TEAM = typer.Option(None, "--team", help="Team id (default: from the case list or the worker).")
_MONTH = typer.Option(
    None,
    "--month",
    help="Month of a themed audit, crib sheet, improvement plan or team overview, or the last "
    "month of a team review, YYYY-MM (default: this month).",
)
_THEME = typer.Option(None, "--theme", help="Themed audit folder name (default: from the tool id).")
_DATE = typer.Option(
    None, "--date", help="Observation or complaint date, YYYY-MM-DD (default: today)."
)
_AGENCY = typer.Option(
    None, "--agency", help="Multi-agency: the agency id (default: the auditor's)."
)
_AUDIT_ID = typer.Option(
    None, "--audit-id", help="Multi-agency: the audit's folder under multi-agency/."
)
_WORKER = typer.Option(None, "--worker", help="The social worker's staff id.")
_REF = typer.Option(None, "--ref", help="Complaint reference.")
_MEETING = typer.Option(
    None,
    "--meeting",
    help="Monitoring form: initial_cp_conference, review_cp_conference, cla_review or "
    "pathway_plan_review (default from the chair's role); mid-point review: cp_plan, "
    "care_plan or pathway_plan.",
)


@common.writer()
def new(
    tool: str = _TOOL,
    case: str | None = _CASE,
    auditor: list[str] = _AUDITOR,
    worker: str | None = _WORKER,
    team: str | None = _TEAM,
    month: str | None = _MONTH,
    theme: str | None = _THEME,
    date: str | None = _DATE,
    ref: str | None = _REF,
    agency: str | None = _AGENCY,
    audit_id: str | None = _AUDIT_ID,
    meeting: str | None = _MEETING,
    as_of: str | None = common.AsOfOption,
    repo: Path | None = common.RepoOption,
) -> None:
    """Create one blank return (themed audit, observation, complaint, crib sheet, agency return)
    or record (improvement plan, team review, team overview).

    Every question of the tool is there with its guidance as a comment; the file is placed
    where `qa validate` expects it. Never overwrites: exit 1 if the file exists.
    """
    from ..blank import NewOptions, new_return
    from ..improvement import NEW_RECORD, RecordRequest, new_record
    from ..pathguard import check_ids
    from ..repository import Repository

    ids = {"--theme": theme, "--audit-id": audit_id, "--worker": worker, "--team": team}
    check_ids({**ids, "--agency": agency})
    today = common.parse_date_option(as_of)
    day = common.parse_date_option(date, "--date") if date else None
    if month is not None:
        month = common.parse_month_option(month)
    repository = Repository.load(common.repo_root(repo), require_config=True)
    if tool in NEW_RECORD:
        request = RecordRequest(
            repository, today, month or today.strftime("%Y-%m"), theme, team, tuple(auditor)
        )
        rel, text = new_record(repository, tool, request)
        repository.write_new(rel, text)
        common.console.print(f"wrote {rel}")
        return
    given = NewOptions(
        case, auditor, worker, team, month, theme, day, ref, agency, audit_id, meeting
    )
    rel, text = new_return(repository, tool, today, given)
    _write(repository, rel, text)


def _write(repository: Repository, rel: str, text: str) -> None:
    """Write the new return; a themed one also goes into its theme's scope.yaml."""
    from ..themes import after_new

    repository.write_new(rel, text)
    common.console.print(f"wrote {rel}")
    scope = after_new(repository, rel, text)
    if scope is not None:
        did = "wrote" if scope.created else "added the case to"
        common.console.print(f"{did} {scope.rel}")


def register(app: typer.Typer) -> None:
    app.command("new")(new)
