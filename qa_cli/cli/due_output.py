"""`qa due` output: one renderer per format (table, json, csv, md), none in the command body.

The table is laid out by rich, never padded by hand: each item is a short status line (how
overdue, the due date, who) with the title and the file below it, indented, so rich wraps them
at word boundaries to the terminal's width. Piped, nothing is wrapped or cut.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..due import DueItem, PersonSummary

NARROW = 72  # below this many columns the per-person table becomes one line per person
FIELDS = ["kind", "person", "team", "due", "days_overdue", "path", "ref", "title"]


def status(days_overdue: int) -> str:
    if days_overdue > 0:
        return f"{days_overdue} days overdue"
    if days_overdue == 0:
        return "due today"
    return f"due in {-days_overdue} days"


def counts(items: Sequence[DueItem]) -> dict[str, int]:
    """The totals every format gives, so the heading and the last line always agree."""
    concerns = sum(1 for i in items if i.kind == "safeguarding_concern")
    overdue = sum(1 for i in items if i.overdue and i.kind != "safeguarding_concern")
    return {"concerns": concerns, "overdue": overdue, "coming": len(items) - concerns - overdue}


def totals_line(items: Sequence[DueItem]) -> str:
    c = counts(items)
    parts = []
    if c["concerns"]:
        s = "s" if c["concerns"] > 1 else ""
        parts.append(f"{c['concerns']} safeguarding concern{s} not yet acknowledged")
    parts += [f"{c['overdue']} overdue", f"{c['coming']} coming due"]
    return ", ".join(parts) + "."


def _groups(items: Sequence[DueItem]) -> list[tuple[str, str | None, list[DueItem]]]:
    return [
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


def _item(i: DueItem, names: dict[str, str], style: str | None, width: int) -> Group:
    who = names.get(i.person or "", i.person or "no one named")
    head = Text.assemble((status(i.days_overdue), style or ""), f" · due {i.due} · {who}")
    # a path is one word: indent it less rather than break it on a narrow terminal
    indent = 4 if len(i.path) + 4 <= width else max(width - len(i.path), 0)
    return Group(
        Padding(head, (0, 0, 0, 2), expand=False),
        Padding(Text(i.title), (0, 0, 0, 4), expand=False),
        Padding(Text(i.path, style="dim"), (0, 0, 0, indent), expand=False),
    )


def _people(summary: Sequence[PersonSummary]) -> Table:
    table = Table(
        title='By person (managers first; "team" = overdue items of the staff of the teams '
        "they manage)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("Name", min_width=10)
    for col in ("Overdue", "Returns overdue", "Most days overdue", "Coming due", "Team"):
        table.add_column(col, justify="right", max_width=9)
    for p in summary:
        table.add_row(
            p.name or p.person,
            str(p.overdue),
            str(p.overdue_returns),
            str(p.most_days_overdue),
            str(p.due_soon),
            str(p.team_overdue) if p.is_manager else "",
            style="red" if p.overdue else None,
        )
    return table


def print_table(
    console: Console,
    items: Sequence[DueItem],
    summary: Sequence[PersonSummary],
    today: dt.date,
    horizon: int | None,
    names: dict[str, str],
) -> None:
    if not items:
        console.print(f"Nothing is due or overdue as of {today}.", markup=False)
        return
    scope = f", and what falls due within {horizon} days" if horizon is not None else ""
    console.print(Text.assemble((f"Due and overdue as of {today}", "bold"), scope))
    for heading, style, group in _groups(items):
        if not group:
            continue
        console.print()
        console.print(Text(f"{heading} ({len(group)})", style="bold"))
        for i in group:
            console.print(_item(i, names, style, console.width))
    console.print()
    console.print(totals_line(items), markup=False)
    if not summary:
        return
    console.print()
    if console.width >= NARROW:
        console.print(_people(summary))
        return
    console.print(Text("By person (managers first)", style="bold"))
    for p in summary:
        team = f"; their teams' staff: {p.team_overdue} overdue" if p.is_manager else ""
        console.print(
            Text.assemble(
                (p.name or p.person, "bold red" if p.overdue else "bold"),
                f": {p.overdue} overdue ({p.overdue_returns} returns), most "
                f"{p.most_days_overdue} days; {p.due_soon} coming due{team}",
            )
        )


def as_json(items: Sequence[DueItem], summary: Sequence[PersonSummary], today: dt.date) -> str:
    payload = {
        "as_of": today.isoformat(),
        "totals": counts(items),
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
    return json.dumps(payload, indent=2, ensure_ascii=False)


def as_csv(items: Sequence[DueItem]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS)
    for i in items:
        w.writerow([_csv_safe(getattr(i, k)) for k in FIELDS])
    return buf.getvalue()


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(("=", "+", "@", "\t", "\r")):
        return "'" + value  # a spreadsheet opening the CSV must not run a formula
    return value


def _md_cell(value: Any) -> str:
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def _md_row(values: Sequence[Any]) -> str:
    return "| " + " | ".join(_md_cell(v) for v in values) + " |"


def as_markdown(items: Sequence[DueItem], summary: Sequence[PersonSummary], today: dt.date) -> str:
    out = [f"# Due and overdue as of {today}", "", totals_line(items), ""]
    if items:
        out += [
            "| status | what | who | team | due | file |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        out += [
            _md_row((status(i.days_overdue), i.title, i.person, i.team, i.due, i.path))
            for i in items
        ]
        out.append("")
    if summary:
        out += [
            "## By person",
            "",
            "| person | name | overdue | returns overdue | most days overdue | coming due "
            "| team's overdue |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        out += [
            _md_row(
                (
                    s.person,
                    s.name,
                    s.overdue,
                    s.overdue_returns,
                    s.most_days_overdue,
                    s.due_soon,
                    s.team_overdue if s.is_manager else "",
                )
            )
            for s in summary
        ]
        out.append("")
    return "\n".join(out)


TEXT_RENDERERS: dict[str, Callable[[Sequence[DueItem], Sequence[PersonSummary], dt.date], str]] = {
    "json": as_json,
    "csv": lambda items, summary, today: as_csv(items),
    "md": as_markdown,
}
