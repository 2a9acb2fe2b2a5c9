"""`qa fix`: apply the corrections `qa validate` marks fixable, and say what is left."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import QAError
from .common import RepoOption, console, handle_errors, repo_root


@handle_errors
def fix(
    paths: list[Path] = typer.Argument(
        None, help="Files or folders to fix (default: the whole repository)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show the changes as a unified diff; write nothing."
    ),
    repo: Path | None = RepoOption,
) -> None:
    """Apply every finding that has one safe correction: UK dates to ISO, grade, status and
    option spellings to their codes, staff names to ids, one-line actions to one key per
    line, and a missing `comment:` with a TODO for you to fill in.

    Every other byte of each file stays as it was. Exit 0 when no error is left, 1 when
    some findings need a person, 2 on a usage problem.
    """
    from ..fix import run_fix
    from ..safewrite import repository_lock

    selected: list[Path] | None = None
    if paths:
        for p in paths:
            if not p.exists():
                raise QAError(
                    f"{p} does not exist", "give a file or folder of the audit repository"
                )
        root = repo_root(repo) if repo is not None else repo_root(paths[0])
        selected = [p.resolve() for p in paths]
        if selected == [root]:
            selected = None
    else:
        root = repo_root(repo)
    if dry_run:
        result = run_fix(root, selected, dry_run=True)
    else:
        with repository_lock(root):
            result = run_fix(root, selected)
    _render(result, dry_run)
    raise typer.Exit(1 if result.remaining.errors else 0)


def _render(result: object, dry_run: bool) -> None:
    from ..fix import FixResult
    from ..validation.reporters import summary, text_lines

    assert isinstance(result, FixResult)
    verb = "Would fix" if dry_run else "Fixed"
    for f in result.files:
        if f.refused is not None:
            console.print(
                f"{f.rel}: left as it was ({f.refused}); make the changes by hand",
                style="yellow",
                markup=False,
            )
            continue
        if dry_run:
            typer.echo(f.diff(), nl=False)
        console.print(f"{verb} {len(f.applied)} in {f.rel}:", style="green", markup=False)
        for d in f.applied:
            console.print(f"  line {d.line}: {d.code} {d.message}", markup=False)
    if not result.files:
        console.print("Nothing to fix.", markup=False)
    left = result.remaining.sorted()
    if left:
        console.print("Left for a person:", style="bold", markup=False)
        for d in left:
            for line in text_lines(d):
                console.print(line, markup=False)
    console.print(summary(result.remaining), markup=False)


def register(app: typer.Typer) -> None:
    app.command("fix")(fix)
