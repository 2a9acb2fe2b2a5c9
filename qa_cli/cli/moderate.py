"""`qa moderate`: the QA review list of a month's returns (App. D), rolling as returns arrive."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from . import common

if TYPE_CHECKING:
    from ..moderation import ModerationResult
    from ..repository import Repository


_MONTH = typer.Option(..., "--month", help="The sample month, YYYY-MM.")
_SHARE = typer.Option(
    None,
    "--share",
    help=(
        "Share of Good-or-better returns to review, 0-1 (default: "
        "programmes.moderation.share_good_or_better, 0.2)."
    ),
)
_SEED = typer.Option(
    None,
    "--seed",
    help=(
        "Seed of the draw (default: derived from the month and the returns); recorded either way."
    ),
)
_FORCE = typer.Option(
    False,
    "--force",
    help="Draw the whole list again from scratch, replacing every earlier round.",
)
_VERIFY = typer.Option(
    False,
    "--verify",
    help="Re-draw every recorded round from its seed and pool; exit 1 if any differs.",
)
_DRY_RUN = typer.Option(False, "--dry-run", help="Show the list; write nothing.")


@common.writer()
def moderate(
    month: str = _MONTH,
    share: float | None = _SHARE,
    seed: int | None = _SEED,
    force: bool = _FORCE,
    verify: bool = _VERIFY,
    dry_run: bool = _DRY_RUN,
    as_of: str | None = common.AsOfOption,
    repo: Path | None = common.RepoOption,
) -> None:
    """The moderation sample: every returned RI or Inadequate audit, a seeded share of the rest.

    Run it as often as returns arrive: the first run records the list in
    samples/<YYYY-MM>.yaml under `moderation:`; each later run adds a round with only the
    returns that came in since (earlier picks are never re-drawn or removed). `--verify`
    re-draws the whole history. `--force` starts the list again.
    """
    from ..moderation import moderate as run
    from ..moderation import record
    from ..repository import Repository

    month = common.parse_month_option(month)
    today = common.parse_date_option(as_of)
    repository = Repository.load(common.repo_root(repo), require_config=True)
    if verify:
        raise typer.Exit(_verify(repository, month))
    result = run(repository, month, today, share, seed, force)
    if result.round and not (result.always or result.drawn_from):
        common.console.print(
            f"nothing new has been returned since the last round: {result.sample_rel} unchanged"
        )
        raise typer.Exit(0)
    _show(result)
    if dry_run:
        common.console.print("dry run: nothing written")
        raise typer.Exit(0)
    record(repository, result, today)
    what = f"round {result.round}" if result.round else "the list"
    common.console.print(
        f"recorded {what} in {result.sample_rel}"
        + (" (replacing the earlier list)" if result.replaced else "")
    )


def _show(result: ModerationResult) -> None:
    head = f"round {result.round} of " if result.round else ""
    since = " (returns that came in since the last round)" if result.round else ""
    common.console.print(
        f"{head}QA review list for {result.month}{since} "
        f"(seed {result.seed}, share {result.share:g}):"
    )
    for c in result.always:
        common.console.print(f"  {c}  Requires Improvement or Inadequate: always reviewed")
    for c in result.selected:
        common.console.print(f"  {c}  Good or better: drawn for moderation")
    common.console.print(
        f"{len(result.selected)} of {len(result.drawn_from)} Good-or-better return(s) drawn"
    )
    if result.not_returned:
        common.console.print(
            f"[yellow]not yet returned[/] ({len(result.not_returned)}): "
            + ", ".join(result.not_returned)
        )
    if result.ungraded:
        common.console.print(
            "[yellow]returned without an overall grade[/]: " + ", ".join(result.ungraded)
        )


def _verify(repository: Repository, month: str) -> int:
    """`--verify`: exit 0 when every round re-draws as recorded, 1 when not."""
    from ..moderation import verify

    check = verify(repository, month)
    for note in check.notes:
        common.console.print(f"note: {note}", markup=False)
    return common.print_verdict(
        check.problems,
        f"the {month} moderation history",
        f"the {month} moderation list re-draws from its seeds and pools "
        f"({check.rounds} round(s); no case drawn twice)",
    )


def register(app: typer.Typer) -> None:
    app.command("moderate")(moderate)
