"""`qa retention`: records past the retention period, and their destruction with a log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from . import common


@common.writer(lambda kw: bool(kw.get("purge")))
def retention(
    as_of: str | None = common.AsOfOption,
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
    repo: Path | None = common.RepoOption,
) -> None:
    """List records past the retention period (App. E 6: three years); --purge destroys them.

    Destruction is logged in retention-log.csv (what, when, by whom). Deleting files does
    not remove them from git history: see docs/retention.md.
    """
    from ..repository import Repository
    from ..retention import LOG_NAME, check_purger, review
    from ..retention import purge as do_purge

    today = common.parse_date_option(as_of)
    loaded = Repository.load(common.repo_root(repo), require_config=True)
    period = years if years is not None else loaded.config.retention.years
    found = review(loaded, today, period)
    _show(found, period, today)
    if not found.expired:
        return
    if not purge:
        common.console.print("Run again with --purge --by <your staff id> to destroy them.")
        return
    who = check_purger(loaded, by)
    items = found.expired
    if not yes and not typer.confirm(f"Destroy these {len(items)} record(s)?", default=False):
        common.console.print("Nothing was deleted.")
        raise typer.Exit(1)
    log = do_purge(loaded, items, today, who)
    common.console.print(f"Destroyed {len(items)} record(s); logged in {log.name} (no case named).")
    common.console.print(
        f"Commit the deletion and {LOG_NAME}. The files remain in git history until it is "
        "rewritten (docs/data-protection.md, the history-purge checklist)."
    )


def _show(found: Any, period: int, today: Any) -> None:
    if not found.expired:
        common.console.print(
            f"Nothing is past the retention period of {period} years as of {today}."
        )
    else:
        common.console.print(
            f"{len(found.expired)} record(s) past the retention period of {period} years:"
        )
        for r in found.expired:
            common.console.print(
                f"  {r.path}  ({r.kind}, last activity {r.last_activity})", markup=False
            )
    if found.held:
        common.console.print(f"{len(found.held)} record(s) past the period are kept:")
        for r, why in found.held:
            common.console.print(f"  {r.path}  ({r.kind}): {why}", markup=False)
    if found.undecided:
        common.console.print(
            f"{len(found.undecided)} file(s) no retention rule covers; a person must decide "
            "whether to keep or delete them (never deleted by --purge):"
        )
        for path, why in found.undecided:
            common.console.print(f"  {path}  ({why})", markup=False)


def register(app: typer.Typer) -> None:
    app.command("retention")(retention)
