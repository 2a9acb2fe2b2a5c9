"""`qa report ...`: the framework's reports in Markdown (Jinja templates) and Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ..errors import QAError
from .common import (
    AsOfOption,
    RepoOption,
    console,
    err_console,
    handle_errors,
    parse_date_option,
    repo_root,
)

report_app = typer.Typer(
    help="Write a report as Markdown and Excel under reports/ (generated output, overwritten "
    "on each run; recommendations.md is never touched).",
    no_args_is_help=True,
)

RedactOption = typer.Option(
    False,
    "--redact",
    help="Leave case codes and staff names out (for circulation, App. E 6); writes "
    "<name>-redacted.md/.xlsx beside the full report.",
)
PasswordOption = typer.Option(
    None,
    "--password-file",
    help="Encrypt the workbook with the password on the first line of this file; Excel asks "
    "for it on opening. Send the password separately.",
    dir_okay=False,
)


MIN_PASSWORD_CHARS = 12


def _password(path: Path | None, root: Path) -> str | None:
    """The workbook password: the first line of a file outside the repository, as written."""
    if path is None:
        return None
    from ..limits import encoding_problem
    from ..pathguard import input_file, is_within

    if is_within(path.resolve(), root.resolve()):
        raise QAError(
            f"the password file {path} is inside the audit repository, where it could be committed",
            "keep it outside the repository (e.g. in your home folder) and delete this copy",
        )
    raw = input_file(path, "--password-file", 64_000)
    odd = encoding_problem(raw)
    if odd is not None:
        raise QAError(
            f"the password file {path}: {odd.message}",
            "save it as plain UTF-8 text with the password on the first line",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QAError(
            f"the password file {path} could not be read ({exc})",
            "save it as plain UTF-8 text with the password on the first line",
        ) from None
    lines = text.splitlines()
    password = lines[0] if lines else ""
    if password != password.strip():
        raise QAError(
            f"the password on the first line of {path} starts or ends with a space or a tab",
            "nothing is stripped from a password silently: remove the spaces from the file, "
            "or choose a password without them at its ends",
        )
    if len(password) < MIN_PASSWORD_CHARS:
        raise QAError(
            f"the password in {path} is too short ({len(password)} characters)",
            f"use at least {MIN_PASSWORD_CHARS} characters, e.g. three or four random words",
        )
    return password


def _write(repo_dir: Path | None, build: Any, redact: bool, password_file: Path | None) -> None:
    """Load the repository, build the report, write both files, say where they are."""
    from ..safewrite import repository_lock

    root = repo_root(repo_dir)
    password = _password(password_file, root)
    with repository_lock(root):
        _build_and_write(root, build, redact, password)


def _build_and_write(root: Path, build: Any, redact: bool, password: str | None) -> None:
    from ..reports.output import write_report
    from ..repository import Repository

    repo = Repository.load(root, require_config=True)
    report = build(repo)
    paths = write_report(repo, report, redact=redact, password=password)
    for note in report.notes:
        err_console.print(f"[yellow]warning:[/] {note}", markup=True)
    for p in paths:
        console.print(f"wrote {p.relative_to(root).as_posix()}", markup=False)
    if password is not None:
        console.print("the workbook is encrypted; send the password separately", markup=False)


@report_app.command("monthly")
@handle_errors
def monthly(
    month: str = typer.Option(..., "--month", help="The sample month, YYYY-MM."),
    as_of: str | None = AsOfOption,
    redact: bool = RedactOption,
    password_file: Path | None = PasswordOption,
    repo: Path | None = RepoOption,
) -> None:
    """Monthly audit report (§5.2.5): headlines, grades, themes, moderation, recommendations."""
    from ..reports.monthly import build_monthly

    today = parse_date_option(as_of)
    _write(repo, lambda r: build_monthly(r, month, today), redact, password_file)


@report_app.command("themed")
@handle_errors
def themed(
    theme: str = typer.Option(..., "--theme", help="The theme, e.g. supervision."),
    month: str = typer.Option(..., "--month", help="The month of the themed audit, YYYY-MM."),
    as_of: str | None = AsOfOption,
    redact: bool = RedactOption,
    password_file: Path | None = PasswordOption,
    repo: Path | None = RepoOption,
) -> None:
    """Themed audit findings and recommendations (§5.3.2)."""
    from ..reports.themed import build_themed

    today = parse_date_option(as_of)
    _write(repo, lambda r: build_themed(r, theme, month, today), redact, password_file)


@report_app.command("team")
@handle_errors
def team(
    team_id: str = typer.Option(..., "--team", help="The team id from qa.yaml."),
    half: str = typer.Option(..., "--half", help="The half-year, YYYY-H1 or YYYY-H2."),
    as_of: str | None = AsOfOption,
    redact: bool = RedactOption,
    password_file: Path | None = PasswordOption,
    repo: Path | None = RepoOption,
) -> None:
    """Six-monthly structured team review (§6.2): grades per category, common areas, feedback."""
    from ..reports.team import build_team

    today = parse_date_option(as_of)
    _write(repo, lambda r: build_team(r, team_id, half, today), redact, password_file)


@report_app.command("multi-agency")
@handle_errors
def multi_agency(
    audit_id: str = typer.Argument(..., help="The multi-agency audit id (its folder name)."),
    as_of: str | None = AsOfOption,
    redact: bool = RedactOption,
    password_file: Path | None = PasswordOption,
    repo: Path | None = RepoOption,
) -> None:
    """Multi-agency audit report (App. E 5): outcomes, learning, recommendations, action plan."""
    from ..reports.programmes import build_multi_agency

    today = parse_date_option(as_of)
    _write(repo, lambda r: build_multi_agency(r, audit_id, today), redact, password_file)


@report_app.command("complaints")
@handle_errors
def complaints(
    year: int = typer.Option(..., "--year", min=1970, max=2099, help="The year, YYYY."),
    as_of: str | None = AsOfOption,
    redact: bool = RedactOption,
    password_file: Path | None = PasswordOption,
    repo: Path | None = RepoOption,
) -> None:
    """Annual lessons learned from complaints (§4.5.2, App. C)."""
    from ..reports.programmes import build_complaints

    today = parse_date_option(as_of)
    _write(repo, lambda r: build_complaints(r, year, today), redact, password_file)


@report_app.command("observations")
@handle_errors
def observations(
    year: int = typer.Option(..., "--year", min=1970, max=2099, help="The year, YYYY."),
    as_of: str | None = AsOfOption,
    redact: bool = RedactOption,
    password_file: Path | None = PasswordOption,
    repo: Path | None = RepoOption,
) -> None:
    """Practice observations for the year (App. B): completed per manager, feedback on time."""
    from ..reports.programmes import build_observations

    today = parse_date_option(as_of)
    _write(repo, lambda r: build_observations(r, year, today), redact, password_file)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
