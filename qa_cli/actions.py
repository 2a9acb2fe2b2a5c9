"""Action plans across all audits, and the three edits made to them: done, verify, acknowledge.

Actions live in audit returns (``qa/audit@1``, App. D), crib sheets (App. A) and the findings of
multi-agency audits (App. E). An action goes open -> done (by its owner) -> verified (by the QA
Auditor, App. D: "the QA Auditor will verify the action taken"). A safeguarding concern raised
by a return is acknowledged by the person it was escalated to.

Every edit is a minimal splice of the file's text (:mod:`qa_cli.yamledit`): only the changed
lines differ, comments and layout stay. It is checked by re-reading before an atomic write;
a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import pathguard, safewrite, yamledit, yamlio
from .errors import QAError
from .forgiving import forgive
from .layout import ACTION_KINDS, FILE_KINDS
from .masking import masked, shown_path
from .models.audit import Action, AuditReturn
from .models.common import BELOW_GOOD
from .models.config import QA_ROLES
from .repository import LoadedFile, Repository

SOURCE_NAMES = {k: FILE_KINDS[k].source for k in ACTION_KINDS}
_CASE = re.compile(r"^C-[0-9A-Z]{8,16}$", re.IGNORECASE)


@dataclass(frozen=True)
class ActionRow:
    """One action of one plan, with where it lives."""

    path: str
    source: str  # "audit" | "crib sheet" | "multi-agency"
    ref: str  # case code, or the multi-agency audit id
    team: str | None
    action: Action
    days_overdue: int  # > 0: open past its due date by that many days

    @property
    def overdue(self) -> bool:
        return self.action.status == "open" and self.days_overdue > 0

    def as_json(self) -> dict[str, Any]:
        """The row as `qa actions list --format json` prints it.

        ``days_overdue`` means what it means in `qa due`: days past the due date of an open
        action (negative: due in that many days), None once the action is done or verified.
        ``overdue_days`` is the old name (days overdue, else 0), kept for one release so
        scripts reading it can move over; it goes in the next release.
        """
        return {
            "path": self.path,
            "source": self.source,
            "ref": self.ref,
            "team": self.team,
            "days_overdue": self.days_overdue if self.action.status == "open" else None,
            "overdue_days": self.days_overdue if self.overdue else 0,
            **self.action.model_dump(mode="json", exclude_none=True),
        }


@dataclass
class EditResult:
    """What an edit did: the file, the lines changed, and what to say about it."""

    path: str
    changed_lines: list[int]
    message: str
    notes: list[str] = field(default_factory=list)


def _ref(lf: LoadedFile) -> str:
    """What the plan is about: the case code, or the multi-agency audit's id."""
    subject = FILE_KINDS[lf.kind or ""].subject
    assert subject is not None and lf.model is not None  # only kinds with a plan get here
    return subject(lf.model)


def _plan(lf: LoadedFile) -> list[Action]:
    return FILE_KINDS[lf.kind or ""].action_plan(lf.model)


def list_actions(
    repo: Repository,
    today: dt.date,
    *,
    open_only: bool = False,
    overdue_only: bool = False,
    owner: str | None = None,
) -> list[ActionRow]:
    """Every action of every valid plan, overdue first, then by due date."""
    rows: list[ActionRow] = []
    for kind in ACTION_KINDS:
        for lf in repo.of_kind(kind):
            for a in _plan(lf):
                rows.append(
                    ActionRow(
                        path=lf.rel,
                        source=SOURCE_NAMES[kind],
                        ref=_ref(lf),
                        team=getattr(lf.model, "team", None),
                        action=a,
                        days_overdue=(today - a.due).days,
                    )
                )
    if open_only:
        rows = [r for r in rows if r.action.status == "open"]
    if overdue_only:
        rows = [r for r in rows if r.overdue]
    if owner is not None:
        rows = [r for r in rows if r.action.owner == owner]
    rows.sort(
        key=lambda r: (
            not r.overdue,
            -r.days_overdue if r.overdue else 0,
            r.action.due,
            r.path,
            r.action.id,
        )
    )
    return rows


