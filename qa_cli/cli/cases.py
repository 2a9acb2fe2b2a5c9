"""`qa cases import` and `qa cases keygen`: pseudonymised case lists from the export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ..errors import QAError
from . import common

cases_app = common.group(
    "Case lists: import the case-management export as case codes (`qa cases import`)."
)


@cases_app.command("import")
@common.writer()
def import_(
    export: Path = typer.Argument(
        ...,
        help="The exported case list: .csv or .xlsx (Annex A lists 6-9 or plain columns).",
        dir_okay=False,
    ),
    as_of: str | None = common.AsOfOption,
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Read and check the export; write nothing."
    ),
    new_key: bool = typer.Option(
        False,
        "--new-key",
        help="Accept a key other than the one that made the earlier case lists (only after "
        "a rotation agreed with the IG lead: every case code changes).",
    ),
    repo: Path | None = common.RepoOption,
) -> None:
    """Read a case-list export, replace IDs by case codes, keep only what sampling needs.

    Writes cases/<as-of date>.csv (case code, team, worker id, category, start date, age band).
    Names, dates of birth, addresses and every other column are dropped, and listed. The
    case-code key is read from $QA_CASE_KEY or the key file made by `qa cases keygen`.
    Exit 0 when written, 1 when the export has problems (nothing is written), 2 on usage errors.
    """
    import os

    from ..caselist import CATEGORY_NAMES, import_case_list, load_key
    from ..repository import Repository

    root = common.repo_root(repo)
    today = common.parse_date_option(as_of)
    from ..layout import case_list_path
    from ..repository import load_config

    config = load_config(root)
    key = load_key(config.case_list.key_env, os.environ, root)
    result = import_case_list(root, export, config, key, today, new_key)
    rel = case_list_path(today)
    _print_import(result)
    counts = ", ".join(f"{n} {CATEGORY_NAMES[c]}" for c, n in sorted(result.by_category.items()))
    _warn_if_inside(export, root)
    if dry_run:
        common.console.print(f"dry run: {len(result.rows)} cases ({counts}); {rel} was not written")
        raise typer.Exit(0)
    repository = Repository(root=root, files=[], config_or_none=config, config_file=None)
    repository.write_new(rel, result.text)
    common.console.print(
        f"wrote {rel}: {len(result.rows)} cases ({counts}); sha256 {result.sha256}"
    )


def _print_import(result: Any) -> None:
    """What the import read, skipped and dropped, its notes and the unknown workers."""
    for line in result.read:
        common.console.print(f"read     {line}", markup=False)
    for line in result.skipped:
        common.console.print(f"skipped  {line}", markup=False)
    for source, cols in result.dropped.items():
        if cols:
            common.console.print(f"dropped  {source}: " + "; ".join(cols), markup=False)
    for note in result.notes:
        common.console.print(f"[yellow]note[/]     {note}")
    if result.unknown_workers:
        from ..masking import masked

        names = "; ".join(
            f"{masked(n, 'name')} ({c} case(s))" for n, c in sorted(result.unknown_workers.items())
        )
        common.console.print("[yellow]workers not in qa.yaml[/]: ", markup=True, end="")
        common.console.print(names, markup=False)


def _warn_if_inside(export: Path, root: Path) -> None:
    """The export holds children's details: warn when it lies inside the repository."""
    try:
        inside = export.resolve().is_relative_to(root.resolve())
    except OSError:
        inside = False
    if inside:
        common.console.print(
            f"[bold red]warning[/]: the export {export} is inside the audit repository; it holds "
            "children's details: move it out and never commit it"
        )


@cases_app.command("keygen")
@common.handle_errors
def keygen(
    key_file: Path | None = typer.Option(
        None,
        "--key-file",
        help=(
            "Where to write the key (default: the qa folder of your config folder, "
            "e.g. ~/.config/qa/case-key)."
        ),
    ),
    repo: Path | None = common.RepoOption,
) -> None:
    """Create the secret key that turns case-management IDs into case codes.

    Run once, on the machine that imports case lists. The key is written outside the
    repository (readable by you only) and never overwritten: a new key would change every
    case code. Keep a copy where your organisation keeps secrets.
    """
    import os

    from ..caselist import keygen as make

    root = None
    try:
        root = common.repo_root(repo)
    except QAError:
        root = None
    path = make(os.environ, key_file, root)
    common.console.print(f"wrote a new case-code key to {path}")
    common.console.print(
        "keep it secret and backed up; never commit it. Set QA_CASE_KEY instead on "
        "machines where a file is not wanted."
    )


@cases_app.command("reveal")
@common.handle_errors
def reveal(
    code: str = typer.Argument(..., help="The case code to find, e.g. C-7F3K2Q9M."),
    export: Path = typer.Option(
        ...,
        "--export",
        help="A case-management export (.csv or .xlsx) kept outside the repository.",
        dir_okay=False,
    ),
    repo: Path | None = common.RepoOption,
) -> None:
    """Find the case-management ID of a case code (for the coordinator only, App. E 6).

    Hashes the IDs of the export with the case-code key and prints the matching ID on the
    terminal. Writes nothing in the repository; each use (who, when, which code) is logged in
    reveal-log.csv beside the key, outside git. Exit 0 when found, 1 when not.
    """
    import os

    from ..caselist import reveal as find
    from ..repository import load_config

    root = common.repo_root(repo)
    config = load_config(root)
    found, log = find(root, config, code, export, os.environ)
    common.console.print(f"use logged in {log}", markup=False)
    if found is None:
        common.console.print(
            f"no ID in {export.name} gives that code (wrong export or another key)"
        )
        raise typer.Exit(1)
    common.console.print(f"{code.upper()}: case-management ID {found}", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
