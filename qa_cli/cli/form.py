"""`qa form`: returns as Excel forms for people who never open YAML, and their answers back in."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import AsOfOption, RepoOption, console, handle_errors, parse_date_option, repo_root

form_app = typer.Typer(
    help="Excel forms: export blank or partly filled returns, import the filled forms back.",
    no_args_is_help=True,
)


@form_app.command("export")
@handle_errors
def export(
    returns: list[str] = typer.Argument(
        None, help="Returns to export: file paths or case codes (C-XXXXXXXX)."
    ),
    month: str | None = typer.Option(
        None, "--month", help="Every open return allocated in this month (YYYY-MM)."
    ),
    audit: str | None = typer.Option(
        None, "--audit", help="Every open agency return of this multi-agency audit (its id)."
    ),
    auditor: str | None = typer.Option(
        None, "--auditor", help="Only the returns this staff id fills in."
    ),
    agency: str | None = typer.Option(None, "--agency", help="Only this agency's returns."),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Folder for the forms (default: outbox/ in the repository).",
        file_okay=False,
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Write over forms already in the folder."
    ),
    eml: bool = typer.Option(
        False, "--eml", help="Also write one draft e-mail (.eml) per person, forms attached."
    ),
    as_of: str | None = AsOfOption,
    repo: Path | None = RepoOption,
) -> None:
    """One Excel form per blank or partly filled return, to send to the people who fill it in."""
    from ..forms.export import export_forms
    from ..forms.select import select
    from ..repository import Repository

    today = parse_date_option(as_of)
    loaded = Repository.load(repo_root(repo), require_config=True)
    targets = select(
        loaded, list(returns or []), month=month, audit=audit, auditor=auditor, agency=agency
    )
    if not targets:
        console.print("No open returns match; no form was written.")
        return
    out_dir = out if out is not None else loaded.root / "outbox"
    forms = export_forms(loaded, targets, out_dir, today, replace=replace)
    for f in forms:
        console.print(f"{f.path}  ({f.target.lf.rel})", markup=False)
    console.print(f"{len(forms)} form(s) written to {out_dir}.", markup=False)
    if eml:
        from ..forms.mail import write_drafts

        drafts = write_drafts(loaded, forms, out_dir, today, replace=replace)
        for d in drafts:
            console.print(f"{d}", markup=False)
        console.print(f"{len(drafts)} draft e-mail(s) written.", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(form_app, name="form")
