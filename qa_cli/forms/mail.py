"""Forms by e-mail: draft messages (.eml) to send them out, attachments read back in.

A draft carries ``X-Unsent: 1`` so Outlook opens it as a message to send, not a received one.
The covering note is a Jinja template (``form-email.txt.j2``) a repository may override in its
own ``templates/``; it is given names and dates only, never case detail, and the subject
says no more than that forms are attached.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import QAError
from ..repository import Repository
from .export import ExportedForm, refuse_overwrite

TEMPLATE = "form-email.txt.j2"

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachments(data: bytes, name: str) -> list[tuple[str, bytes]]:
    """The .xlsx attachments of a message (a reply with filled forms), as (name, bytes)."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    out: list[tuple[str, bytes]] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename() or ""
        if not (filename.lower().endswith(".xlsx") or part.get_content_type() == XLSX_TYPE):
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            base = PurePosixPath(filename.replace("\\", "/")).name or "form.xlsx"
            out.append((f"{name}/{base}", payload))
    if not out:
        raise QAError(
            f"{name} has no Excel form attached; nothing was read from it",
            "save the reply that has the filled .xlsx attached, or import the .xlsx itself",
            exit_code=1,
        )
    return out


def _render(repo: Repository, context: dict[str, Any]) -> str:
    """The covering note: the repository's templates/form-email.txt.j2 (sandboxed) if it has
    one, else the toolkit's."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    from ..resources import toolkit_dir

    own = repo.root / "templates"
    folders = [str(own)] if (own / TEMPLATE).is_file() else []
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([*folders, str(toolkit_dir("templates"))]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    where = f"templates/{TEMPLATE}" if folders else f"the toolkit's {TEMPLATE}"
    try:
        return env.get_template(TEMPLATE).render(**context)
    except jinja2.TemplateError as exc:
        raise QAError(
            f"{where} could not be used: {exc.message or type(exc).__name__}",
            "fix it (values: name, forms[].tool, forms[].due, forms[].due_text, sender), or "
            "delete the repository's copy to use the toolkit's own",
        ) from None


def _long_date(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def draft(
    repo: Repository, staff_id: str, forms: Sequence[ExportedForm], sender: Any
) -> EmailMessage:
    """One draft message to ``staff_id`` with their forms attached; no case detail outside
    the attachments."""
    people = repo.config.staff_by_id()
    person = people.get(staff_id)
    name = person.name if person else staff_id
    items = sorted(forms, key=lambda f: (f.target.due or dt.date.max, f.path.name))
    context = {
        "name": name,
        "forms": [
            {
                "tool": f.target.tool.title,
                "due": f.target.due.isoformat() if f.target.due else None,
                "due_text": _long_date(f.target.due) if f.target.due else None,
            }
            for f in items
        ],
        "sender": sender.name if sender else "The Quality Assurance team",
    }
    msg = EmailMessage()
    msg["X-Unsent"] = "1"  # Outlook opens the file as a draft to send
    if person is not None and person.email:
        msg["To"] = f"{person.name} <{person.email}>"
    if sender is not None and sender.email:
        msg["From"] = f"{sender.name} <{sender.email}>"
    dues = [f.target.due for f in items if f.target.due]
    by = f", due by {_long_date(min(dues))}" if dues else ""
    marking = repo.config.reports.protective_marking
    subject = f"Quality assurance audit forms to complete ({len(items)}){by}"
    msg["Subject"] = f"{marking}: {subject}" if marking else subject
    msg.set_content(_render(repo, context))
    for f in items:
        msg.add_attachment(
            f.path.read_bytes(),
            maintype="application",
            subtype=XLSX_TYPE.split("/", 1)[1],
            filename=f.path.name,
        )
    return msg


def write_drafts(
    repo: Repository,
    forms: Sequence[ExportedForm],
    out_dir: Path,
    *,
    replace: bool = False,
) -> list[Path]:
    """One ``<staff id>.eml`` per person who fills in any of ``forms``, in ``out_dir``."""
    from ..safewrite import atomic_write

    by_person: dict[str, list[ExportedForm]] = {}
    for f in forms:
        for sid in f.target.recipients:
            by_person.setdefault(sid, []).append(f)
    leads = [s for s in repo.config.staff if "qa_lead" in s.roles and s.active]
    sender = leads[0] if leads else None
    paths = [out_dir / f"{sid}.eml" for sid in sorted(by_person)]
    if not replace:
        refuse_overwrite(
            paths,
            "draft(s)",
            "none was written",
            "move them first, or pass --replace to write over them",
        )
    for sid, path in zip(sorted(by_person), paths, strict=True):
        msg = draft(repo, sid, by_person[sid], sender)
        atomic_write(path, msg.as_bytes(policy=email.policy.SMTP))
    return paths
