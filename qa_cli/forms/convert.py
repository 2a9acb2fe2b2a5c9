"""Turn a form's cells into the return's values, and say (by cell) what does not fit.

Messages never repeat what was typed: a cell can hold a child's details by mistake, so a
problem names the cell, the question and what is allowed, never the value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..answers import split_answer
from ..models.tool import Question, Tool
from . import layout as L
from .reader import Cell, FormData

_ACTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
_SLASHED = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$")


@dataclass(frozen=True)
class Problem:
    """Something wrong in a form, at a cell (``where``), with a rule code of ``qa validate``."""

    where: str
    code: str
    message: str
    hint: str | None = None
    severity: str = "error"


class Unfit(Exception):
    """A cell's value does not fit; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Desired:
    """What the form says the return should hold, and which cell each part came from."""

    values: dict[str, Any] = field(default_factory=dict)  # top-level key -> value
    cells: dict[tuple[str | int, ...], str] = field(default_factory=dict)  # path -> cell
    problems: list[Problem] = field(default_factory=list)
    bad_paths: set[tuple[str | int, ...]] = field(default_factory=set)
    # the return as it stands, read once: a valid file parses its text on each read of .data
    now: dict[str, Any] = field(default_factory=dict)


def _unfit(cell: Cell, code: str, message: str, hint: str | None = None) -> Unfit:
    return Unfit(Problem(cell.where, code, message, hint))


def as_date(cell: Cell, what: str) -> dt.date | None:
    v = cell.value
    if cell.blank:
        return None
    if cell.formula:
        raise _unfit(cell, "QA104", f"{what}: the cell holds a formula, not a date", "type a date")
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    text = str(v).strip()
    if _SLASHED.match(text):
        raise _unfit(
            cell,
            "QA105",
            f"{what}: the date is typed as text in day/month order, which UK and US read "
            "differently",
            "type it as YYYY-MM-DD (e.g. 2026-12-31) or pick it from the calendar",
        )
    try:
        if len(text) not in (10, 19):  # a date, or a date with a midnight time
            raise ValueError(text)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise _unfit(
            cell, "QA104", f"{what}: this is not a date", "type a date as YYYY-MM-DD"
        ) from None


def as_text(cell: Cell, what: str) -> str | None:
    if cell.blank:
        return None
    if cell.formula:
        raise _unfit(cell, "QA103", f"{what}: the cell holds a formula", "type the text itself")
    v = cell.value
    if isinstance(v, dt.datetime | dt.date):
        return (v.date() if isinstance(v, dt.datetime) else v).isoformat()
    text = str(v).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def as_choice(cell: Cell, options: list[L.Choice], what: str, code: str = "QA303") -> str | None:
    if cell.blank:
        return None
    value = L.value_of(options, str(cell.value)) if not cell.formula else None
    if value is None:
        raise _unfit(
            cell,
            code,
            f"{what}: the value typed over the drop-down is not one of its choices",
            "choose one of: " + ", ".join(c.word for c in options),
        )
    return value


def as_staff(cell: Cell, staff: dict[str, str], what: str) -> str | None:
    if cell.blank:
        return None
    text = " ".join(str(cell.value).split()).casefold()
    for sid, label in staff.items():
        if text in (sid.casefold(), label.casefold()):
            return sid
    raise _unfit(
        cell,
        "QA401",
        f"{what}: not a member of staff in qa.yaml",
        "choose a name from the drop-down list",
    )


def answer_value(q: Question, cell: Cell, staff: dict[str, str]) -> Any:
    """An answer cell as the value the YAML holds for question ``q``."""
    what = f"`{q.id}`"
    opts = L.choices(q)
    if opts is not None:
        return as_choice(cell, opts, what)
    if cell.blank:
        return None
    if q.type == "multi_choice":
        options = [L.Choice(o, L.humanise(o)) for o in q.options or []]
        parts = [p for p in re.split(r"[,;\n]", str(cell.value)) if p.strip()]
        out = [as_choice(Cell(cell.sheet, cell.ref, p), options, what) for p in parts]
        return [v for v in out if v is not None]
    if q.type == "date":
        d = as_date(cell, what)
        return d.isoformat() if d else None
    if q.type == "number":
        return _number(cell, what)
    if q.type == "staff":
        return as_staff(cell, staff, what)
    return as_text(cell, what)


