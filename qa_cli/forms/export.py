"""Write a return as an Excel form: questions with drop-downs, an action plan, provenance.

Only the cells a person fills in are unlocked; the sheets are protected without a password
so the structure is not changed by accident (anyone can lift it, nobody does it by mistake).
The hidden ``qa-form`` sheet says which file the form came from, at which tool version, and
the file's digest and content at export, so ``qa form import`` can tell a stale form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..answers import split_answer
from ..errors import QAError
from ..models.config import Config
from ..models.tool import Question, Tool
from ..repository import Repository
from . import layout as L
from .select import Target

INPUT_FILL = "FFF2CC"  # pale yellow: the cells to fill in
HEADER_FILL = "1F4E78"
SECTION_FILL = "DDEBF7"
NOT_NEEDED_FILL = "EDEDED"
WIDTHS = {"A": 24, "B": 48, "C": 56, "D": 26, "E": 44}
ACTION_WIDTHS = {"A": 8, "B": 60, "C": 28, "D": 14, "E": 14, "F": 16}
BLANK_ACTION_ROWS = 10
DATE_FORMAT = "yyyy-mm-dd"
FONT = "Calibri"  # Excel's default; LibreOffice shows it as the metric-compatible Carlito
SNAPSHOT_CHUNK = 30_000  # under Excel's 32,767 characters a cell


@dataclass(frozen=True)
class ExportedForm:
    target: Target
    path: Path


def digest(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def staff_labels(config: Config | None) -> dict[str, str]:
    """Staff id -> the name the form shows (the id added only where two share a name)."""
    if config is None:
        return {}
    people = [s for s in config.staff if s.active]
    names = [s.name for s in people]
    return {s.id: s.name if names.count(s.name) == 1 else f"{s.name} ({s.id})" for s in people}


class _Lists:
    """The hidden sheet of drop-down lists; one column per distinct list."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ranges: dict[tuple[str, ...], str] = {}

    def range_of(self, words: Sequence[str]) -> str:
        from openpyxl.utils import get_column_letter

        key = tuple(words)
        if key not in self.ranges:
            col = len(self.ranges) + 1
            for i, w in enumerate(words, start=1):
                self.ws.cell(row=i, column=col).value = w
            letter = get_column_letter(col)
            self.ranges[key] = f"{L.LISTS_SHEET}!${letter}$1:${letter}${max(len(words), 1)}"
        return self.ranges[key]


class _Sheet:
    """Cell helpers for one protected sheet: text, inputs, drop-downs, dates."""

    def __init__(self, ws: Any, lists: _Lists) -> None:
        self.ws = ws
        self.lists = lists
        self.validations: dict[str, Any] = {}

    def text(self, ref: str, value: Any, *, bold: bool = False, wrap: bool = True) -> Any:
        from openpyxl.styles import Alignment

        from ..reports.excel import put

        cell = self.ws[ref]
        put(self.ws, cell.row, cell.column, value)
        cell.alignment = Alignment(wrap_text=wrap, vertical="top", horizontal="left")
        if bold:
            cell.font = _font(bold=True)
        return cell

    def input(self, ref: str, value: Any = None, *, date: bool = False) -> Any:
        from openpyxl.styles import Border, PatternFill, Protection, Side

        cell = self.text(ref, value)
        cell.protection = Protection(locked=False)
        cell.fill = PatternFill("solid", fgColor=INPUT_FILL)
        side = Side(style="thin", color="BFBFBF")
        cell.border = Border(left=side, right=side, top=side, bottom=side)
        if date:
            cell.number_format = DATE_FORMAT
            self._validate(ref, "date", None)
        return cell

    def dropdown(self, ref: str, words: Sequence[str]) -> None:
        self._validate(ref, "list", self.lists.range_of(words))

    def _validate(self, ref: str, kind: str, formula: str | None) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        key = f"{kind}:{formula}"
        dv = self.validations.get(key)
        if dv is None:
            if kind == "date":
                dv = DataValidation(
                    type="date",
                    operator="greaterThan",
                    formula1="36526",  # 2000-01-01
                    errorTitle="Not a date",
                    error="Type a date, for example 2026-12-31.",
                )
            else:
                dv = DataValidation(
                    type="list",
                    formula1=formula,
                    errorTitle="Not one of the choices",
                    error="Choose a value from the drop-down list.",
                )
            dv.allow_blank = True
            dv.showErrorMessage = True
            self.ws.add_data_validation(dv)
            self.validations[key] = dv
        dv.add(ref)

    def protect(self) -> None:
        p = self.ws.protection
        p.sheet = True
        p.formatRows = False  # people may make a row taller to read long text
        p.formatColumns = False


