"""`qa due`: what is due and overdue, by person; as a table, JSON, CSV, Markdown or a calendar."""

from __future__ import annotations

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


FIELDS = ["kind", "person", "team", "due", "days_overdue", "path", "ref", "title"]


def _status(days_overdue: int) -> str:
    if days_overdue > 0:
        return f"{days_overdue} days overdue"
    if days_overdue == 0:
        return "due today"
    return f"due in {-days_overdue} days"


def _md_cell(value: Any) -> str:
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def _render_md(items: list[Any], summary: list[Any], today: Any) -> str:

    out = [f"# Due and overdue as of {today}", ""]
    overdue = sum(1 for i in items if i.overdue)
    out += [f"{overdue} overdue, {len(items) - overdue} coming due.", ""]
    if items:
        out += [
            "| status | what | who | team | due | file |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for i in items:
            out.append(
                "| "
                + " | ".join(
                    _md_cell(v)
                    for v in (
                        _status(i.days_overdue),
                        i.title,
                        i.person,
                        i.team,
                        i.due,
                        i.path,
                    )
                )
                + " |"
            )
        out.append("")
    if summary:
        out += [
            "## By person",
            "",
            "| person | name | overdue | returns overdue | most days overdue | coming due "
            "| team's overdue |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for s in summary:
            out.append(
                "| "
                + " | ".join(
                    _md_cell(v)
                    for v in (
                        s.person,
                        s.name,
                        s.overdue,
                        s.overdue_returns,
                        s.most_days_overdue,
                        s.due_soon,
                        s.team_overdue if s.is_manager else "",
                    )
                )
                + " |"
            )
        out.append("")
    return "\n".join(out)


def _render_table(items: list[Any], summary: list[Any], today: Any, horizon: int | None) -> None:
    from rich.markup import escape

    if not items:
        console.print(f"Nothing is due or overdue as of {today}.")
        return
    scope = f", and what falls due within {horizon} days" if horizon is not None else ""
    console.print(f"[bold]Due and overdue as of {today}[/]{scope}")
    sections = [
        (
            "Safeguarding concerns not yet acknowledged",
            "bold red",
            [i for i in items if i.kind == "safeguarding_concern"],
        ),
        ("Overdue", "red", [i for i in items if i.kind != "safeguarding_concern" and i.overdue]),
        (
            "Coming due",
            None,
            [i for i in items if i.kind != "safeguarding_concern" and not i.overdue],
        ),
    ]
    for heading, style, group in sections:
        if not group:
            continue
        console.print()
        console.print(f"[bold]{heading} ({len(group)})[/]")
        for i in group:
            status = _status(i.days_overdue)
            line = f"  {status:<17} {i.due}  {i.person or '-':<16} {i.title}"
            console.print(escape(line), style=style)
            console.print(f"  {'':<17} {'':<10}  {'':<16} [dim]{escape(i.path)}[/]")
    overdue = sum(1 for i in items if i.overdue)
    console.print()
    console.print(f"{overdue} overdue, {len(items) - overdue} coming due.")
    if summary:
        console.print()
        console.print(
            '[bold]By person[/] (managers first; "team" = overdue items of the staff '
            "of the teams they manage)"
        )
        console.print(
            f"  {'person':<18} {'name':<20} {'overdue':>7} {'returns':>7} {'most days':>9} "
            f"{'coming':>6} {'team':>5}"
        )
        for p in summary:
            team = str(p.team_overdue) if p.is_manager else ""
            console.print(
                escape(
                    f"  {p.person:<18} {(p.name or '')[:20]:<20} {p.overdue:>7} "
                    f"{p.overdue_returns:>7} {p.most_days_overdue:>9} {p.due_soon:>6} {team:>5}"
                ),
                style="red" if p.overdue else None,
            )


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
    import csv
    import io
    import json

    from ..due import due_items, select, summarise
    from ..repository import Repository

    today = parse_date_option(as_of)
    loaded = Repository.load(repo_root(repo), require_config=True)
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
    horizon = within
    if horizon is None and ics is None:
        horizon = loaded.config.due.within_days
    everything = due_items(loaded, today)
    items = select(everything, person=person, team=team, within=horizon)
    summary = summarise(items, loaded.config)
    if ics is not None:
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
        names = {sid: s.name for sid, s in staff.items()}
        data = to_ics(
            items,
            export_time(dict(os.environ)),
            calendar_name=f"QA due dates: {loaded.config.organisation}",
            names=names,
            previous=previous,
        )
        yamlio.atomic_write(target, data)
    if fmt is Format.json:
        payload = {
            "as_of": today.isoformat(),
            "items": [
                {**{k: getattr(i, k) for k in FIELDS}, "due": i.due.isoformat(), "uid": i.uid}
                for i in items
            ],
            "summary": [
                {
                    "person": s.person,
                    "name": s.name,
                    "roles": list(s.roles),
                    "overdue": s.overdue,
                    "overdue_returns": s.overdue_returns,
                    "most_days_overdue": s.most_days_overdue,
                    "coming_due": s.due_soon,
                    "team_overdue": s.team_overdue,
                }
                for s in summary
            ],
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt is Format.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(FIELDS)
        for i in items:
            w.writerow([getattr(i, k) for k in FIELDS])
        typer.echo(buf.getvalue(), nl=False)
    elif fmt is Format.md:
        typer.echo(_render_md(items, summary, today))
    else:
        _render_table(items, summary, today, horizon)
    if ics is not None and fmt is Format.table:
        console.print(f"Wrote {len(items)} event(s) to {ics}.")
    if fail_on_overdue and any(i.overdue for i in items):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("due")(due)
