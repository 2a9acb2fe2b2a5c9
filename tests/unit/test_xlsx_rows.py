"""A data sheet's rows written as XML text (qa_cli.reports.xlsx_rows) read back exactly as the
same cells written one by one through openpyxl: values, types and styles."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from openpyxl.styles import Alignment

from qa_cli.reports.excel import PERCENT_FORMAT, _grade_fill, _set_style, put, workbook_bytes
from qa_cli.reports.xlsx_rows import cell_xml

COLUMNS = ["Case", "Grade", "Share", "When", "Note"]
LONG = "A comment long enough to wrap in its column, " * 3
ROWS: list[list[Any]] = [
    ["C-AAAA0001", "Good", 0.5, "2026-10-31", "plain"],
    ["C-AAAA0002", "Inadequate", None, dt.date(2026, 1, 2), "=HYPERLINK(1)"],
    ["C-AAAA0003", "", 1, None, LONG],
    ["C-AAAA0004", None, True, "2026-13-40", " spaced & <tagged> "],
    ["C-AAAA0005", "Requires improvement", "–", "fewer than 5", "#N/A"],
    ["C-AAAA0006", ["a", "b"], {"k": 1}, 3.25, "-minus\x07bell"],
    ["C-AAAA0007", "Outstanding"],
]
SPEC = {
    "title": "T",
    "sheets": [{"name": "Data", "columns": COLUMNS, "rows": ROWS, "grades": ["Grade"]}],
}
SPEC["sheets"][0]["percent"] = ["Share"]


def _reference() -> openpyxl.Workbook:
    """The same rows written cell by cell through openpyxl (how the sheet was written before)."""
    from qa_cli.reports.excel import _lines, _widths

    wb = openpyxl.Workbook()
    ws = wb.active
    widths = _widths(COLUMNS, ROWS)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(ROWS, start=2):
        lines = 1
        for c, value in enumerate(row, start=1):
            cell = put(ws, r, c, value)
            if c == 2:
                _grade_fill(cell)
            elif c == 3:
                cell.number_format = PERCENT_FORMAT
            if isinstance(value, str) and len(value) > widths[c - 1] - 2:
                lines = max(lines, _lines(value, widths[c - 1]))
        if lines > 1:
            ws.row_dimensions[r].height = min(13 * lines + 2, 409)
            for c in range(1, len(row) + 1):
                _set_style(ws.cell(row=r, column=c), "_alignments", "alignmentId", wrap, "wrap")
    return wb


def _seen(c: Any) -> tuple[Any, ...]:
    a = c.alignment
    fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.patternType else None
    return (c.value, c.data_type, c.number_format, fill, a.horizontal, a.wrap_text, c.quotePrefix)


def test_rows_read_back_as_openpyxl_wrote_them() -> None:
    mine = openpyxl.load_workbook(io.BytesIO(workbook_bytes(SPEC)))["Data"]
    buf = io.BytesIO()
    _reference().save(buf)
    theirs = openpyxl.load_workbook(buf).active
    for r in range(2, len(ROWS) + 2):
        assert mine.row_dimensions[r].height == theirs.row_dimensions[r].height, r
        for c in range(1, len(COLUMNS) + 1):
            assert _seen(mine.cell(r, c)) == _seen(theirs.cell(r, c)), (r, c)
    assert mine.cell(3, 5).quotePrefix and mine.cell(3, 5).value == "=HYPERLINK(1)"
    assert mine.cell(4, 5).alignment.wrap_text and mine.row_dimensions[4].height > 15
    assert mine.cell(3, 4).value == dt.datetime(2026, 1, 2)
    assert mine.max_row == len(ROWS) + 1


def test_cell_text_is_escaped_and_keeps_its_spaces() -> None:
    assert (
        cell_xml("A1", "a & <b>", 0)
        == '<c r="A1" t="inlineStr"><is><t>a &amp; &lt;b&gt;</t></is></c>'
    )
    assert '<t xml:space="preserve"> x </t>' in cell_xml("A1", " x ", 3)
    assert cell_xml("B2", None, 0) == ""
    assert cell_xml("B2", None, 4) == '<c r="B2" s="4" t="n" />'
    assert cell_xml("C3", dt.date(2026, 10, 31), 2) == '<c r="C3" s="2" t="n"><v>46326</v></c>'
