"""`qa grades` output: one renderer per format (table, json, csv), none in the command body."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..models.common import GRADE_NAMES, GRADES
from ..reports.grades import GradesResult
from .layout import table


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{v * 100:.0f}%"


def _csv_safe(value: object) -> object:
    # A spreadsheet opening the CSV must not run a cell as a formula (CSV injection).
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _f(value: float | None) -> str:
    return f"{value:.4f}" if value is not None else ""


def as_json(result: GradesResult, by: str, period: str) -> str:
    return json.dumps(result.as_data(), indent=2, ensure_ascii=False)


def as_csv(result: GradesResult, by: str, period: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([by, "label", "returns", *GRADES, "good_or_better", "ci_low", "ci_high"])
    for r in result.rows:
        g = r.good_or_better
        w.writerow(
            [
                _csv_safe(r.key),
                _csv_safe(r.label),
                r.n,
                *[r.counts[x] for x in GRADES],
                _f(g.value),
                _f(g.low),
                _f(g.high),
            ]
        )
    return buf.getvalue()


def _grade_table(result: GradesResult, by: str, period: str) -> Table:
    right = {"justify": "right"}
    t = table(
        (by.capitalize(), {"min_width": 10}),
        ("Returns", right),
        *[(GRADE_NAMES[g], right) for g in GRADES],
        "Good or better (95% interval)",
        title=f"Grades by {by}, {period} ({result.returns} graded returns)",
    )
    for r in result.rows:
        s = r.good_or_better
        t.add_row(
            r.label,
            str(r.n),
            *[str(r.counts[g]) for g in GRADES],
            f"{_pct(s.value)} ({_pct(s.low)} to {_pct(s.high)})",
        )
    return t


def _drift_table(result: GradesResult) -> Table:
    drift = table(
        ("Auditor", {"min_width": 10}),
        "Reviewed",
        "Agreed",
        "Higher",
        "Lower",
        "Mean difference",
        "Direction",
        title="Drift by auditor (auditor's grade minus moderated grade)",
    )
    for d in result.moderation.drift:
        drift.add_row(
            d.name,
            str(d.n),
            str(d.agreed),
            str(d.higher),
            str(d.lower),
            f"{d.mean_difference:+.2f}",
            d.direction,
        )
    return drift


NARROW = 100  # below this many columns a row per group no longer fits: one paragraph each


def _grade_lines(result: GradesResult, by: str, period: str) -> list[Text]:
    out = [Text(f"Grades by {by}, {period} ({result.returns} graded returns)", style="bold")]
    for r in result.rows:
        s = r.good_or_better
        counts = ", ".join(f"{GRADE_NAMES[g]} {r.counts[g]}" for g in GRADES)
        out.append(
            Text.assemble(
                (r.label, "bold"),
                f": {r.n} returns; {counts}; Good or better {_pct(s.value)} "
                f"({_pct(s.low)} to {_pct(s.high)})",
            )
        )
    return out


def print_table(console: Console, result: GradesResult, by: str, period: str) -> None:
    if console.width < NARROW:
        for line in _grade_lines(result, by, period):
            console.print(line)
    else:
        console.print(_grade_table(result, by, period))
    a = result.moderation.agreement
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
    if console.width >= NARROW:
        console.print(_drift_table(result))
        return
    console.print(Text("Drift by auditor (auditor's grade minus moderated grade)", style="bold"))
    for d in result.moderation.drift:
        console.print(
            Text.assemble(
                (d.name, "bold"),
                f": {d.n} reviewed, {d.agreed} agreed, {d.higher} graded higher, {d.lower} "
                f"lower; mean difference {d.mean_difference:+.2f} ({d.direction})",
            )
        )


TEXT_RENDERERS: dict[str, Any] = {"json": as_json, "csv": as_csv}
