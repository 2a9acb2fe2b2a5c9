"""`qa init DIR`: a new audit repository."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ..errors import QAError
from .common import console, handle_errors


class CI(StrEnum):
    github = "github"
    gitlab = "gitlab"
    none = "none"


def _next_steps(result: Any, directory: Path, ci: CI) -> list[str]:
    host = {"github": "GitHub", "gitlab": "GitLab"}.get(ci.value, "your git host")
    first = (
        f"1. Push it: `git remote add origin <url>` then `git push -u origin main`; the {host} "
        "check runs on every pull request."
    )
    if result.source is None and ci is not CI.none:
        first += (
            " Set the toolkit source first: `qa init . --update-ci --toolkit-source "
            "<git URL@tag, or qa-cli==version>`."
        )
    return [
        f"Next, in {directory}:",
        first,
        "2. Set the case key outside the repository: `qa cases keygen` (keep the key out of "
        "git; see docs/cases-and-sampling.md).",
        "3. Import the first case list: `qa cases import EXPORT.xlsx`, then edit qa.yaml "
        "(teams, staff) and `qa sample --month YYYY-MM`.",
    ]


def _report(result: Any, directory: Path, ci: CI) -> None:
    shown = [r for r in result.created if not r.endswith(".gitkeep")]
    console.print(f"Created an audit repository in {directory} ({len(shown)} files).")
    if result.skipped:
        console.print(
            f"Left {len(result.skipped)} existing file(s) as they were: "
            + ", ".join(result.skipped)
        )
    if result.committed:
        console.print("Made it a git repository, with everything in a first commit on `main`.")
    elif result.git_note:
        console.print(f"Note: {result.git_note}.")
    for line in _next_steps(result, directory, ci):
        console.print(line, markup=False)


@handle_errors
def init(
    directory: Path = typer.Argument(..., help="The folder to create the audit repository in."),
    force: bool = typer.Option(
        False, "--force", help="Add the missing files to a non-empty folder (never overwrites)."
    ),
    toolkit_source: str | None = typer.Option(
        None,
        "--toolkit-source",
        help="Where CI installs qa from, pinned: a git URL at a tag or commit "
        "(git+https://host/org/qa-cli@v0.1.0) or an exact version (qa-cli==0.1.0). "
        "Recorded in qa.yaml.",
    ),
    ci: CI = typer.Option(CI.github, "--ci", help="The CI file to write: github, gitlab or none."),
    update_ci: bool = typer.Option(
        False,
        "--update-ci",
        help="In an existing repository: record --toolkit-source in qa.yaml and rewrite the CI "
        "and pre-commit files to install it (they are generated files).",
    ),
    git: bool = typer.Option(
        True, "--git/--no-git", help="Run `git init` and make a first commit (when git is here)."
    ),
) -> None:
    """Create an audit repository: qa.yaml, the framework's audit tools, .gitignore, a CI
    check, a pre-commit hook, editor schemas and settings; then `git init` and a first commit."""
    from ..ci import parse_source
    from ..scaffold import init_repository
    from ..scaffold import update_ci as rewrite_ci

    source = parse_source(toolkit_source) if toolkit_source is not None else None
    if update_ci:
        if source is None:
            raise QAError("--update-ci needs --toolkit-source", "add --toolkit-source SOURCE")
        result = rewrite_ci(directory, ci.value, source)
        console.print(
            f"Set the toolkit source to {source.text}; rewrote "
            + ", ".join(result.updated)
            + ". Commit these files.",
            markup=False,
        )
        return
    result = init_repository(directory, force, ci=ci.value, source=source, git=git)
    _report(result, directory, ci)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
