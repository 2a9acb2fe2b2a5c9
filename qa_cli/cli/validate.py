"""`qa validate`: check every file, or the given ones, against schemas and the framework's rules."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ..errors import QAError
from .common import RepoOption, console, err_console, handle_errors, repo_root


class Format(StrEnum):
    auto = "auto"
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"
    sarif = "sarif"


def _chosen_format(fmt: Format) -> str:
    """`auto` is `github` inside GitHub Actions (annotations on the pull request), else text."""
    if fmt is Format.auto:
        return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    return fmt.value


def _selection(paths: list[Path] | None, repo: Path | None) -> tuple[Path, list[Path] | None]:
    """The repository's root and the files or folders to check (None: all of them)."""
    for p in paths or []:
        if not p.exists() and not p.is_symlink():
            raise QAError(f"{p} does not exist", "give a file or folder of the audit repository")
    root = repo_root(repo if repo is not None or not paths else paths[0])
    from ..pathguard import user_path

    selected = [user_path(root, p, "PATH") for p in paths] if paths else None
    return root, None if selected == [root] else selected


def _changed(root: Path, since: str) -> tuple[Any, str]:
    """The loaded repository with the files changed since ``since`` selected, and a note."""
    from .. import gitutil
    from ..changes import select_changed
    from ..repository import Repository

    changed = gitutil.changed_files(root, since)
    loaded = Repository.load(root)
    sel = select_changed(loaded, changed)
    loaded.selected = sel.files
    why = "qa.yaml changed, so everything" if sel.everything else "files that depend on them"
    note = (
        f"Changed since {since}: {sel.changed} file(s); checking {len(sel.files)} "
        f"(with {sel.affected} {why})."
    )
    return loaded, note


def _report(
    paths: list[Path] | None, repo: Path | None, since: str | None, use_cache: bool
) -> tuple[Any, str]:
    """The validation report of the selection, and a note saying which files were checked."""
    from ..validation.cached import validate_cached
    from ..validation.selection import selected_case_lists

    if since is not None:
        from ..validation.engine import validate_repository

        loaded, note = _changed(repo_root(repo), since)
        return validate_repository(loaded, None), note
    root, selected = _selection(paths, repo)
    lists = selected_case_lists(root, [p.resolve() for p in paths] if paths else None)
    return validate_cached(root, selected, lists, use_cache=use_cache), ""


def _print_text(out: str) -> None:
    for line in out.rstrip("\n").split("\n"):
        style = "red" if ": error " in line else "yellow" if ": warning " in line else None
        console.print(line, style=style, markup=False)


def _append_summary(target: str, text: str) -> None:
    path = Path(target)
    if not path.parent.is_dir():
        raise QAError(f"--summary {target}: its folder does not exist", "give a writable file")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


@handle_errors
def validate(
    paths: list[Path] = typer.Argument(
        None, help="Files or folders to check (default: the whole repository)."
    ),
    fmt: Format = typer.Option(
        Format.auto,
        "--format",
        "-f",
        help="Output: text, json, github (annotations), junit or sarif; auto is github "
        "inside GitHub Actions, text elsewhere.",
    ),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail the run too."),
    changed_since: str | None = typer.Option(
        None,
        "--changed-since",
        metavar="REF",
        help="Check only the files changed since this git ref (branch, tag or commit), "
        "and the files that depend on them.",
    ),
    summary: str | None = typer.Option(
        None,
        "--summary",
        metavar="FILE",
        help="Also append a Markdown summary table to FILE (e.g. $GITHUB_STEP_SUMMARY).",
    ),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Check every file again, without reading or writing the cache in .qa/cache/.",
    ),
    repo: Path | None = RepoOption,
) -> None:
    """Check audit files: YAML, schema, answers against their tool, and cross-file rules.

    Exit 0 when clean, 1 when there are findings (errors, or warnings with --strict), 2 on a
    usage problem. A `# qa: disable=QA123` comment on a line silences that rule there.
    """
    from ..validation.reporters import FORMATS

    if paths and changed_since is not None:
        raise QAError("give either files or --changed-since, not both", None)
    report, note = _report(paths, repo, changed_since, not no_cache)
    chosen = _chosen_format(fmt)
    if note:
        (console if chosen == "text" else err_console).print(note, markup=False)
    out = FORMATS[chosen](report, strict)
    if chosen == "text":
        _print_text(out)
    else:
        typer.echo(out, nl=False)
    if summary:
        _append_summary(summary, FORMATS["markdown"](report, strict))
    raise typer.Exit(1 if report.failed(strict) else 0)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
