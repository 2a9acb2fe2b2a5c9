"""Read filled forms back into their YAML returns, through the byte-preserving edit path.

For each form: check it is a qa form for a return of this repository; turn its cells into
values (:mod:`.convert`); compare with the return as it is now (nothing to change: done);
refuse a stale form (the return changed since export) unless forced; splice the changes into
the file (:func:`qa_cli.yamledit.set_values_bytes`: comments and layout stay); validate the
result with the same rules as ``qa validate``, pointing each finding at its cell; and write
it atomically only when nothing is wrong (or, with ``partial``, the parts that are right).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .. import safewrite, yamledit, yamlio
from ..errors import QAError
from ..layout import RETURN_MODELS
from ..models.tool import Tool
from ..repository import LoadedFile, Repository, load_file
from . import convert
from . import layout as L
from .convert import Desired, Problem
from .export import digest, staff_labels
from .reader import FormData, read_form
from .select import FORM_KINDS

OPEN = ("allocated", "in_progress")


@dataclass
class ImportResult:
    """What importing one form did."""

    form: str
    rel: str
    outcome: str  # "written" | "unchanged" | "not written" | "partly written"
    problems: list[Problem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # the fields that changed
    status: str | None = None

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def _refuse(message: str, hint: str) -> QAError:
    return QAError(message, hint, exit_code=1)


def _return_of(repo: Repository, form: FormData) -> LoadedFile:
    rel = form.meta["path"]
    pure = PurePosixPath(rel)
    case = form.meta.get("case", "?")
    if pure.is_absolute() or ".." in pure.parts:
        raise _refuse(f"{form.name}: the form names a file outside the repository", "re-export")
    lf = next((f for f in repo.files if f.rel == rel), None)
    if lf is None:
        raise _refuse(
            f"{form.name}: the form is for case {case} ({rel}), which is not in this repository",
            "import it into the repository it was exported from (pass --repo DIR)",
        )
    if lf.kind not in FORM_KINDS or lf.model is None:
        raise _refuse(
            f"{form.name}: {rel} does not pass validation, so qa will not edit it",
            f"run `qa validate {rel}`, fix what it reports, then import again",
        )
    if getattr(lf.model, "case", None) != case:
        raise _refuse(
            f"{form.name}: the form is for case {case} but {rel} now holds another case",
            "export a new form for the return and fill that in",
        )
    return lf


def differing_fields(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """The names (never the values) of what differs: top-level keys, answers by id."""
    out: list[str] = []
    for key in sorted(set(before) | set(now), key=lambda k: (k != "answers", k)):
        a, b = before.get(key), now.get(key)
        if key == "answers" and isinstance(a, dict) and isinstance(b, dict):
            out += [f"answers.{q}" for q in sorted(set(a) | set(b)) if a.get(q) != b.get(q)]
        elif a != b:
            out.append(key)
    return out


_FORWARD = {"allocated": ("in_progress", "returned"), "in_progress": ("returned",)}


def conflicts(form: FormData, d: Desired, now: dict[str, Any]) -> list[str]:
    """The fields changed since export that the form does not agree with.

    A change the form itself explains (the same form imported before, then filled in
    further; a status moved forward by an import) is not a conflict; comments and layout
    never are, since the edit is spliced into the file as it is now.
    """
    out: list[str] = []
    answers = d.values.get("answers", {})
    for name in differing_fields(form.snapshot, now):
        if name.startswith("answers."):
            qid = name.split(".", 1)[1]
            same = _norm(answers.get(qid)) == _norm((now.get("answers") or {}).get(qid))
            if qid in form.answers and ("answers", qid) not in d.bad_paths and same:
                continue
        elif name == "status":
            if now.get("status") in _FORWARD.get(str(form.snapshot.get("status")), ()):
                continue
        elif (name,) in d.cells and (name,) not in d.bad_paths:
            if _norm(d.values.get(name, now.get(name))) == _norm(now.get(name)):
                continue
        out.append(name)
    return out


def _desired(form: FormData, lf: LoadedFile, tool: Tool, staff: dict[str, str]) -> Desired:
    data = lf.data or {}
    d = Desired(now=data)
    convert.answers(form, tool, data.get("answers") or {}, staff, d)
    convert.header(form, str(lf.kind), data, staff, d)
    if lf.kind == "qa/audit":
        convert.concern(form, data, staff, d)
        convert.actions(form, list(data.get("actions") or []), staff, d)
    completed = d.values.get("completed", data.get("completed"))
    if data.get("status") in OPEN and completed and ("completed",) not in d.bad_paths:
        d.values["status"] = "returned"  # a Completed date says the form is finished
    return d


def _norm(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True, ensure_ascii=False)


def _edits(
    d: Desired, data: dict[str, Any], skip: set[tuple[str | int, ...]], returned: bool
) -> list[yamledit.Edit]:
    """The edits that bring the return to what the form says, leaving out ``skip`` paths."""
    values = dict(d.values)
    answers = dict(values.get("answers") or {})
    for path in skip:
        if len(path) == 2 and path[0] == "answers":
            old = (data.get("answers") or {}).get(path[1])
            if path[1] in (data.get("answers") or {}):
                answers[str(path[1])] = old
            else:
                answers.pop(str(path[1]), None)
        elif len(path) == 1:
            values.pop(str(path[0]), None)
    if "answers" in values:
        values["answers"] = answers
    if not returned:
        values.pop("status", None)
    edits = [
        yamledit.Edit((key,), value)
        for key, value in values.items()
        if _norm(value) != _norm(data.get(key))
    ]
    if edits and data.get("status") == "allocated" and "status" not in values:
        edits.append(yamledit.Edit(("status",), "in_progress"))
    return edits


def _validate(repo: Repository, lf: LoadedFile, raw: bytes) -> tuple[LoadedFile, list[Any]]:
    """The edited file as the validator sees it, and its findings."""
    from ..validation.engine import validate_repository

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / lf.path.name
        path.write_bytes(raw)
        new = load_file(path, Path(tmp))
    new.path, new.rel = lf.path, lf.rel
    files = [new if f is lf else f for f in repo.files]
    trial = Repository(
        root=repo.root,
        files=files,
        config_or_none=repo.config_or_none,
        config_file=repo.config_file,
    )
    trial.selected = [new]
    report = validate_repository(trial)
    return new, [x for x in report.sorted() if x.path == lf.rel]


def _line_spans(text: str) -> dict[tuple[str | int, ...], tuple[int, int]]:
    """First and last line (1-based) of each top-level value, answer and action."""
    node = yamledit._compose(text)
    out: dict[tuple[str | int, ...], tuple[int, int]] = {}

    def span(key: Any, value: Any) -> tuple[int, int]:
        end = yamledit._value_end(text, value)
        return key.start_mark.line + 1, text.count("\n", 0, end) + 1

    for k, v in node.value:
        out[(k.value,)] = span(k, v)
        if k.value == "answers" and hasattr(v, "value") and isinstance(v.value, list):
            for qk, qv in v.value:
                out[("answers", qk.value)] = span(qk, qv)
        if k.value == "actions" and isinstance(v.value, list):
            for i, item in enumerate(v.value):
                out[("actions", i)] = span(item, item)
    return out


_CODE_FIELD = {"QA307": ("overall_grade", "grade"), "QA409": ("completed",)}


def _cell_of(diag: Any, d: Desired, spans: dict[tuple[str | int, ...], tuple[int, int]]) -> str:
    for key in _CODE_FIELD.get(diag.code, ()):
        if (key,) in d.cells:
            return d.cells[(key,)]
    if diag.message.startswith("`"):
        qid = diag.message[1:].split("`", 1)[0].split(".")[0]
        if diag.code == "QA305" and ("answers", qid, "comment") in d.cells:
            return d.cells[("answers", qid, "comment")]
        if ("answers", qid) in d.cells:
            return d.cells[("answers", qid)]
    best: tuple[int, str] | None = None
    for path, (first, last) in spans.items():
        if first <= diag.line <= last and path in d.cells:
            size = last - first
            if best is None or size < best[0]:
                best = (size, d.cells[path])
    if best is not None:
        return best[1]
    return "Actions" if diag.code == "QA404" else "Return"


_FORM_HINTS = {
    "QA304": "answer it in its Answer cell",
    "QA305": "write in the Comment cell why, and any action needed",
    "QA306": "clear the Answer cell: the question does not apply given the earlier answer",
    "QA307": "choose the Overall grade at the top of the Return sheet",
    "QA404": "add the action plan on the Actions sheet",
    "QA409": "fill in the Completed date at the top of the Return sheet",
}


def _form_hint(diag: Any, tool: Tool) -> str | None:
    """The fix in the form's terms (cells, drop-down words) rather than the YAML's."""
    hint = _FORM_HINTS.get(diag.code, diag.hint)
    qid = diag.message[1:].split("`", 1)[0] if diag.message.startswith("`") else None
    q = tool.questions().get(qid or "")
    options = L.choices(q) if q is not None else None
    if options and diag.code in ("QA303", "QA304"):
        hint = f"{hint}; " if diag.code == "QA304" else ""
        hint += "choose one of: " + ", ".join(c.word for c in options)
    return hint


def _attempt(
    repo: Repository, lf: LoadedFile, d: Desired, skip: set[tuple[str | int, ...]], returned: bool
) -> tuple[bytes | None, list[Problem], list[str]]:
    """The edited file's bytes (None: nothing to change), its problems by cell, what changed."""
    edits = _edits(d, d.now, skip, returned)
    if not edits:
        return None, [], []
    raw = lf.path.read_bytes()
    try:
        new_raw = yamledit.set_values_bytes(raw, edits, yamlio.load_text)
    except yamledit.YamlEditError as exc:
        raise _refuse(
            f"{lf.rel} could not be edited safely ({exc}); nothing was written",
            "copy the answers into the YAML file by hand, then run `qa validate`",
        ) from None
    new, diags = _validate(repo, lf, new_raw)
    spans = _line_spans(new.text or "")
    tool = repo.tools[getattr(lf.model, "tool", "")]
    problems = [
        Problem(_cell_of(x, d, spans), x.code, x.message, _form_hint(x, tool), x.severity)
        for x in diags
    ]
    return new_raw, problems, [".".join(map(str, e.path)) for e in edits]