def resolve(
    repo: Repository, spec: str, cwd: Path | None = None, kinds: tuple[str, ...] = ACTION_KINDS
) -> LoadedFile:
    """The file ``spec`` names: a path (from ``cwd`` or the repository root), a case code, or a
    multi-agency audit id. Unknown or ambiguous is a :class:`QAError` saying what to give.

    A path must be a file of one of ``kinds`` (by default the kinds with an action plan)."""
    candidates: list[Path] = []
    p = Path(spec)
    for base in (cwd, repo.root):
        if base is not None:
            candidates.append(p if p.is_absolute() else base / p)
    by_path = {f.path.resolve(): f for f in repo.files}
    for c in candidates:
        if c.is_file() or c.is_symlink():
            lf = by_path.get(pathguard.user_path(repo.root, c, "the return").resolve())
            if lf is None:
                raise QAError(
                    f"{masked(spec, 'path')} is not a file of the audit repository at {repo.root}",
                    "give a return inside the repository, or pass --repo DIR",
                )
            return _usable(lf, kinds)
    matches: list[LoadedFile] = []
    if _CASE.match(spec):
        code = spec.upper()
        matches = [
            f
            for kind in ("qa/audit", "qa/crib-sheet")
            for f in repo.of_kind(kind)
            if getattr(f.model, "case", None) == code
        ]
    else:
        matches = [f for f in repo.of_kind("qa/multi-agency-findings") if _ref(f) == spec]
    if not matches:
        raise QAError(
            f"no audit return, crib sheet or multi-agency findings found for {shown_path(spec)}",
            "give the file's path (e.g. audits/2026-10/C-XXXXXXXX--single-agency-safeguarding"
            ".yaml, improvement/2026-10.yaml), a case code, or a multi-agency audit id; "
            "`qa actions list` shows them",
        )
    if len(matches) > 1:
        listed = "; ".join(f.rel for f in matches)
        raise QAError(
            f"{spec} is in {len(matches)} files: {listed}",
            "give the path of the one you mean instead of the case code",
        )
    return matches[0]


def _usable(lf: LoadedFile, kinds: tuple[str, ...]) -> LoadedFile:
    if lf.kind not in kinds and lf.kind is not None:
        raise QAError(
            f"{lf.rel} is a {lf.kind} file, which has no action plan",
            "give an audit return, a crib sheet, a multi-agency findings.yaml, an improvement "
            "plan, a team review or a team overview",
        )
    if lf.model is None:
        raise QAError(
            f"{lf.rel} does not pass validation, so qa will not edit it",
            f"run `qa validate {lf.rel}` and fix what it reports first",
        )
    return lf


def _find_action(lf: LoadedFile, action_id: str) -> tuple[tuple[str, int], Action]:
    """(the action's place: its list's key and index, the action)."""
    plan = _plan(lf)
    for key, items in FILE_KINDS[lf.kind or ""].action_lists(lf.model):
        for i, a in enumerate(items):
            if a.id == action_id:
                return (key, i), a
    known = ", ".join(a.id for a in plan) or "none"
    raise QAError(
        f"{lf.rel} has no action with {masked(action_id, 'id')} (its actions: {known})",
        "give one of the ids listed; ids are case-sensitive",
    )


def _member(repo: Repository, who: str, what: str, named: str) -> Any:
    """The staff member ``who`` from qa.yaml; else a QAError saying ``named`` is not one."""
    s = (repo.config.staff_by_id() if repo.config else {}).get(who)
    if s is None:
        raise QAError(
            f"{named} is not a staff id in qa.yaml",
            f"give the staff id of the person who {what} (as listed under staff: in qa.yaml)",
        )
    return s


def _staff(repo: Repository, who: str, what: str) -> Any:
    return _member(repo, who, what, f"--by: {masked(who)}")


