"""`qa rules`: every rule code `qa validate` can report, with what it means."""

from __future__ import annotations

import typer

from .common import console, handle_errors


@handle_errors
def rules(
    markdown: bool = typer.Option(
        False, "--markdown", help="Print the table as Markdown (for docs)."
    ),
) -> None:
    """List every validation rule code with its severity and a one-line explanation."""
    from ..validation.rules import RULES

    if markdown:
        typer.echo(rules_markdown())
        return
    from .layout import table

    t = table("code", "severity", "rule", "meaning", "fixable")
    for r in RULES.values():
        t.add_row(r.code, r.severity, r.title, r.explanation, "yes" if r.fixable else "")
    console.print(t)


def rules_markdown() -> str:
    from ..validation.rules import RULES

    lines = ["| code | severity | rule | meaning | fixable |", "| --- | --- | --- | --- | --- |"]
    lines += [
        f"| {r.code} | {r.severity} | {r.title} | {r.explanation} | {'yes' if r.fixable else ''} |"
        for r in RULES.values()
    ]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    app.command("rules")(rules)
