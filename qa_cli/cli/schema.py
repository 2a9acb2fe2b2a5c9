"""`qa schema export`: JSON Schemas for editor autocompletion."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import RepoOption, console, handle_errors, repo_root

schema_app = typer.Typer(help="JSON Schemas of the file kinds and audit tools, for editors.")


@schema_app.command("export")
@handle_errors
def export(
    out: Path | None = typer.Option(
        None, "--out", help="Folder to write to (default: .qa/schemas in the repository)."
    ),
    repo: Path | None = RepoOption,
) -> None:
    """Write a JSON Schema per file kind and per audit tool, for editor autocompletion."""
    import json

    from .. import yamlio
    from ..repository import Repository
    from ..schema_export import all_schemas

    root = repo_root(repo)
    loaded = Repository.load(root)
    folder = out if out is not None else root / ".qa" / "schemas"
    schemas = all_schemas(loaded.tools)
    for name, schema in schemas.items():
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