def _write(
    repo: Repository,
    lf: LoadedFile,
    edits: list[yamledit.Edit],
    edit: Callable[..., bytes] = yamledit.edit_bytes,
) -> list[int]:
    """Splice the edits into the file as it is on disk now, check, and write atomically.

    ``edit`` is the splice: scalars (``edit_bytes``) or whole values (``set_values_bytes``).
    """
    path = repo.path_for_write(lf.rel)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise safewrite.os_error(exc, lf.rel, "read") from None
    try:
        # an action written on one line ({id: A1, ...}) is first written one key per line,
        # the form the blank return teaches, so the new keys can go under it
        items = sorted({e.path[:-1] for e in edits if len(e.path) > 1}, key=str)
        new = edit(yamledit.block_style_bytes(raw, items), edits, load := _reading_once())
    except yamledit.YamlEditError as exc:
        raise QAError(
            f"{lf.rel} could not be edited safely: {exc}",
            "make the change by hand in an editor, then run `qa validate`",
        ) from None
    text = yamlio.decode(new)
    assert isinstance(text, str)  # the bytes were read as UTF-8 before the edit
    data = load(text)  # the edit read back the text it made to check it: not parsed again
    assert isinstance(data, dict) and lf.model is not None
    try:
        type(lf.model).model_validate(forgive(type(lf.model), data)[0])
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise QAError(
            f"the change would make {lf.rel} invalid ({where}: {first['msg']}); "
            "nothing was written",
            f"run `qa validate {lf.rel}` and fix the file first",
        ) from None
    yamlio.atomic_write(path, new)
    old_text = yamlio.decode(raw)
    new_text = yamlio.decode(new)
    assert isinstance(old_text, str) and isinstance(new_text, str)
    return yamledit.changed_lines(old_text, new_text)


def _reading_once() -> Callable[[str], Any]:
    """``yamlio.load_text``, each text parsed once (the edit checks what it wrote)."""
    read: dict[str, Any] = {}

    def load(text: str) -> Any:
        if text not in read:
            read[text] = yamlio.load_text(text)
        return read[text]

    return load


def _refuse(message: str, hint: str) -> QAError:
    return QAError(message, hint, exit_code=1)


@dataclass(frozen=True)
class ActionStep:
    """A step of one action's life (done, then verified): which action of which return, on
    which day, with an optional note to record on it."""

    spec: str  # the return: its path, its case code or a multi-agency audit id
    action_id: str
    on: dt.date
    note: str | None = None
    cwd: Path | None = None  # where a relative path in ``spec`` starts

    def locate(self, repo: Repository) -> tuple[LoadedFile, tuple[str, int], Action]:
        """The return, where the action is in it, and the action."""
        lf = resolve(repo, self.spec, self.cwd)
        where, a = _find_action(lf, self.action_id)
        return lf, where, a

    def write(
        self, repo: Repository, lf: LoadedFile, where: tuple[str, int], **values: Any
    ) -> list[int]:
        """Set ``values`` (and the note, if any) on the action at ``where``; the changed lines."""
        edits = [yamledit.Edit((*where, key), value) for key, value in values.items()]
        if self.note:
            edits.append(yamledit.Edit((*where, "note"), self.note))
        return _write(repo, lf, edits)


def mark_done(repo: Repository, step: ActionStep) -> EditResult:
    """Record that an open action was done on ``step.on`` (status: done, done_on)."""
    lf, where, a = step.locate(repo)
    if a.status != "open":
        when = a.verified_on if a.status == "verified" else a.done_on
        raise _refuse(
            f"action {a.id} of {lf.rel} is already {a.status}"
            + (f" (on {when})" if when else "")
            + "; nothing was changed",
            "there is nothing to mark done; `qa actions list` shows the open ones",
        )
    lines = step.write(repo, lf, where, status="done", done_on=step.on)
    return EditResult(
        lf.rel,
        lines,
        f"Action {a.id} of {lf.rel} marked done on {step.on}.",
        [f"The QA Auditor verifies it next: `qa actions verify {lf.rel} {a.id} --by ID`."],
    )