def _number(cell: Cell, what: str) -> int | float:
    v = cell.value
    if isinstance(v, bool) or cell.formula:
        raise _unfit(cell, "QA303", f"{what}: expected a number", "type digits only, e.g. 150")
    if isinstance(v, int | float):
        return int(v) if isinstance(v, float) and v.is_integer() else v
    try:
        n = float(str(v).replace(",", "").strip())
    except ValueError:
        raise _unfit(
            cell, "QA303", f"{what}: this is not a number", "type digits only, e.g. 150.50"
        ) from None
    return int(n) if n.is_integer() else n


def _guard(d: Desired, path: tuple[str | int, ...], fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, or (recording the problem) a marker that the return keeps its value."""
    try:
        return fn(*args)
    except Unfit as exc:
        d.problems.append(exc.problem)
        d.bad_paths.add(path)
        return _KEEP


_KEEP = object()  # a value that did not fit: the return keeps what it had


def answers(
    form: FormData, tool: Tool, current: dict[str, Any], staff: dict[str, str], d: Desired
) -> bool:
    """Fill ``d.values['answers']``; True when any answer is given."""
    out = dict(current)
    given = False
    for qid, q in tool.questions().items():
        if qid not in form.answers:
            continue
        a_cell, c_cell = form.answers[qid]
        path: tuple[str | int, ...] = ("answers", qid)
        d.cells[path] = a_cell.where
        d.cells[(*path, "comment")] = c_cell.where
        value = _guard(d, path, answer_value, q, a_cell, staff)
        comment = _guard(d, path, as_text, c_cell, f"`{q.id}` comment")
        if value is _KEEP or comment is _KEEP:
            continue
        given = given or value is not None or comment is not None
        old_value, old_comment, _ = split_answer(q, current.get(qid))
        if (value, comment) == (old_value, old_comment):
            continue
        if value is None and comment is None and qid not in current:
            continue
        out[qid] = {"answer": value, "comment": comment} if comment is not None else value
    d.values["answers"] = out
    return given


def header(
    form: FormData, kind: str, current: dict[str, Any], staff: dict[str, str], d: Desired
) -> None:
    """Completed, grade, strengths and areas for improvement."""
    grade_key = "grade" if kind == "qa/agency-return" else "overall_grade"
    specs: list[tuple[str, str, Callable[[Cell], Any]]] = [
        (
            "completed",
            L.LABEL_COMPLETED,
            lambda c: (lambda x: x.isoformat() if x else None)(as_date(c, "Completed")),
        ),
        (
            grade_key,
            L.LABEL_GRADE,
            lambda c: as_choice(c, L.grade_choices(), "Overall grade", "QA106"),
        ),
        ("strengths", L.LABEL_STRENGTHS, lambda c: as_text(c, "Strengths")),
        ("areas_for_improvement", L.LABEL_AREAS, lambda c: as_text(c, "Areas for improvement")),
    ]
    for key, label, fn in specs:
        cell = form.fields.get(label)
        if cell is None:
            continue
        d.cells[(key,)] = cell.where
        value = _guard(d, (key,), fn, cell)
        if value is _KEEP or _same_value(value, current.get(key)):
            continue
        d.values[key] = value


def _same_value(a: Any, b: Any) -> bool:
    return str(a) == str(b) if a is not None and b is not None else a is b


def concern(form: FormData, current: dict[str, Any], staff: dict[str, str], d: Desired) -> None:
    """The safeguarding concern: all four cells, or none of them."""
    labels = {
        "found": (L.LABEL_SG_FOUND, lambda c: as_date(c, "Safeguarding concern: found on")),
        "description": (L.LABEL_SG_WHAT, lambda c: as_text(c, "Safeguarding concern")),
        "escalated_to": (L.LABEL_SG_TO, lambda c: as_staff(c, staff, "Escalated to")),
        "escalated_on": (L.LABEL_SG_ON, lambda c: as_date(c, "Escalated on")),
    }
    cells = {k: form.fields.get(label) for k, (label, _) in labels.items()}
    if any(c is None for c in cells.values()) or all(c.blank for c in cells.values() if c):
        return
    path: tuple[str | int, ...] = ("safeguarding_concern",)
    d.cells[path] = next(c.where for c in cells.values() if c is not None)
    old = current.get("safeguarding_concern") or {}
    new = dict(old) if isinstance(old, dict) else {}
    for key, (label, fn) in labels.items():
        cell = cells[key]
        assert cell is not None
        if cell.blank:
            d.problems.append(
                Problem(
                    cell.where,
                    "QA102",
                    f"{label} is empty, but the other safeguarding concern cells are filled in",
                    "fill in all four safeguarding concern cells, or none of them",
                )
            )
            d.bad_paths.add(path)
            continue
        value = _guard(d, path, fn, cell)
        if value is not _KEEP:
            new[key] = value.isoformat() if isinstance(value, dt.date) else value
    if path not in d.bad_paths and not _same_dict(new, old):
        d.values["safeguarding_concern"] = new


def _same_dict(a: dict[str, Any], b: Any) -> bool:
    return isinstance(b, dict) and {k: str(v) for k, v in a.items()} == {
        k: str(v) for k, v in b.items()
    }


def _action_row(row: dict[str, Cell], staff: dict[str, str]) -> tuple[str | None, dict[str, Any]]:
    """(the id typed, the fields of the action) of one row of the Actions sheet."""
    blank = Cell("Actions", "A1", None)
    id_cell = row.get("Id", blank)
    action_id = None if id_cell.blank else str(id_cell.value).strip()
    if action_id is not None and not _ACTION_ID.match(action_id):
        raise _unfit(
            id_cell,
            "QA107",
            "Id: not an action id",
            "use letters and digits, e.g. A3, or leave it blank",
        )
    fields: dict[str, Any] = {}
    for name in ("Action", "Owner", "Due"):
        cell = row.get(name, blank)
        if cell.blank:
            raise _unfit(cell, "QA102", f"{name} is empty on an action row", f"fill in {name}")
    fields["action"] = as_text(row["Action"], "Action")
    fields["owner"] = as_staff(row["Owner"], staff, "Owner")
    due = as_date(row["Due"], "Due")
    fields["due"] = due.isoformat() if due else None
    re_audit = as_date(row.get("Re-audit", blank), "Re-audit")
    if re_audit is not None:
        fields["re_audit"] = re_audit.isoformat()
    return action_id, fields


def actions(form: FormData, current: list[Any], staff: dict[str, str], d: Desired) -> None:
    """Update open actions by id and add new ones, numbered after the last."""
    out = [dict(a) if isinstance(a, dict) else a for a in current]
    index = {str(a.get("id")): i for i, a in enumerate(out) if isinstance(a, dict)}
    used = set(index)
    rows: list[tuple[dict[str, Cell], str | None, dict[str, Any]]] = []
    for row in form.actions:
        where = row.get("Action", next(iter(row.values()))).where
        try:
            action_id, fields = _action_row(row, staff)
        except Unfit as exc:
            d.problems.append(exc.problem)
            d.bad_paths.add(("actions",))
            continue
        if action_id in index:
            i = index[action_id]
            if out[i].get("status", "open") == "open":
                out[i].update(fields)
                d.cells[("actions", i)] = where
            continue
        if action_id is not None and action_id in used:
            d.problems.append(Problem(where, "QA108", f"action id {action_id} is used twice"))
            continue
        if action_id is not None:
            used.add(action_id)
        rows.append((row, action_id, fields))
    n = 1
    for row, action_id, fields in rows:
        while action_id is None and f"A{n}" in used:
            n += 1
        new_id = action_id or f"A{n}"
        used.add(new_id)
        d.cells[("actions", len(out))] = row.get("Action", next(iter(row.values()))).where
        out.append({"id": new_id, **fields, "status": "open"})
    if ("actions",) not in d.bad_paths and out != current:
        d.values["actions"] = out
