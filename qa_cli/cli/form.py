"""`qa form`: returns as Excel forms for people who never open YAML, and their answers back in."""

from __future__ import annotations

from pathlib import Path

import typer

from . import common

form_app = common.group(
    "Excel forms: export blank or partly filled returns, import the filled forms back."
)


@form_app.command("export")
@common.writer()
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
    as_of: str | None = common.AsOfOption,
    repo: Path | None = common.RepoOption,
) -> None:
    """One Excel form per blank or partly filled return, to send to the people who fill it in."""
    from ..forms.export import export_forms
    from ..forms.select import month_folders, select
    from ..repository import Repository

    today = common.parse_date_option(as_of)
    root = common.repo_root(repo)
    # --month alone: only the month's folders (and what they consult), not every return
    only = month_folders(root, month) if month and not returns and not audit else None
    loaded = Repository.load(root, only, require_config=True)
    targets = select(
        loaded, list(returns or []), month=month, audit=audit, auditor=auditor, agency=agency
    )
    if not targets:
        common.console.print("No open returns match; no form was written.")
        return
    from ..pathguard import inside, output_dir

    out_dir = (
        output_dir(out, "--out")
        if out is not None
        else inside(loaded.root, "outbox", "outbox/", write=True)
    )
    forms = export_forms(loaded, targets, out_dir, today, replace=replace)
    for f in forms:
        common.console.print(f"{f.path}  ({f.target.lf.rel})", markup=False)
    common.console.print(f"{len(forms)} form(s) written to {out_dir}.", markup=False)
    if eml:
        from ..forms.mail import write_drafts

        drafts = write_drafts(loaded, forms, out_dir, replace=replace)
        for d in drafts:
            common.console.print(f"{d}", markup=False)
        common.console.print(f"{len(drafts)} draft e-mail(s) written.", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(form_app, name="form")


@form_app.command("import")
@common.writer()
def import_(
    files: list[Path] = typer.Argument(
        ..., help="Filled forms (.xlsx), or e-mails (.eml) with filled forms attached."
    ),
    force: bool = typer.Option(
        False, "--force", help="Import even if the return changed since the form was exported."
    ),
    partial: bool = typer.Option(
        False, "--partial", help="Write the answers that are fine even if others have problems."
    ),
    repo: Path | None = common.RepoOption,
) -> None:
    """Read filled forms back into their YAML returns (comments kept), then validate them."""
    from ..errors import QAError
    from ..forms.importer import import_form
    from ..repository import Repository
    from .common import report_error

    loaded = Repository.load(common.repo_root(repo), require_config=True)
    failed = False
    stale_repo = False
    for name, data in _form_files(files):
        if stale_repo:  # an earlier form of this run changed a file
            loaded = Repository.load(loaded.root, require_config=True)
            stale_repo = False
        try:
            result = import_form(loaded, data, name, force=force, partial=partial)
        except QAError as exc:
            report_error(exc.message, exc.hint)
            failed = True
            continue
        _print_result(result)
        failed = failed or result.outcome == "not written" or result.failed
        stale_repo = result.outcome in ("written", "partly written")
    raise typer.Exit(1 if failed else 0)


def _form_files(files: list[Path]) -> list[tuple[str, bytes]]:
    from ..errors import QAError
    from ..forms.mail import attachments

    out: list[tuple[str, bytes]] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise QAError(f"{path}: cannot be read ({exc.strerror})", "check the path") from None
        if path.suffix.lower() == ".eml":
            out += attachments(data, path.name)
        else:
            out.append((path.name, data))
    return out


def _print_result(result: object) -> None:
    from typing import Any

    r: Any = result
    for p in r.problems:
        common.console.print(
            f"{r.form}: {p.where}: {p.severity} {p.code} {p.message}", markup=False
        )
        if p.hint:
            common.console.print(f"    how to fix: {p.hint}", markup=False)
    if r.outcome == "unchanged":
        common.console.print(
            f"{r.form}: nothing to change in {r.rel} (already imported).", markup=False
        )
    elif r.outcome == "not written":
        common.console.print(
            f"{r.form}: nothing was written to {r.rel}: correct the cells above in the form and "
            "import it again (or pass --partial to write the answers that are fine).",
            markup=False,
        )
    else:
        what = "partly imported" if r.outcome == "partly written" else "imported"
        common.console.print(
            f"{r.form}: {what} into {r.rel} ({len(r.changed)} field(s) changed; "
            f"status: {r.status}).",
            markup=False,
        )