def _font(**kw: Any) -> Any:
    from openpyxl.styles import Font

    return Font(name=FONT, **kw)


def _fill_row(ws: Any, row: int, color: str, last: str = "E") -> None:
    from openpyxl.styles import PatternFill

    for cells in ws[f"A{row}:{last}{row}"]:
        for c in cells:
            c.fill = PatternFill("solid", fgColor=color)


def _banner(ws: Any, row: int, text: str, *, size: int = 11, last: str = "E") -> None:
    from openpyxl.styles import Alignment

    ws.merge_cells(f"A{row}:{last}{row}")
    cell = ws[f"A{row}"]
    cell.value = text
    cell.font = _font(bold=size > 11, size=size)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = 16 * max(1, math.ceil(len(text) / 150)) + size - 10


def _height(texts: Sequence[tuple[str, Any]], widths: dict[str, int]) -> float:
    """A row height (points) that shows wrapped text whole: Excel does not grow rows itself."""
    lines = 1
    for col, value in texts:
        if value is None:
            continue
        chars = max(int(widths.get(col, 12) * 1.1) - 1, 8)
        lines = max(
            lines, sum(max(1, math.ceil(len(part) / chars)) for part in str(value).split("\n"))
        )
    return min(14.5 * lines + 4, 409.0)


INSTRUCTIONS = (
    "Fill in the yellow cells only, choosing from the drop-down lists where there is one. "
    "Refer to people by their role (mother, the child, the social worker), never by name; no "
    "dates of birth, addresses or case numbers. A question marked 'Only if ...' is needed "
    "only when that earlier answer was given (its row turns grey otherwise). Put the action "
    "plan on the Actions sheet. Save the file under the same name and send it back."
)


@dataclass
class _Ctx:
    sheet: _Sheet
    staff: dict[str, str]
    row: int = 1


def _header_fields(ctx: _Ctx, t: Target, tool: Tool) -> None:
    from openpyxl.styles import Alignment

    m: Any = t.model
    ws = ctx.sheet.ws
    label_of = ctx.staff
    rows: list[tuple[str, Any]] = [
        (L.LABEL_CASE, t.case),
        (L.LABEL_TOOL, f"{tool.id}, version {tool.version} ({tool.title})"),
    ]
    if t.lf.kind == "qa/agency-return":
        rows += [("Agency", m.agency), ("Auditor", label_of.get(m.auditor, m.auditor))]
    else:
        rows += [
            ("Auditors", ", ".join(label_of.get(a, a) for a in m.auditors)),
            ("Allocated", m.allocated),
        ]
    rows.append(("Due", t.due))
    for label, value in rows:
        _label(ctx, label)
        ws.merge_cells(f"D{ctx.row}:E{ctx.row}")
        cell = ctx.sheet.text(f"D{ctx.row}", value)
        cell.alignment = Alignment(horizontal="left", vertical="top")
        if isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        ctx.row += 1
    grade = m.grade if t.lf.kind == "qa/agency-return" else m.overall_grade
    _label(ctx, L.LABEL_COMPLETED)
    ctx.sheet.input(f"D{ctx.row}", m.completed, date=True)
    ctx.row += 1
    _label(ctx, L.LABEL_GRADE)
    ctx.sheet.input(f"D{ctx.row}", L.word_of(_GRADE_Q, grade) if grade else None)
    ctx.sheet.dropdown(f"D{ctx.row}", [c.word for c in L.grade_choices()])
    ctx.row += 1
    for label, value in (
        (L.LABEL_STRENGTHS, m.strengths),
        (L.LABEL_AREAS, m.areas_for_improvement),
    ):
        _label(ctx, label)
        ws.merge_cells(f"D{ctx.row}:E{ctx.row}")
        ctx.sheet.input(f"D{ctx.row}", value)
        ws.row_dimensions[ctx.row].height = max(48.0, _height([("D", value)], {"D": 70}))
        ctx.row += 1
    if t.lf.kind == "qa/audit":
        _concern_fields(ctx, m.safeguarding_concern)


