"""`qa validate`: check every file, or the given ones, against schemas and the framework's rules."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from ..errors import QAError
from .common import RepoOption, console, handle_errors, repo_root


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


@handle_errors
def validate(
    paths: list[Path] = typer.Argument(
        None, help="Files or folders to check (default: the whole repository)."
    ),
    fmt: Format = typer.Option(
        Format.text, "--format", "-f", help="Output: text, json, github (annotations) or junit."
    ),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail the run too."),
    repo: Path | None = RepoOption,
) -> None:
    """Check audit files: YAML, schema, answers against their tool, and cross-file rules.

    Exit 0 when clean, 1 when there are findings (errors, or warnings with --strict),
    2 on a usage problem.
    """
    from ..validation.engine import validate as run
    from ..validation.reporters import FORMATS

    if paths:
        from ..pathguard import user_path

        for p in paths:
            if not p.exists() and not p.is_symlink():
                raise QAError(
                    f"{p} does not exist", "give a file or folder of the audit repository"
                )
        root = repo_root(repo) if repo is not None else repo_root(paths[0])
        selected: list[Path] | None = [user_path(root, p, "PATH") for p in paths]
        if selected == [root]:
            selected = None
    else:
        root = repo_root(repo)
        selected = None
    _, report = run(root, selected)
    out = FORMATS[fmt.value](report)
    if fmt is Format.text:
        for line in out.rstrip("\n").split("\n"):
            style = None
            if ": error " in line:
                style = "red"
            elif ": warning " in line:
                style = "yellow"
            console.print(line, style=style, markup=False)
    else:
        typer.echo(out, nl=False)
    raise typer.Exit(1 if report.failed(strict) else 0)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
