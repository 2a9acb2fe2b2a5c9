"""Read a filled form back: its provenance, and every value with the cell it came from.

Cells are found by their labels and header texts (``Question id``, ``Answer``, ...), not by
fixed addresses, so a form made by an older ``qa`` still reads. Nothing is interpreted here
beyond that: :mod:`.importer` turns values into answers and reports what does not fit.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..errors import QAError
from . import layout as L


@dataclass(frozen=True)
class Cell:
    """A value read from the form and where it was: ``Return!D14``."""

    sheet: str
    ref: str
    value: Any
    formula: bool = False

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.ref}"

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass
class FormData:
    """Everything a form holds: provenance, header fields, answers and the action plan."""

    name: str
    meta: dict[str, str]
    snapshot: dict[str, Any]
    fields: dict[str, Cell] = field(default_factory=dict)  # by label
    answers: dict[str, tuple[Cell, Cell]] = field(default_factory=dict)  # id -> (answer, comment)
    actions: list[dict[str, Cell]] = field(default_factory=list)  # by header text


def _not_a_form(name: str, why: str) -> QAError:
    return QAError(
        f"{name} is not a qa form ({why}); nothing was read from it",
        "import the workbook `qa form export` wrote (an .xlsx with Return and Actions sheets), "
        "or the e-mail it came back in",
        exit_code=1,
    )


def _cell(ws: Any, row: int, col: int) -> Cell:
    c = ws.cell(row=row, column=col)
    value = c.value
    formula = c.data_type == "f" or (isinstance(value, str) and value.startswith("="))
    if isinstance(value, str) and not formula:
        value = value.strip()
    return Cell(ws.title, c.coordinate, value, formula)


def _meta(wb: Any, name: str) -> tuple[dict[str, str], dict[str, Any]]:
    if L.META_SHEET not in wb.sheetnames or L.RETURN_SHEET not in wb.sheetnames:
        raise _not_a_form(name, "it has no qa-form sheet")
    meta: dict[str, str] = {}
    chunks: list[str] = []
    for key, value in wb[L.META_SHEET].iter_rows(max_col=2, values_only=True):
        if key == "snapshot":
            chunks.append(str(value or ""))
        elif isinstance(key, str):
            meta[key] = "" if value is None else str(value)
    if meta.get("format") != L.FORMAT or not meta.get("path"):
        raise _not_a_form(name, "its qa-form sheet is not one qa wrote")
    try:
        snapshot = json.loads("".join(chunks)) if chunks else {}
    except ValueError:
        raise _not_a_form(name, "its record of the return at export is damaged") from None
    return meta, snapshot if isinstance(snapshot, dict) else {}


def _return_sheet(ws: Any, form: FormData, question_ids: set[str]) -> None:
    header = None
    for row in range(1, ws.max_row + 1):
        label = ws.cell(row=row, column=1).value
        if label == L.QUESTION_HEADERS[0]:
            header = row
            break
        if isinstance(label, str) and label.strip():
            form.fields[label.strip()] = _cell(ws, row, L.VALUE_COL)
    if header is None:
        raise _not_a_form(form.name, "its Return sheet has no `Question id` header row")
    cols = {ws.cell(row=header, column=c).value: c for c in range(1, ws.max_column + 1)}
    answer_col = cols.get("Answer", L.ANSWER_COL)
    comment_col = cols.get("Comment", L.COMMENT_COL)
    for row in range(header + 1, ws.max_row + 1):
        qid = ws.cell(row=row, column=1).value
        if isinstance(qid, str) and qid.strip() in question_ids:
            form.answers[qid.strip()] = (_cell(ws, row, answer_col), _cell(ws, row, comment_col))


def _actions_sheet(ws: Any, form: FormData) -> None:
    header = None
    for row in range(1, min(ws.max_row, 20) + 1):
        if ws.cell(row=row, column=1).value == L.ACTION_HEADERS[0]:
            header = row
            break
    if header is None:
        return
    cols = {ws.cell(row=header, column=c).value: c for c in range(1, ws.max_column + 1)}
    for row in range(header + 1, ws.max_row + 1):
        cells = {name: _cell(ws, row, cols[name]) for name in L.ACTION_HEADERS if name in cols}
        if any(not c.blank for name, c in cells.items() if name != "Id"):
            form.actions.append(cells)


def read_form(data: bytes, name: str, question_ids: Any = None) -> FormData:
    """Read a form's bytes; ``question_ids`` (a callable from the tool ref to the question ids
    of that tool) tells answer rows from section titles."""
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _not_a_form(name, "it is not an Excel .xlsx workbook")
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        raise _not_a_form(name, "the workbook is damaged or was not saved by Excel") from None
    meta, snapshot = _meta(wb, name)
    form = FormData(name=name, meta=meta, snapshot=snapshot)
    ids = set(question_ids(meta.get("tool", ""))) if question_ids else set()
    _return_sheet(wb[L.RETURN_SHEET], form, ids)
    if L.ACTIONS_SHEET in wb.sheetnames:
        _actions_sheet(wb[L.ACTIONS_SHEET], form)
    return form