def import_form(
    repo: Repository,
    data: bytes,
    name: str,
    *,
    force: bool = False,
    partial: bool = False,
    today: dt.date | None = None,
) -> ImportResult:
    """Import one filled form (the bytes of an .xlsx) into its return."""
    tools = repo.tools
    form = read_form(data, name, lambda ref: list(tools[ref].questions()) if ref in tools else [])
    lf = _return_of(repo, form)
    m = lf.model
    assert isinstance(m, RETURN_MODELS)  # forms are made of returns only
    tool = tools.get(m.tool)
    if tool is None or m.tool != form.meta.get("tool"):
        raise _refuse(
            f"{name}: the form was made for tool {form.meta.get('tool')} but {lf.rel} now "
            f"uses {m.tool}",
            "export a new form for the return and copy the answers across",
        )
    d = _desired(form, lf, tool, staff_labels(repo.config))
    result = ImportResult(form=name, rel=lf.rel, outcome="unchanged", problems=list(d.problems))
    returned = d.values.get("status") == "returned"
    if not _edits(d, d.now, set(), returned) and not d.problems:
        result.status = d.now.get("status")
        return result
    stale = digest(lf.path.read_bytes()) != form.meta.get("digest")
    fields = conflicts(form, d, d.now) if stale else []
    if fields and not force:
        raise _refuse(
            f"{name}: {lf.rel} has changed since the form was exported "
            f"(changed: {', '.join(fields)}); nothing was written",
            "export a new form and copy the answers across, or pass --force to put the form's "
            "values over the changes",
        )
    return _write(repo, lf, d, result, partial)


def _write(
    repo: Repository, lf: LoadedFile, d: Desired, result: ImportResult, partial: bool
) -> ImportResult:
    returned = d.values.get("status") == "returned"
    new_raw, problems, changed = _attempt(repo, lf, d, d.bad_paths, returned)
    errors = [p for p in problems if p.severity == "error"]
    if (errors or d.problems) and not partial:
        result.problems += problems
        result.outcome = "not written"
        return result
    if errors or d.problems:
        result.problems += problems
        new_raw, problems, changed = _attempt(repo, lf, d, d.bad_paths, False)
        if any(p.severity == "error" for p in problems):
            result.outcome = "not written"
            return result
        result.outcome = "partly written"
    else:
        result.problems += problems
        result.outcome = "written"
    result.status = d.now.get("status")
    if new_raw is not None:
        safewrite.atomic_write(lf.path, new_raw)
        text = yamlio.decode(new_raw)
        after = yamlio.load_text(text) if isinstance(text, str) else None
        if isinstance(after, dict):
            result.status = after.get("status")
    result.changed = changed
    return result
