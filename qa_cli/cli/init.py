"""`qa init DIR`: a new audit repository."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import console, handle_errors


@handle_errors
def init(
    directory: Path = typer.Argument(..., help="The folder to create the audit repository in."),
    force: bool = typer.Option(
        False, "--force", help="Add the missing files to a non-empty folder (never overwrites)."
    ),
) -> None:
    """Create an audit repository: qa.yaml, the framework's audit tools, .gitignore, CI check."""
    from ..scaffold import init_repository

    result = init_repository(directory, force)
    shown = [r for r in result.created if not r.endswith(".gitkeep")]
    console.print(f"Created an audit repository in {directory} ({len(shown)} files).")
    if result.skipped:
        console.print(
            f"Left {len(result.skipped)} existing file(s) as they were: "
            + ", ".join(result.skipped)
        )
    console.print("Next: edit qa.yaml (teams and staff), then run `qa validate` in that folder.")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
