"""`qa schema export`: JSON Schemas for editor autocompletion."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import RepoOption, console, repo_root, writer

schema_app = typer.Typer(help="JSON Schemas of the file kinds and audit tools, for editors.")


@schema_app.command("export")
@writer()
def export(
    out: Path | None = typer.Option(
        None, "--out", help="Folder to write to (default: schemas/ in the repository)."
    ),
    repo: Path | None = RepoOption,
) -> None:
    """Write a JSON Schema per file kind and per audit tool, for editor autocompletion.

    By default they go to schemas/ of the audit repository, where each file's first line
    (`# yaml-language-server: $schema=...`) and .vscode/settings.json point: commit them.
    `qa validate` warns (QA701) when they are out of date.
    """
    from .. import yamlio
    from ..editor import SCHEMAS_DIR, schema_files
    from ..pathguard import check_id, inside, output_dir
    from ..repository import Repository

    root = repo_root(repo)
    loaded = Repository.load(root)
    if out is not None:
        folder = output_dir(out, "--out")
    else:
        folder = inside(root, SCHEMAS_DIR, "the schema folder")
    changed = 0
    files = schema_files(loaded.tools)
    for rel, text in files.items():
        name = rel.removeprefix(f"{SCHEMAS_DIR}/")
        check_id(name.replace("@", "-"), "a schema file name")  # tool ids are checked ids
        target = folder / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            yamlio.atomic_write(target, text)
            changed += 1
    console.print(
        f"{len(files)} schemas in {folder}: {changed} written, {len(files) - changed} already "
        "current."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(schema_app, name="schema")
