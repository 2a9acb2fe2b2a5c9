"""`qa sample`: draw and allocate the month's cases, write the sample and blank returns."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from . import common

if TYPE_CHECKING:
    import datetime as dt

    from ..repository import Repository
    from ..sampling import SamplePlan


class Programme(StrEnum):
    single_agency = "single-agency"
    crib_sheet = "crib-sheet"
    multi_agency = "multi-agency"


_PROGRAMME = typer.Option(
    Programme.single_agency,
    "--programme",
    help="single-agency (App. D, the default), crib-sheet (App. A) or multi-agency "
    "(App. E baseline).",
)
_CASES = typer.Option(
    None,
    "--cases",
    help="The case list to draw from (default: the newest cases/*.csv dated on or "
    "before the allocation date).",
)
_SEED = typer.Option(
    None,
    "--seed",
    help="Seed of the draw (default: derived from the month and the case list's "
    "SHA-256); recorded either way.",
)
_ADD = typer.Option(
    False,
    "--add",
    help="Top up a month already drawn: missing returns and missing allocations; "
    "existing returns are not touched.",
)
_VERIFY = typer.Option(
    None,
    "--verify",
    metavar="YYYY-MM",
    help="Re-draw a recorded month and report whether it matches (exit 1 if not).",
)
_COHORT = typer.Option(
    None,
    "--cohort",
    help="Multi-agency: the case category of the baseline cohort (CIN, CP, CLA, "
    "care_leaver, early_help).",
)
_SIZE = typer.Option(
    None,
    "--size",
    min=1,
    max=1000,
    help="Multi-agency: number of cases in the baseline (8-10 by default).",
)
_AUDIT_ID = typer.Option(
    None,
    "--audit-id",
    help="Multi-agency: the audit's id, its folder under multi-agency/ (default: "
    "<month>-<cohort>).",
)


@common.writer()
def sample(
    month: str | None = typer.Option(None, "--month", help="The month to draw, YYYY-MM."),
    programme: Programme = _PROGRAMME,
    cases: str | None = _CASES,
    seed: int | None = _SEED,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the draw; write nothing."),
    add: bool = _ADD,
    verify: str | None = _VERIFY,
    cohort: str | None = _COHORT,
    size: int | None = _SIZE,
    audit_id: str | None = _AUDIT_ID,
    as_of: str | None = common.AsOfOption,
    repo: Path | None = common.RepoOption,
) -> None:
    """Draw the month's sample: cases per auditor pair, conflict-free, spread across teams.

    Writes samples/<YYYY-MM>.yaml (seed, case list and its SHA-256, rules, the history the
    draw read, allocations, every excluded case and why) and one blank, pre-filled return per
    allocation. Refuses (exit 1, nothing changed) if the month was drawn already; `--add`
    tops it up, `--verify` re-draws it from the file alone.
    """
    from ..pathguard import check_ids
    from ..repository import Repository
    from ..sampling import DrawOptions, plan_sample

    check_ids({"--audit-id": audit_id, "--cohort": cohort})
    root = common.repo_root(repo)
    today = common.parse_date_option(as_of)
    prog = programme.value
    if verify is not None:
        m = common.parse_month_option(verify, "--verify")
        raise typer.Exit(_verify(Repository.load(root, require_config=True), m, prog))
    m = common.parse_month_option(month, "--month")
    repository = Repository.load(root, require_config=True)
    if add:
        raise typer.Exit(_add(repository, m, prog, today))
    options = DrawOptions(seed, cases, cohort, size, audit_id)
    plan = plan_sample(repository, prog, m, today, options)
    _draw(repository, plan, dry_run)


def _verify(repository: Repository, month: str, programme: str) -> int:
    """`--verify`: re-draw the month from its file; exit 0 when it matches, 1 when not."""
    from ..sampling import verify_sample

    result = verify_sample(repository, month, programme)
    if not result.from_record:
        common.console.print(
            f"note: the {month} sample was drawn before samples recorded the history they "
            "read, so it is re-drawn with the repository's history as it is now; a later "
            "audit or re-audit date can make it differ"
        )
    if common.print_verdict(
        result.problems,
        f"the {month} sample differs from a re-draw",
        f"the {month} sample re-draws exactly from its case list, rules, seed and recorded "
        f"history ({result.checked} allocations)",
    ):
        return 1
    if result.top_ups:
        common.console.print(
            f"{result.top_ups} allocation(s) were added later with --add; they "
            "are not part of the seeded draw"
        )
    return 0


def _add(repository: Repository, month: str, programme: str, today: dt.date) -> int:
    """`--add`: top up a drawn month and say what was added and written."""
    from ..sampling import add_to_sample

    res = add_to_sample(repository, month, programme, today)
    for d in res.added:
        common.console.print(
            f"added    {d.case.case} ({d.case.team}, {d.case.category}) -> "
            + " + ".join(d.auditors),
            markup=False,
        )
    for rel in res.created:
        common.console.print(f"wrote    {rel}", markup=False)
    for n in res.notes:
        common.console.print(f"[yellow]note[/]: {n}")
    if not res.created and not res.added:
        common.console.print(f"nothing to add: every allocation of {month} has its return")
    return 0


def _draw(repository: Repository, plan: SamplePlan, dry_run: bool) -> None:
    """Show the planned draw and write it (unless a dry run)."""
    from ..sampling import write_plan

    if dry_run:
        _show(plan)
        common.console.print(
            f"dry run: nothing written (would write {plan.rel} and {len(plan.returns)} return(s))"
        )
        return
    written = write_plan(repository, plan)
    _show(plan)
    suffix = "" if plan.programme == "single-agency" else f" --programme {plan.programme}"
    common.console.print(
        f"wrote {written[0]} and {len(written) - 1} blank return(s); "
        f"check with `qa sample --verify {plan.month}{suffix}`"
    )


def _show(plan: SamplePlan) -> None:
    from collections import Counter

    from .layout import table

    t = table(
        "case",
        "team",
        "category",
        "auditors",
        "tool",
        "reason",
        title=f"{plan.programme} sample for {plan.month} (seed {plan.seed}, {plan.case_list})",
    )
    for d in plan.result.allocations:
        t.add_row(
            d.case.case,
            d.case.team,
            d.case.category,
            " + ".join(d.auditors),
            d.tool,
            d.reason or "",
        )
    common.console.print(t)
    common.console.print(f"allocated {plan.rules.allocated}, due {plan.rules.due}")
    for reason, n in sorted(Counter(r for _, r in plan.result.excluded).items()):
        common.console.print(f"excluded {n} case(s): {reason}", markup=False)
    for note in plan.notes:
        common.console.print(f"[yellow]note[/]: {note}")


def register(app: typer.Typer) -> None:
    app.command("sample")(sample)
