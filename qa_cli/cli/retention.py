"""`qa retention`: records past the retention period, and their destruction with a log."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import QAError
from .common import (
    AsOfOption,
    RepoOption,
    console,
    handle_errors,
    parse_date_option,
    repo_root,
    writes,
)


@handle_errors
@writes(lambda kw: bool(kw.get("purge")))
def retention(
    as_of: str | None = AsOfOption,
    years: int | None = typer.Option(
        None,
        "--years",
        min=1,
        max=100,
        help="Retention period (default: retention.years in qa.yaml).",
    ),
    purge: bool = typer.Option(False, "--purge", help="Delete the expired records."),
    by: str | None = typer.Option(None, "--by", help="Staff id of who destroys them (--purge)."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation (--purge)."),
    repo: Path | None = RepoOption,
) -> None:
    """List records past the retention period (App. E 6: three years); --purge destroys them.

    Destruction is logged in retention-log.csv (what, when, by whom). Deleting files does
    not remove them from git history: see docs/retention.md.
    """
    from ..repository import Repository
    from ..retention import LOG_NAME, expired
    from ..retention import purge as do_purge

    today = parse_date_option(as_of)
    loaded = Repository.load(repo_root(repo), require_config=True)
    period = years if years is not None else loaded.config.retention.years
    items = expired(loaded, today, period)
    if not items:
        console.print(f"Nothing is past the retention period of {period} years as of {today}.")
        return
    console.print(f"{len(items)} record(s) past the retention period of {period} years:")
    for r in items:
        console.print(f"  {r.path}  ({r.kind}, last activity {r.last_activity})")
    if not purge:
        console.print("Run again with --purge --by <your staff id> to destroy them.")
        return
    if by is None or by not in {s.id for s in loaded.config.staff}:
        raise QAError(
            "--purge needs --by with your staff id from qa.yaml",
            "the destruction log records who destroyed the records",
        )
    if not yes and not typer.confirm(f"Destroy these {len(items)} record(s)?", default=False):
        console.print("Nothing was deleted.")
        raise typer.Exit(1)
    log = do_purge(loaded, items, today, by)
    console.print(f"Destroyed {len(items)} record(s); logged in {log.name}.")
    console.print(
        f"Commit the deletion and {LOG_NAME}. The files remain in git history until it is "
        "rewritten (docs/retention.md)."
    )


def register(app: typer.Typer) -> None:
    app.command("retention")(retention)