_GRADE_Q = Question(id="overall-grade", text="Overall grade", type="grade")


def _label(ctx: _Ctx, text: str) -> None:
    ws = ctx.sheet.ws
    ws.merge_cells(f"A{ctx.row}:C{ctx.row}")
    ctx.sheet.text(f"A{ctx.row}", text, bold=True, wrap=False)


def _concern_fields(ctx: _Ctx, concern: Any) -> None:
    _banner(
        ctx.sheet.ws,
        ctx.row,
        "Only if you found a child at risk: tell the person below at once (do not wait for "
        "this form), then record it here.",
    )
    ctx.row += 1
    values = (
        (L.LABEL_SG_FOUND, concern.found if concern else None, "date"),
        (L.LABEL_SG_WHAT, concern.description if concern else None, "text"),
        (L.LABEL_SG_TO, ctx.staff.get(concern.escalated_to) if concern else None, "staff"),
        (L.LABEL_SG_ON, concern.escalated_on if concern else None, "date"),
    )
    for label, value, kind in values:
        _label(ctx, label)
        if kind == "text":
            ctx.sheet.ws.merge_cells(f"D{ctx.row}:E{ctx.row}")
        ctx.sheet.input(f"D{ctx.row}", value, date=kind == "date")
        if kind == "staff":
            ctx.sheet.dropdown(f"D{ctx.row}", list(ctx.staff.values()))
        ctx.row += 1


def guidance_text(q: Question, tool: Tool) -> str:
    """The Guidance cell: when the question is needed, how to answer, what each grade means."""
    parts: list[str] = []
    if q.applies_if is not None:
        base = tool.questions().get(q.applies_if.question)
        words = " or ".join(L.word_of(base, a) if base else a for a in q.applies_if.answers())
        parts.append(f"Only if '{q.applies_if.question}' is {words}.")
    if q.type == "multi_choice":
        opts = ", ".join(L.humanise(o) for o in q.options or [])
        parts.append(f"Type one or more, separated by commas: {opts}.")
    hint = {"date": "A date, e.g. 2026-12-31.", "number": "A number (digits only)."}.get(q.type)
    if hint:
        parts.append(hint)
    triggers = q.comment_triggers()
    if triggers:
        words = " or ".join(L.word_of(q, a) for a in triggers)
        parts.append(f"If {words}: say why in Comment.")
    if q.guidance:
        parts.append(" ".join(q.guidance.split()))
    for name, text in q.descriptors.named() if q.descriptors is not None else []:
        parts.append(f"{name}: {' '.join(text.split())}")
    return "\n".join(parts)


