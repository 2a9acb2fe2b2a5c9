"""`qa moderate`: the QA review list of a month's returns (App. D)."""

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
def moderate(
    month: str = typer.Option(..., "--month", help="The sample month, YYYY-MM."),
    share: float | None = typer.Option(
        None,
        "--share",
        help=(
            "Share of Good-or-better returns to review, 0-1 (default: "
            "programmes.moderation.share_good_or_better, 0.2)."
        ),
    ),
    seed: int | None = typer.Option(
        None,
        "--seed",
        help=(
            "Seed of the draw (default: derived from the month and the returns); "
            "recorded either way."
        ),
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Draw again when the month was moderated already (the old list is replaced).",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the list; write nothing."),
    as_of: str | None = AsOfOption,
    repo: Path | None = RepoOption,
) -> None:
    """The moderation sample: all returned RI or Inadequate audits, a seeded share of the rest.

    Recorded in samples/<YYYY-MM>.yaml under `moderation:` (comments and layout kept) so it can
    be re-drawn. Refuses (exit 1) if the month was moderated already, unless --force.
    """

    from ..moderation import moderate as run
    from ..moderation import record
    from ..repository import Repository

    month = parse_month_option(month)
    today = parse_date_option(as_of)
    repository = Repository.load(repo_root(repo), require_config=True)
    result = run(repository, month, today, share, seed, force)
    console.print(f"QA review list for {month} (seed {result.seed}, share {result.share:g}):")
    for c in result.always:
        console.print(f"  {c}  Requires Improvement or Inadequate: always reviewed")
    for c in result.selected:
        console.print(f"  {c}  Good or better: drawn for moderation")
    console.print(
        f"{len(result.selected)} of {len(result.drawn_from)} Good-or-better return(s) drawn"
    )
    if result.not_returned:
        console.print(
            f"[yellow]not yet returned[/] ({len(result.not_returned)}): "
            + ", ".join(result.not_returned)
        )
    if result.ungraded:
        console.print("[yellow]returned without an overall grade[/]: " + ", ".join(result.ungraded))
    if dry_run:
        console.print("dry run: nothing written")
        raise typer.Exit(0)
    record(repository, result, today)
    console.print(
        f"recorded in {result.sample_rel}"
        + (" (replacing the earlier list)" if result.replaced else "")
    )


def register(app: typer.Typer) -> None:
    app.command("moderate")(moderate)
