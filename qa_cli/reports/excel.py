"""Excel rendering (openpyxl): a Summary sheet with native charts, then one sheet per table.

The workbook is described as plain data (so redaction works on it like on the Markdown)::

    {"title": str, "lines": [str],
     "facts": [[label, value], ...],
     "tables": [{"title", "columns", "rows", "chart": {"type": "bar"|"line", "title",
                 "y_title", "first": 1, "last": 4, "percent": bool} | None}],
     "sheets": [{"name", "columns", "rows", "grades": [column names]}]}

Text from auditors is written as text, never as a formula: a comment starting with ``=``,
``+``, ``-`` or ``@`` is stored as a string with Excel's quote prefix, so it stays text even
when someone edits the cell.
"""

from __future__ import annotations

import io
from typing import Any

from ..errors import QAError
from ..models.common import GRADE_NAMES

# Light fills that read in print and for colour-blind readers (each also carries the word).
GRADE_FILLS = {
    "Outstanding": "A9D08E",
    "Good": "C6EFCE",
    "Requires Improvement": "FFE699",
    "Inadequate": "F4B084",
}
_RISKY = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = "1F4E78"


def _clean(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return value


def put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write one cell; text that Excel could read as a formula stays text."""
    value = _clean(value)
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str) and value.startswith(_RISKY):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _grade_fill(cell: Any) -> None:
    from openpyxl.styles import PatternFill

    name = GRADE_NAMES.get(cell.value, cell.value)
    colour = GRADE_FILLS.get(name) if isinstance(name, str) else None
    if colour:
        cell.fill = PatternFill("solid", start_color=colour, end_color=colour)


def _header(ws: Any, row: int, columns: list[str]) -> None:
    from openpyxl.styles import Font, PatternFill

    for i, name in enumerate(columns, start=1):
        c = put(ws, row, i, name)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)


def _widths(ws: Any, columns: list[str], rows: list[list[Any]], start: int = 1) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    sample = rows[:300]  # widths from the first rows: enough to size, cheap on big sheets
    for i, name in enumerate(columns, start=start):
        longest = max([len(str(name))] + [len(str(r[i - start] or "")) for r in sample])
        width = min(max(longest + 2, 8), 60)
        ws.column_dimensions[get_column_letter(i)].width = width
        if longest > 60:
            for r in range(2, len(rows) + 2):
                ws.cell(row=r, column=i).alignment = Alignment(wrap_text=True, vertical="top")


def _data_sheet(wb: Any, spec: dict[str, Any]) -> None:
    ws = wb.create_sheet(spec["name"][:31])
    columns: list[str] = spec["columns"]
    rows: list[list[Any]] = spec["rows"]
    _header(ws, 1, columns)
    graded = [i for i, c in enumerate(columns, start=1) if c in spec.get("grades", [])]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = put(ws, r, c, value)
            if c in graded:
                _grade_fill(cell)
    ws.freeze_panes = "A2"
    if columns:
        from openpyxl.utils import get_column_letter

        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"
    _widths(ws, columns, rows)


def _chart(ws: Any, spec: dict[str, Any], header_row: int, nrows: int, anchor: str) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference

    chart: Any = LineChart() if spec["type"] == "line" else BarChart()
    if spec["type"] == "bar":
        chart.type = "col"
    chart.title = spec["title"]
    chart.y_axis.title = spec.get("y_title")
    chart.height, chart.width = 7.5, 16
    data = Reference(
        ws,
        min_col=spec["first"] + 1,
        max_col=spec["last"] + 1,
        min_row=header_row,
        max_row=header_row + nrows,
    )
    cats = Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + nrows)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    if spec.get("percent"):
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
    # openpyxl hides axes unless told otherwise (delete=True by default in recent versions)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    ws.add_chart(chart, anchor)


def _summary(wb: Any, spec: dict[str, Any]) -> None:
    from openpyxl.styles import Font

    ws = wb.active
    ws.title = "Summary"
    put(ws, 1, 1, spec["title"]).font = Font(bold=True, size=14)
    row = 2
    for line in spec.get("lines", []):
        put(ws, row, 1, line)
        row += 1
    row += 1
    for label, value in spec.get("facts", []):
        put(ws, row, 1, label).font = Font(bold=True)
        cell = put(ws, row, 2, value)
        _grade_fill(cell)
        row += 1
    widest = 12
    for table in spec.get("tables", []):
        row += 1
        put(ws, row, 1, table["title"]).font = Font(bold=True, size=12)
        row += 1
        header = row
        _header(ws, header, table["columns"])
        for r in table["rows"]:
            row += 1
            for c, value in enumerate(r, start=1):
                cell = put(ws, row, c, value)
                if table.get("percent_columns") and c - 1 in table["percent_columns"]:
                    cell.number_format = "0%"
                if c == 1:
                    _grade_fill(cell)
        widest = max(widest, len(table["columns"]))
        if table.get("chart") and table["rows"]:
            _chart(ws, table["chart"], header, len(table["rows"]), f"{_col(widest + 2)}{header}")
            row = max(row, header + 15)
        row += 1
    ws.column_dimensions["A"].width = 34
    for i in range(2, widest + 1):
        ws.column_dimensions[_col(i)].width = 14


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def workbook_bytes(spec: dict[str, Any]) -> bytes:
    """The workbook described by ``spec`` as .xlsx bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    _summary(wb, spec)
    for sheet in spec.get("sheets", []):
        _data_sheet(wb, sheet)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def encrypt(data: bytes, password: str) -> bytes:
    """The workbook encrypted with ``password`` (ECMA-376 agile encryption, msoffcrypto-tool).

    Excel asks for the password when the file is opened (App. E 6: circulated by email with
    the password sent separately).
    """
    from msoffcrypto.format.ooxml import OOXMLFile

    if not password:
        raise QAError(
            "the password file is empty", "put the password on the first line of the file"
        )
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()