def answer_cell_value(q: Question, value: Any, staff: dict[str, str]) -> Any:
    """An answer from the YAML as the form shows it."""
    if value is None:
        return None
    if q.type in L.CLOSED_TYPES and isinstance(value, str):
        return L.word_of(q, value)
    if q.type == "multi_choice" and isinstance(value, list):
        return ", ".join(L.humanise(str(v)) for v in value)
    if q.type == "staff" and isinstance(value, str):
        return staff.get(value, value)
    if q.type == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _question_rows(ctx: _Ctx, t: Target, tool: Tool) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill

    ws = ctx.sheet.ws
    answers: dict[str, Any] = t.model.answers or {}
    answer_row: dict[str, int] = {}
    for n, section in enumerate(tool.sections, start=1):
        _banner(ws, ctx.row, f"{n}. {section.title}")
        ws[f"A{ctx.row}"].font = _font(bold=True)
        _fill_row(ws, ctx.row, SECTION_FILL)
        ctx.row += 1
        for q in section.questions:
            r = ctx.row
            value, comment, _ = split_answer(q, answers.get(q.id))
            text = q.text + ("" if q.required else " (optional)")
            guidance = guidance_text(q, tool)
            ctx.sheet.text(f"A{r}", q.id).font = _font(color="595959", size=9)
            ctx.sheet.text(f"B{r}", text)
            ctx.sheet.text(f"C{r}", guidance)
            ctx.sheet.input(f"D{r}", answer_cell_value(q, value, ctx.staff), date=q.type == "date")
            ctx.sheet.input(f"E{r}", comment)
            opts = L.choices(q)
            if opts is not None:
                ctx.sheet.dropdown(f"D{r}", [c.word for c in opts])
            elif q.type == "staff":
                ctx.sheet.dropdown(f"D{r}", list(ctx.staff.values()))
            ws.row_dimensions[r].height = _height([("B", text), ("C", guidance)], WIDTHS)
            cond = q.applies_if
            base_row = answer_row.get(cond.question) if cond else None
            if cond is not None and base_row is not None:
                base = tool.questions()[cond.question]
                tests = ",".join(f'$D${base_row}<>"{L.word_of(base, a)}"' for a in cond.answers())
                ws.conditional_formatting.add(
                    f"A{r}:E{r}",
                    FormulaRule(
                        formula=[f"AND({tests})"],
                        fill=PatternFill("solid", fgColor=NOT_NEEDED_FILL, bgColor=NOT_NEEDED_FILL),
                        font=_font(color="808080"),
                    ),
                )
            answer_row[q.id] = r
            ctx.row += 1


def _return_sheet(wb: Any, t: Target, lists: _Lists, staff: dict[str, str], marking: str) -> None:
    from openpyxl.styles import Alignment, PatternFill

    ws = wb.active
    ws.title = L.RETURN_SHEET
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    ctx = _Ctx(_Sheet(ws, lists), staff)
    _banner(ws, 1, t.tool.title, size=14)
    _banner(ws, 2, INSTRUCTIONS)
    ctx.row = 4
    _header_fields(ctx, t, t.tool)
    ctx.row += 1
    header = ctx.row
    for i, name in enumerate(L.QUESTION_HEADERS, start=1):
        cell = ws.cell(row=header, column=i, value=name)
        cell.font = _font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center")
    ctx.row += 1
    _question_rows(ctx, t, t.tool)
    ws.print_title_rows = f"{header}:{header}"
    _page_setup(ws, marking)
    ctx.sheet.protect()


def _page_setup(ws: Any, marking: str) -> None:
    """A4 landscape, one page wide, the protective marking on every printed page."""
    if marking:
        ws.oddHeader.right.text = marking
        ws.oddHeader.right.font = f"{FONT},Bold"
        ws.oddFooter.left.text = marking
        ws.oddFooter.left.font = f"{FONT},Bold"
    ws.oddFooter.center.text = "&A, page &P of &N"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def _actions_sheet(wb: Any, t: Target, lists: _Lists, staff: dict[str, str], marking: str) -> None:
    from openpyxl.styles import PatternFill

    ws = wb.create_sheet(L.ACTIONS_SHEET)
    for col, width in ACTION_WIDTHS.items():
        ws.column_dimensions[col].width = width
    sheet = _Sheet(ws, lists)
    _banner(ws, 1, f"Action plan for {t.case}", size=14, last="F")
    _banner(
        ws,
        2,
        "One action a row: what is to be done, who owns it, by when, and (if the case is to "
        "be looked at again) the re-audit date. An action plan is needed where action is "
        "necessary, and always for Requires Improvement or Inadequate. Leave Id blank for a "
        "new action: qa numbers it.",
        last="F",
    )
    header = 4
    for i, name in enumerate((*L.ACTION_HEADERS, "Status"), start=1):
        cell = ws.cell(row=header, column=i, value=name)
        cell.font = _font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    row = header + 1
    owners = list(staff.values())
    for a in t.model.actions:
        editable = a.status == "open"
        put = sheet.input if editable else sheet.text
        sheet.text(f"A{row}", a.id)
        put(f"B{row}", a.action)
        put(f"C{row}", staff.get(a.owner, a.owner))
        for col, value in (("D", a.due), ("E", a.re_audit)):
            if editable:
                sheet.input(f"{col}{row}", value, date=True)
            else:
                sheet.text(f"{col}{row}", value).number_format = DATE_FORMAT
        sheet.text(f"F{row}", a.status)
        if editable:
            sheet.dropdown(f"C{row}", owners)
        ws.row_dimensions[row].height = _height([("B", a.action)], ACTION_WIDTHS)
        row += 1
    for _ in range(BLANK_ACTION_ROWS):
        sheet.input(f"A{row}")
        sheet.input(f"B{row}")
        sheet.input(f"C{row}")
        sheet.dropdown(f"C{row}", owners)
        sheet.input(f"D{row}", date=True)
        sheet.input(f"E{row}", date=True)
        ws.row_dimensions[row].height = 30
        row += 1
    _page_setup(ws, marking)
    sheet.protect()


