"""`qa tools diff`: what a new version of an audit tool changes, breaking changes marked."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ..errors import QAError
from .common import RepoOption, console, handle_errors, repo_root

tools_app = typer.Typer(help="Audit tool versions: what a new version changes.")


class Format(StrEnum):
    text = "text"
    json = "json"


def _tool(tools: dict[str, Any], ref: str) -> Any:
    if ref in tools:
        return tools[ref]
    tool_id = ref.split("@", 1)[0]
    known = sorted(r for r in tools if r.split("@", 1)[0] == tool_id)
    raise QAError(
        f"`{ref}` is not a tool version in audit_tools/",
        ("versions of that tool here: " + ", ".join(known))
        if known
        else "give TOOL@VERSION as in a return's `tool:` line (`qa --version` lists them)",
    )


def _render_text(old: Any, new: Any, changes: list[Any]) -> None:
    breaking = sum(c.breaking for c in changes)
    console.print(
        f"{old.ref} -> {new.ref}: {len(changes)} change(s), {breaking} breaking.", markup=False
    )
    for c in changes:
        mark = "BREAKING" if c.breaking else ""
        where = f"{c.question}: " if c.question else ""
        console.print(
            f"  {mark:<9} {c.what:<10} {where}{c.detail}",
            style="red" if c.breaking else None,
            markup=False,
        )
    if breaking:
        console.print(
            "Breaking changes: answers to the old version cannot be compared question by "
            "question with the new one; reports across both versions leave those questions out.",
            markup=False,
        )


@tools_app.command("diff")
@handle_errors
def diff(
    old: str = typer.Argument(
        ..., metavar="TOOL@A", help="The earlier version, e.g. crib-sheet@1."
    ),
    new: str = typer.Argument(..., metavar="TOOL@B", help="The later version, e.g. crib-sheet@2."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output: text or json."),
    fail_on_breaking: bool = typer.Option(
        False, "--fail-on-breaking", help="Exit 1 when any change is breaking (for CI)."
    ),
    repo: Path | None = RepoOption,
) -> None:
    """List what a new version of an audit tool changes, marking the breaking changes.

    Breaking: a question removed or renamed, its choices recoded, its scale (answer type)
    changed. Reworded text, new questions and new options are listed but do not break.
    """
    from ..repository import Repository
    from ..tooldiff import diff_tools

    loaded = Repository.load(repo_root(repo))
    a, b = _tool(loaded.tools, old), _tool(loaded.tools, new)
    changes = diff_tools(a, b)
    if fmt is Format.json:
        payload = {"old": a.ref, "new": b.ref, "changes": [c.as_dict() for c in changes]}
        typer.echo(json.dumps(payload, indent=2))
    else:
        _render_text(a, b, changes)
    if fail_on_breaking and any(c.breaking for c in changes):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(tools_app, name="tools")
