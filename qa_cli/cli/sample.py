"""`qa sample`: draw and allocate the month's cases, write the sample and blank returns."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .common import (
    AsOfOption,
    RepoOption,
    console,
    handle_errors,
    parse_date_option,
    parse_month_option,
    repo_root,
)

if TYPE_CHECKING:
    from ..sampling import SamplePlan


class Programme(StrEnum):
    single_agency = "single-agency"
    crib_sheet = "crib-sheet"
    multi_agency = "multi-agency"


@handle_errors
def sample(
    month: str | None = typer.Option(None, "--month", help="The month to draw, YYYY-MM."),
    programme: Programme = typer.Option(
        Programme.single_agency,
        "--programme",
        help=(
            "single-agency (App. D, the default), crib-sheet (App. A) or multi-agency "
            "(App. E baseline)."
        ),
    ),
    cases: str | None = typer.Option(
        None,
        "--cases",
        help=(
            "The case list to draw from (default: the newest cases/*.csv dated on or "
            "before the allocation date)."
        ),
    ),
    seed: int | None = typer.Option(
        None,
        "--seed",
        help=(
            "Seed of the draw (default: derived from the month and the case list's "
            "SHA-256); recorded either way."
        ),
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the draw; write nothing."),
    add: bool = typer.Option(
        False,
        "--add",
        help=(
            "Top up a month already drawn: missing returns and missing allocations; "
            "existing returns are not touched."
        ),
    ),
    verify: str | None = typer.Option(
        None,
        "--verify",
        metavar="YYYY-MM",
        help="Re-draw a recorded month and report whether it matches (exit 1 if not).",
    ),
    cohort: str | None = typer.Option(
        None,
        "--cohort",
        help=(
            "Multi-agency: the case category of the baseline cohort (CIN, CP, CLA, "
            "care_leaver, early_help)."
        ),
    ),
    size: int | None = typer.Option(
        None,
        "--size",
        min=1,
        max=1000,
        help="Multi-agency: number of cases in the baseline (8-10 by default).",
    ),
    audit_id: str | None = typer.Option(
        None,
        "--audit-id",
        help=(
            "Multi-agency: the audit's id, its folder under multi-agency/ (default: "
            "<month>-<cohort>)."
        ),
    ),
    as_of: str | None = AsOfOption,
    repo: Path | None = RepoOption,
) -> None:
    """Draw the month's sample: cases per auditor pair, conflict-free, spread across teams.

    Writes samples/<YYYY-MM>.yaml (seed, case list and its SHA-256, rules, allocations, every
    excluded case and why) and one blank, pre-filled return per allocation. Refuses (exit 1,
    nothing changed) if the month was drawn already; `--add` tops it up, `--verify` re-draws it.
    """
    from ..pathguard import check_ids
    from ..repository import Repository
    from ..sampling import add_to_sample, plan_sample, verify_sample, write_plan

    check_ids({"--audit-id": audit_id, "--cohort": cohort})
    root = repo_root(repo)
    today = parse_date_option(as_of)
    prog = programme.value
    if verify is not None:
        m = parse_month_option(verify, "--verify")
        result = verify_sample(Repository.load(root, require_config=True), m, prog)
        if not result.from_record:
            console.print(
                f"note: the {m} sample was drawn before samples recorded the history they "
                "read, so it is re-drawn with the repository's history as it is now; a later "
                "audit or re-audit date can make it differ"
            )
        if result.ok:
            console.print(
                f"[green]verified[/]: the {m} sample re-draws exactly from its case list, "
                f"rules, seed and recorded history ({result.checked} allocations)"
            )
            if result.top_ups:
                console.print(
                    f"{result.top_ups} allocation(s) were added later with --add; they "
                    "are not part of the seeded draw"
                )
            raise typer.Exit(0)
        console.print(f"[bold red]does not match[/]: the {m} sample differs from a re-draw:")
        for p in result.problems:
            console.print(f"  {p}", markup=False)
        raise typer.Exit(1)
    m = parse_month_option(month, "--month")
    repository = Repository.load(root, require_config=True)
    if add:
        res = add_to_sample(repository, m, prog, today)
        for d in res.added:
            console.print(
                f"added    {d.case.case} ({d.case.team}, {d.case.category}) -> "
                + " + ".join(d.auditors),
                markup=False,
            )
        for rel in res.created:
            console.print(f"wrote    {rel}", markup=False)
        for n in res.notes:
            console.print(f"[yellow]note[/]: {n}")
        if not res.created and not res.added:
            console.print(f"nothing to add: every allocation of {m} has its return")
        raise typer.Exit(0)
    plan = plan_sample(repository, prog, m, today, seed, cases, cohort, size, audit_id)
    if dry_run:
        _show(plan)
        console.print(
            f"dry run: nothing written (would write {plan.rel} and {len(plan.returns)} return(s))"
        )
        raise typer.Exit(0)
    written = write_plan(repository, plan)
    _show(plan)
    suffix = "" if prog == "single-agency" else f" --programme {prog}"
    console.print(
        f"wrote {written[0]} and {len(written) - 1} blank return(s); "
        f"check with `qa sample --verify {m}{suffix}`"
    )


def _show(plan: SamplePlan) -> None:
    from collections import Counter

    from rich.table import Table

    t = Table(
        title=f"{plan.programme} sample for {plan.month} (seed {plan.seed}, {plan.case_list})"
    )
    for col in ("case", "team", "category", "auditors", "tool", "reason"):
        t.add_column(col)
    for d in plan.result.allocations:
        t.add_row(
            d.case.case,
            d.case.team,
            d.case.category,
            " + ".join(d.auditors),
            d.tool,
            d.reason or "",
        )
    console.print(t)
    console.print(f"allocated {plan.rules.allocated}, due {plan.rules.due}")
    for reason, n in sorted(Counter(r for _, r in plan.result.excluded).items()):
        console.print(f"excluded {n} case(s): {reason}", markup=False)
    for note in plan.notes:
        console.print(f"[yellow]note[/]: {note}")


def register(app: typer.Typer) -> None:
    app.command("sample")(sample)
