"""`qa actions`: the action plans across all audits; mark done, verify, acknowledge concerns."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from . import common

actions_app = common.group(
    "Action plans across audits, crib sheets and multi-agency findings: list, done, "
    "verify; acknowledge a safeguarding concern."
)

AuditArg = typer.Argument(
    ...,
    help="The return: its file path, its case code (C-XXXXXXXX), or a multi-agency audit id.",
)
ActionIdArg = typer.Argument(..., help="The action's id in the file, e.g. A1.")
NoteOption = typer.Option(None, "--note", help="A short note to record on the action.")


class Format(StrEnum):
    table = "table"
    json = "json"


def _load(repo: Path | None, spec: str | None = None) -> Any:
    """The repository; for a command on one file named by its path, only what it needs."""
    from ..repository import Repository

    root = common.repo_root(repo)
    if spec is None:
        return Repository.load(root, require_config=True)
    return Repository.load_for(root, spec, Path.cwd())


def _ranges(lines: list[int]) -> str:
    parts: list[str] = []
    for n in lines:
        if parts and int(parts[-1].split("-")[-1]) == n - 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{n}"
        else:
            parts.append(str(n))
    return ", ".join(parts)


def _report(result: Any) -> None:
    lines = result.changed_lines
    where = f" (line{'s' if len(lines) > 1 else ''} {_ranges(lines)} changed)" if lines else ""
    common.console.print(result.message + where, markup=False)
    for note in result.notes:
        common.console.print(note, markup=False)


@actions_app.command("list")
@common.handle_errors
def list_(
    open_: bool = typer.Option(False, "--open", help="Only actions not yet done."),
    overdue: bool = typer.Option(False, "--overdue", help="Only open actions past their due date."),
    owner: str | None = typer.Option(None, "--owner", help="Only actions owned by this id."),
    as_of: str | None = common.AsOfOption,
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output: table or json."),
    repo: Path | None = common.RepoOption,
) -> None:
    """Every action of every plan: audit returns, crib sheets and multi-agency findings."""
    import json

    from ..actions import list_actions

    today = common.parse_date_option(as_of)
    loaded = _load(repo)
    rows = list_actions(loaded, today, open_only=open_, overdue_only=overdue, owner=owner)
    if fmt is Format.json:
        typer.echo(json.dumps([r.as_json() for r in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        common.console.print("No actions match.")
        return
    from rich.markup import escape

    common.console.print(f"[bold]Actions as of {today}[/] (overdue first)")
    current = None
    for r in rows:
        a = r.action
        if r.path != current:
            current = r.path
            common.console.print()
            common.console.print(f"[bold]{escape(r.path)}[/] ({r.source} {escape(r.ref)})")
        status: str = a.status
        if r.overdue:
            status = f"open, {r.days_overdue} days overdue"
        elif a.status == "done":
            status = f"done {a.done_on or ''}, to verify".replace("  ", " ")
        elif a.status == "verified":
            status = f"verified by {a.verified_by}"
        line = f"  {a.id:<5} {status:<28} due {a.due}  {a.owner:<16} {a.action}"
        if a.re_audit is not None:
            line += f" (re-audit {a.re_audit})"
        common.console.print(escape(line), style="red" if r.overdue else None)
    common.console.print()
    counts = {s: sum(1 for r in rows if r.action.status == s) for s in ("open", "done", "verified")}
    common.console.print(
        f"{len(rows)} action(s): {counts['open']} open "
        f"({sum(1 for r in rows if r.overdue)} overdue), {counts['done']} done awaiting "
        f"verification, {counts['verified']} verified."
    )


@actions_app.command("done")
@common.writer()
def done(
    audit: str = AuditArg,
    action_id: str = ActionIdArg,
    note: str | None = NoteOption,
    as_of: str | None = common.AsOfOption,
    repo: Path | None = common.RepoOption,
) -> None:
    """Mark an open action done (status: done, done_on: the date), editing only those lines."""
    from ..actions import ActionStep, mark_done

    on = common.parse_date_option(as_of)
    _report(mark_done(_load(repo, audit), ActionStep(audit, action_id, on, note, Path.cwd())))


@actions_app.command("verify")
@common.writer()
def verify(
    audit: str = AuditArg,
    action_id: str = ActionIdArg,
    by: str = typer.Option(..., "--by", help="Staff id of the QA Auditor verifying it."),
    note: str | None = NoteOption,
    as_of: str | None = common.AsOfOption,
    repo: Path | None = common.RepoOption,
) -> None:
    """Verify a done action (App. D: the QA Auditor verifies the action taken); needs a QA role."""
    from ..actions import ActionStep
    from ..actions import verify as do_verify

    on = common.parse_date_option(as_of)
    _report(do_verify(_load(repo, audit), ActionStep(audit, action_id, on, note, Path.cwd()), by))


@actions_app.command("acknowledge")
@common.writer()
def acknowledge(
    audit: str = AuditArg,
    by: str = typer.Option(..., "--by", help="Staff id of who acknowledges the concern."),
    as_of: str | None = common.AsOfOption,
    repo: Path | None = common.RepoOption,
) -> None:
    """Record that a return's safeguarding concern was acknowledged (by whom, when)."""
    from ..actions import acknowledge as do_ack

    on = common.parse_date_option(as_of)
    _report(do_ack(_load(repo, audit), audit, by, on, cwd=Path.cwd()))


def register(app: typer.Typer) -> None:
    app.add_typer(actions_app, name="actions")
