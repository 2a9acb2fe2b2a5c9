"""`qa schema export`: JSON Schemas for editor autocompletion."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import RepoOption, console, handle_errors, repo_root, writes

schema_app = typer.Typer(help="JSON Schemas of the file kinds and audit tools, for editors.")


@schema_app.command("export")
@handle_errors
@writes()
def export(
    out: Path | None = typer.Option(
        None, "--out", help="Folder to write to (default: .qa/schemas in the repository)."
    ),
    repo: Path | None = RepoOption,
) -> None:
    """Write a JSON Schema per file kind and per audit tool, for editor autocompletion."""
    import json

    from .. import yamlio
    from ..pathguard import check_id, inside, output_dir
    from ..repository import Repository
    from ..schema_export import all_schemas

    root = repo_root(repo)
    loaded = Repository.load(root)
    if out is not None:
        folder = output_dir(out, "--out")
    else:
        folder = inside(root, ".qa/schemas", "the schema folder")
    schemas = all_schemas(loaded.tools)
    for name, schema in schemas.items():
        check_id(name.replace("@", "-"), "a schema file name")  # tool ids are checked ids
        yamlio.atomic_write(folder / name, json.dumps(schema, indent=2) + "\n")
    console.print(f"Wrote {len(schemas)} schemas to {folder}.")
    console.print(
        "In VS Code (YAML extension), map them in settings.json, e.g.\n"
        '  "yaml.schemas": {"'
        + str(folder / "tool-single-agency-safeguarding@1.schema.json")
        + '": "audits/**/*--single-agency-safeguarding.yaml"}'
    )


def register(app: typer.Typer) -> None:
    app.add_typer(schema_app, name="schema")
