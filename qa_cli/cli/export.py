"""`qa export`: tidy long-format tables of the repository for analysts (CSV, Parquet)."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import RepoOption, console, handle_errors, repo_root


@handle_errors
def export(
    out: Path = typer.Option(
        ...,
        "--out",
        "-o",
        help="The folder to write the tables to (created when missing).",
    ),
    redact: bool = typer.Option(
        False,
        "--redact",
        help="Replace case codes and staff names with stand-ins, as `qa report --redact` does.",
    ),
    parquet: bool | None = typer.Option(
        None,
        "--parquet/--no-parquet",
        help="Also write Parquet (default: when pyarrow is installed, `qa-cli[parquet]`).",
    ),
    repo: Path | None = RepoOption,
) -> None:
    """Write one long-format table per record type (returns, answers, actions, reviews,
    samples, observations, complaints) as CSV, and as Parquet when pyarrow is installed.

    Column names and types are stable and documented (docs/export.md): load them into
    Power BI, DuckDB or a regional warehouse without sharing the YAML.
    """
    from ..export import write_export
    from ..repository import Repository

    loaded = Repository.load(repo_root(repo), require_config=True)
    target = out if out.is_absolute() else Path.cwd() / out
    written = write_export(loaded, target, redact=redact, parquet=parquet)
    for path, n in written:
        console.print(f"wrote {out / path.name} ({n} rows)", markup=False)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