def verify(repo: Repository, step: ActionStep, by: str) -> EditResult:
    """Record that a QA Auditor verified a done action (status: verified, verified_by/on)."""
    lf, where, a = step.locate(repo)
    on = step.on
    s = _staff(repo, by, "verified the action")
    if not set(s.roles) & QA_ROLES:
        raise _refuse(
            f"{by} has no QA role (qa_auditor or qa_lead), so cannot verify action {a.id}; "
            "nothing was changed",
            "actions are verified by the QA Auditor (App. D): give a QA team member's id",
        )
    if a.status == "open":
        raise _refuse(
            f"action {a.id} of {lf.rel} is not done yet, so it cannot be verified; "
            "nothing was changed",
            f"when it is done, record it first: `qa actions done {lf.rel} {a.id}`",
        )
    if a.status == "verified":
        raise _refuse(
            f"action {a.id} of {lf.rel} was already verified by {a.verified_by} on "
            f"{a.verified_on}; nothing was changed",
            "there is nothing more to do for this action",
        )
    if a.done_on is not None and on < a.done_on:
        raise _refuse(
            f"the verification date {on} is before the action was done ({a.done_on}); "
            "nothing was changed",
            "give --as-of with the date it was verified (on or after the day it was done)",
        )
    lines = step.write(repo, lf, where, status="verified", verified_by=by, verified_on=on)
    others = [x for x in _plan(lf) if x.id != a.id and x.status != "verified"]
    notes: list[str] = []
    if not others:
        notes.append(_all_verified_note(lf))
    else:
        notes.append(
            f"Still to verify in this file: {', '.join(f'{x.id} ({x.status})' for x in others)}."
        )
    return EditResult(lf.rel, lines, f"Action {a.id} of {lf.rel} verified by {by} on {on}.", notes)


def _all_verified_note(lf: LoadedFile) -> str:
    m = lf.model
    if not isinstance(m, AuditReturn):
        return f"All actions of {lf.rel} are now verified."
    if m.status == "closed":
        return "All actions of this return are verified; the return is closed."
    if m.overall_grade in BELOW_GOOD and m.qa_review is None:
        return (
            "All actions of this return are verified; it still needs its QA review "
            "before it can be closed."
        )
    if not m.at_least("returned"):
        return "All actions of this return are verified; the return itself is not in yet."
    return (
        "All actions of this return are verified: it is ready to close "
        "(set `status: closed` in the file)."
    )


def acknowledge(
    repo: Repository, spec: str, by: str, on: dt.date, cwd: Path | None = None
) -> EditResult:
    """Record who acknowledged a return's safeguarding concern, and when."""
    lf = resolve(repo, spec, cwd)
    sc = lf.model.safeguarding_concern if isinstance(lf.model, AuditReturn) else None
    if sc is None:
        raise _refuse(
            f"{lf.rel} raises no safeguarding concern; nothing was changed",
            "check the file: `qa due` lists the returns with a concern at the top",
        )
    if sc.acknowledged_on is not None:
        raise _refuse(
            f"the safeguarding concern of {lf.rel} was already acknowledged by "
            f"{sc.acknowledged_by} on {sc.acknowledged_on}; nothing was changed",
            "there is nothing more to record here",
        )
    _staff(repo, by, "acknowledged the concern")
    if on < sc.escalated_on:
        raise _refuse(
            f"the acknowledgement date {on} is before the concern was escalated "
            f"({sc.escalated_on}); nothing was changed",
            "give --as-of with the date it was acknowledged",
        )
    lines = _write(
        repo,
        lf,
        [
            yamledit.Edit(("safeguarding_concern", "acknowledged_by"), by),
            yamledit.Edit(("safeguarding_concern", "acknowledged_on"), on),
        ],
    )
    return EditResult(
        lf.rel,
        lines,
        f"Safeguarding concern of {lf.rel} acknowledged by {by} on {on}.",
    )


# --- shared with qa_cli.review (the other commands that edit returns) -------------------------


def staff_member(repo: Repository, who: str, what: str, option: str = "--by") -> Any:
    """The staff member ``who`` from qa.yaml, or a QAError naming ``option``."""
    return _member(repo, who, what, f"{option} {who!r}")


def write_edits(repo: Repository, lf: LoadedFile, edits: list[yamledit.Edit]) -> list[int]:
    """Set whole values (mappings and lists too) in the file on disk through the
    byte-preserving path, check it still validates, write atomically."""
    return _write(repo, lf, edits, yamledit.set_values_bytes)
