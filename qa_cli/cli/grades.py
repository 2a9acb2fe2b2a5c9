"""`qa grades`: grade tables by team, service, tool, auditor, month or question."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from .common import RepoOption, console, handle_errors, parse_month_option, repo_root


class By(StrEnum):
    team = "team"
    service = "service"
    tool = "tool"
    auditor = "auditor"
    month = "month"
    question = "question"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{v * 100:.0f}%"


def _csv_safe(value: object) -> object:
    # A spreadsheet opening the CSV must not run a cell as a formula (CSV injection).
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


@handle_errors
def grades(
    first: str | None = typer.Option(None, "--from", help="First month, YYYY-MM (default: all)."),
    last: str | None = typer.Option(None, "--to", help="Last month, YYYY-MM (default: all)."),
    by: By = typer.Option(
        By.team, "--by", help="Group by team, service, tool, auditor, month or question."
    ),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output: table, json or csv."),
    repo: Path | None = RepoOption,
) -> None:
    """Collated grades of returned audits, with Good-or-better shares and 95% intervals.

    The grade counted is the one agreed at QA review where there was one. Also shows how
    often auditors and moderators agreed (exact agreement, quadratic-weighted kappa) and
    which auditors grade more generously or harshly than moderation.
    """
    import json

    from ..models.common import GRADE_NAMES, GRADES
    from ..reports.grades import grades as collate
    from ..repository import Repository

    first = parse_month_option(first, "--from") if first is not None else None
    last = parse_month_option(last, "--to") if last is not None else None
    result = collate(
        Repository.load(repo_root(repo), require_config=True), by=by.value, first=first, last=last
    )
    if fmt is Format.json:
        typer.echo(json.dumps(result.as_data(), indent=2, ensure_ascii=False))
        return
    if fmt is Format.csv:
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([by.value, "label", "returns", *GRADES, "good_or_better", "ci_low", "ci_high"])
        for r in result.rows:
            share = r.good_or_better
            w.writerow(
                [
                    _csv_safe(r.key),
                    _csv_safe(r.label),
                    r.n,
                    *[r.counts[x] for x in GRADES],
                    f"{share.value:.4f}" if share.value is not None else "",
                    f"{share.low:.4f}" if share.low is not None else "",
                    f"{share.high:.4f}" if share.high is not None else "",
                ]
            )
        typer.echo(buf.getvalue(), nl=False)
        return
    from rich.table import Table

    period = f"{first or 'the start'} to {last or 'the latest'}"
    table = Table(title=f"Grades by {by.value}, {period} ({result.returns} graded returns)")
    table.add_column(by.value.capitalize())
    table.add_column("Returns", justify="right")
    for g in GRADES:
        table.add_column(GRADE_NAMES[g], justify="right")
    table.add_column("Good or better (95% interval)")
    for r in result.rows:
        s = r.good_or_better
        table.add_row(
            r.label,
            str(r.n),
            *[str(r.counts[g]) for g in GRADES],
            f"{_pct(s.value)} ({_pct(s.low)} to {_pct(s.high)})",
        )
    console.print(table)
    m = result.moderation
    a = m.agreement
    if not a.n:
        console.print("No QA reviews in this period: agreement cannot be measured.")
        return
    kappa = "not measurable" if a.kappa is None else f"{a.kappa:.2f}"
    console.print(
        f"Moderation: {a.n} QA reviews; auditor and moderator agreed on {a.exact.k} "
        f"({_pct(a.exact.value)}, 95% interval {_pct(a.exact.low)} to {_pct(a.exact.high)}); "
        f"quadratic-weighted kappa {kappa}.",
        markup=False,
    )
    drift = Table(title="Drift by auditor (auditor's grade minus moderated grade)")
    for col in ("Auditor", "Reviewed", "Agreed", "Higher", "Lower", "Mean difference", "Direction"):
        drift.add_column(col)
    for d in m.drift:
        drift.add_row(
            d.name,
            str(d.n),
            str(d.agreed),
            str(d.higher),
            str(d.lower),
            f"{d.mean_difference:+.2f}",
            d.direction,
        )
    console.print(drift)


def register(app: typer.Typer) -> None:
    app.command("grades")(grades)