def meta_rows(t: Target, raw: bytes, today: dt.date) -> list[tuple[str, str]]:
    """The provenance the hidden sheet holds, as (key, value) rows."""
    from .. import __version__

    data = json.dumps(t.lf.data, ensure_ascii=False, sort_keys=True, default=str)
    rows = [
        ("format", L.FORMAT),
        ("path", t.lf.rel),
        ("kind", str(t.lf.kind)),
        ("case", t.case),
        ("tool", t.tool.ref),
        ("digest", digest(raw)),
        ("exported", today.isoformat()),
        ("qa", __version__),
    ]
    rows += [
        ("snapshot", data[i : i + SNAPSHOT_CHUNK]) for i in range(0, len(data), SNAPSHOT_CHUNK)
    ]
    return rows


def workbook_bytes(repo: Repository, t: Target, today: dt.date) -> bytes:
    """The form of one return, as the bytes of an .xlsx file."""
    from openpyxl import Workbook

    raw = t.lf.path.read_bytes()
    staff = staff_labels(repo.config)
    wb = Workbook()
    lists_ws = wb.create_sheet(L.LISTS_SHEET)
    lists = _Lists(lists_ws)
    marking = repo.config.reports.protective_marking
    _return_sheet(wb, t, lists, staff, marking)
    if t.lf.kind == "qa/audit":
        _actions_sheet(wb, t, lists, staff, marking)
    meta = wb.create_sheet(L.META_SHEET)
    for i, (key, value) in enumerate(meta_rows(t, raw, today), start=1):
        meta.cell(row=i, column=1, value=key)
        cell = meta.cell(row=i, column=2, value=value)
        cell.data_type = "s"
    wb.move_sheet(L.LISTS_SHEET, offset=len(wb.sheetnames))
    for ws in (lists_ws, meta):
        ws.sheet_state = "hidden"
        ws.protection.sheet = True
    wb.active = 0
    wb.security.lockStructure = True  # sheets cannot be unhidden, renamed or deleted by mistake
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def form_name(t: Target) -> str:
    return Path(t.lf.rel).stem + ".xlsx"


def refuse_overwrite(paths: Sequence[Path], things: str, nothing: str, hint: str) -> None:
    """A QAError (exit 1) when any of ``paths`` (all in one folder) already exists."""
    existing = [p.name for p in paths if p.exists()]
    if existing:
        folder = paths[0].parent
        raise QAError(
            f"{len(existing)} {things} already in {folder}, e.g. {existing[0]}; {nothing}",
            hint,
            exit_code=1,
        )


def export_forms(
    repo: Repository,
    targets: Sequence[Target],
    out_dir: Path,
    today: dt.date,
    *,
    replace: bool = False,
) -> list[ExportedForm]:
    """Write one form per target into ``out_dir``; refuses to overwrite unless ``replace``."""
    from ..safewrite import atomic_write

    names = [form_name(t) for t in targets]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise QAError(
            f"two returns would share the form name {dupes[0]}",
            "export them one at a time, each with its own --out folder",
        )
    if not replace:
        refuse_overwrite(
            [out_dir / n for n in names],
            "form(s)",
            "nothing was written",
            "import or move the forms there first, or pass --replace to write over them",
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    done: list[ExportedForm] = []
    for t, name in zip(targets, names, strict=True):
        path = out_dir / name
        atomic_write(path, workbook_bytes(repo, t, today))
        done.append(ExportedForm(t, path))
    return done
