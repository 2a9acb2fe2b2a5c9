"""`qa due`: what is due and overdue, by person; as a table, JSON, CSV, Markdown or a calendar."""

from __future__ import annotations

import dataclasses
import os
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ..errors import QAError
from ..masking import masked
from .common import AsOfOption, RepoOption, console, handle_errors, parse_date_option, repo_root


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


@handle_errors
def due(
    as_of: str | None = AsOfOption,
    person: str | None = typer.Option(None, "--person", help="Only this staff (or agency) id."),
    team: str | None = typer.Option(None, "--team", help="Only items of this team id."),
    within: int | None = typer.Option(
        None,
        "--within",
        min=0,
        max=3660,
        help="Show items falling due within DAYS as well as the overdue ones "
        "(default: due.within_days in qa.yaml, 14; with --ics: everything).",
    ),
    fmt: Format = typer.Option(
        Format.table, "--format", "-f", help="Output: table, json, csv or md (Markdown)."
    ),
    ics: Path | None = typer.Option(
        None, "--ics", help="Also write the items as an iCalendar file (.ics) to import."
    ),
    fail_on_overdue: bool = typer.Option(
        False, "--fail-on-overdue", help="Exit 1 when anything is overdue (for a scheduled job)."
    ),
    repo: Path | None = RepoOption,
) -> None:
    """What is due and overdue, by person: returns, QA reviews, actions, feedback, observations.

    Safeguarding concerns not yet acknowledged come first, then overdue items (most overdue
    first), then what falls due soon, then a summary per person (managers first). Exit 0, or 1
    with --fail-on-overdue when anything is overdue.
    """
    from ..due import due_items, select, summarise
    from ..repository import Repository

    today = parse_date_option(as_of)
    loaded = Repository.load(repo_root(repo), require_config=True)
    _check_filters(loaded, person, team)
    horizon = within
    if horizon is None and ics is None:
        horizon = loaded.config.due.within_days
    everything = due_items(loaded, today)
    items = select(everything, person=person, team=team, within=horizon)
    summary = summarise(items, loaded.config)
    if ics is not None:
        _write_ics(ics, loaded, items)
    _render(fmt, loaded, items, summary, today, horizon)
    if ics is not None and fmt is Format.table:
        console.print(f"Wrote {len(items)} event(s) to {ics}.")
    if fail_on_overdue and any(i.overdue for i in items):
        raise typer.Exit(1)


def _check_filters(loaded: Any, person: str | None, team: str | None) -> None:
    """--person and --team name a staff or agency id and a team id of qa.yaml."""
    staff = loaded.config.staff_by_id()
    agencies = {a.id for a in loaded.config.agencies}
    if person is not None and person not in staff and person not in agencies:
        raise QAError(
            f"--person: {masked(person)} is not a staff or agency id in qa.yaml",
            "give an id as listed under staff: (or agencies:) in qa.yaml",
        )
    if team is not None and team not in loaded.config.team_by_id():
        raise QAError(
            f"--team: {masked(team)} is not a team id in qa.yaml",
            "known teams: " + ", ".join(t.id for t in loaded.config.teams),
        )


def _write_ics(ics: Path, loaded: Any, items: list[Any]) -> None:
    """Write the items as an iCalendar file, replacing only an earlier calendar."""
    from .. import yamlio
    from ..ics import export_time, to_ics
    from ..pathguard import output_file

    target = output_file(ics, "--ics")
    previous = target.read_bytes() if target.exists() else None
    if previous is not None and not previous.lstrip().startswith(b"BEGIN:VCALENDAR"):
        raise QAError(
            f"{ics} exists and is not an iCalendar file; it was left as it was",
            "give a new file name ending in .ics (an earlier qa export is replaced)",
        )
    names = {sid: s.name for sid, s in loaded.config.staff_by_id().items()}
    data = to_ics(
        items,
        export_time(dict(os.environ)),
        calendar_name=f"QA due dates: {loaded.config.organisation}",
        names=names,
        previous=previous,
    )
    yamlio.atomic_write(target, data)


def _render(
    fmt: Format, repo: Any, items: list[Any], summary: list[Any], today: Any, horizon: int | None
) -> None:
    """Print the items in the format asked: a text format, or rich's layout for the table."""
    from ..reports.names import Namer
    from . import due_output

    if fmt is not Format.table:
        typer.echo(due_output.TEXT_RENDERERS[fmt.value](items, summary, today).rstrip("\n"))
        return
    names = {s.id: s.name for s in repo.config.staff}
    namer = Namer(repo.config)
    shown = [dataclasses.replace(i, title=namer.text(i.title)) for i in items]
    due_output.print_table(console, shown, summary, today, horizon, names)


def register(app: typer.Typer) -> None:
    app.command("due")(due)
