"""Excel rendering (openpyxl): a Summary sheet with native charts, then one sheet per table.

The workbook is described as plain data (so redaction works on it like on the Markdown)::

    {"title": str, "subject": str, "organisation": str, "marking": str, "lines": [str],
     "facts": [[label, value] | [label, value, "percent"|"interval"|"count"], ...],
              (a percent or interval value may be the share mapping, k and n included;
              a count may be {"k": part, "n": whole}, see ``sheets.part_of``),
     "tables": [{"title", "columns", "rows", "percent_columns": [int],
                 "chart": {"type": "bar"|"line", "title", "y_title", "first": 1, "last": 4,
                           "percent": bool} | None}],
     "sheets": [{"name", "columns", "rows", "grades": [column names],
                 "percent": [column names]}]}

Meeting-ready by construction: numbers stay numbers (shares as ``0%``), ISO dates
(``2026-10-31``) become real dates, every cell uses one named font, every sheet is set up to
print (A4 landscape, one page wide, header row repeated, the report title and the protective
marking in the header and footer), and the Summary places each chart beside its table with
page breaks that never cut a chart.

Text from auditors is written as text, never as a formula: a comment starting with ``=``,
``+``, ``-`` or ``@`` is stored as a string with Excel's quote prefix, so it stays text even
when someone edits the cell.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import QAError
from .palette import GRADE_COLOURS, GRADE_TINTS, SERIES_COLOUR, grade_key
from .xlsx_rows import RowsFile, cell_tail, splice

FONT = "Arial"  # on every machine, or metric-compatible (Liberation Sans) under LibreOffice
DATE_FORMAT = "d mmm yyyy"
PERCENT_FORMAT = "0%"
HEADER_FILL = "1F4E78"
_RISKY = ("=", "+", "-", "@", "\t", "\r")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Printing: A4 landscape with Excel's "normal" margins, in centimetres.
PAGE_WIDTH_CM, PAGE_HEIGHT_CM = 29.7, 21.0
MARGIN_SIDE_CM, MARGIN_TB_CM = 1.3, 1.9
ROW_CM = 15 / 72 * 2.54  # a 15-point row
CHART_W_CM, CHART_H_CM = 11.0, 6.6
CHART_ROWS = math.ceil(CHART_H_CM / ROW_CM) + 1
LABEL_WIDTH, VALUE_WIDTH, WRAP_WIDTH = 34, 13, 45
PAPER_A4 = "9"  # the paper size code of A4 (openpyxl Worksheet.PAPERSIZE_A4)


def _font(**kw: Any) -> Any:
    from openpyxl.styles import Font

    return Font(name=FONT, size=kw.pop("size", 10), **kw)


def _clean(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return value


def as_date(value: Any) -> Any:
    """An ISO date string (``2026-10-31``) as a date; anything else unchanged."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write one cell: dates as dates, text that Excel could read as a formula stays text."""
    value = as_date(_clean(value))
    cell = ws.cell(row=row, column=col)
    cell.value = value
    _dress(cell, value)
    return cell


def _dress(cell: Any, value: Any) -> None:
    """The number format or text handling that ``value`` (already cleaned) needs."""
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str) and value.startswith(_RISKY):
        cell.data_type = "s"
        cell.quotePrefix = True
    if isinstance(value, str) and (value == "–" or value.startswith("fewer than ")):
        from openpyxl.styles import Alignment

        cell.alignment = Alignment(horizontal="right")  # a redacted count, under the numbers


class _Canvas:
    """A write-only sheet filled by position, as the Summary is drawn: its few cells are kept
    and written in row order when the drawing is done (a write-only sheet takes whole rows,
    in order). Everything else (dimensions, charts, page setup) goes to the sheet itself."""

    def __init__(self, ws: Any) -> None:
        object.__setattr__(self, "ws", ws)
        object.__setattr__(self, "cells", {})

    def cell(self, row: int, column: int) -> Any:
        from openpyxl.cell import WriteOnlyCell

        found = self.cells.get((row, column))
        if found is None:
            found = self.cells[(row, column)] = WriteOnlyCell(self.ws)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ws, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.ws, name, value)

    def flush(self) -> None:
        """Write the cells, row by row (an empty row is written empty)."""
        if not self.cells:
            return
        rows = max(r for r, _ in self.cells)
        cols = max(c for _, c in self.cells)
        for r in range(1, rows + 1):
            self.ws.append([self.cells.get((r, c)) for c in range(1, cols + 1)])


def _grade_fill(cell: Any) -> None:
    from openpyxl.styles import PatternFill

    key = grade_key(cell.value)
    if key:
        tint = GRADE_TINTS[key]
        fill = PatternFill("solid", start_color=tint, end_color=tint)
        _set_style(cell, "_fills", "fillId", fill, f"grade:{tint}")


def _set_style(cell: Any, collection: str, key: str, value: Any, name: str) -> None:
    """``cell.fill = value`` (or ``.alignment``), with the style's index looked up once a
    workbook by ``name``: openpyxl hashes the style object at every assignment, which was
    most of the time of writing a large data sheet. Same result: the same style's index."""
    from openpyxl.styles.cell_style import StyleArray

    wb = cell.parent.parent
    memo: dict[tuple[str, str], int] = wb.__dict__.setdefault("_qa_style_ids", {})
    found = memo.get((collection, name))
    if found is None:
        found = memo[(collection, name)] = getattr(wb, collection).add(value)
    if not cell._style:
        cell._style = StyleArray()
    setattr(cell._style, key, found)


def _header(ws: Any, row: int, columns: list[str], widths: Sequence[float] | None = None) -> None:
    from openpyxl.styles import Alignment, PatternFill

    lines = 1
    for i, name in enumerate(columns, start=1):
        c = put(ws, row, i, name)
        c.font = _font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if widths:
            lines = max(lines, _lines(str(name), widths[i - 1]))
    if lines > 1:
        ws.row_dimensions[row].height = 13 * lines + 2


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide."""
    usable = max(int(width * 1.1) - 2, 4)  # prose is narrower than the digits widths count
    return sum(max(1, math.ceil(len(part) / usable)) for part in text.split("\n"))


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


# --- page setup -----------------------------------------------------------------------------


def _hf(text: str) -> str:
    return text.replace("&", "&&")  # a lone & starts a header/footer code


def _page_setup(ws: Any, spec: dict[str, Any], fit_width: bool = True) -> None:
    """A4 landscape, one page wide, header row repeated, title and marking top and bottom."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE_CM / 2.54
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TB_CM / 2.54
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_title_rows = "1:1"
    marking = _hf(spec.get("marking") or "")
    ws.oddHeader.left.text = _hf(spec.get("title", ""))
    ws.oddHeader.left.font = f"{FONT},Bold"
    ws.oddHeader.right.text = marking
    ws.oddHeader.right.font = f"{FONT},Bold"
    ws.oddFooter.left.text = marking
    ws.oddFooter.left.font = f"{FONT},Bold"
    ws.oddFooter.center.text = "&A, page &P of &N"
    ws.oddFooter.right.text = _hf(spec.get("organisation") or "")


# --- data sheets ----------------------------------------------------------------------------


def _widths(columns: list[str], rows: list[list[Any]]) -> list[float]:
    sample = rows[:300]  # widths from the first rows: enough to size, cheap on big sheets
    out = []
    for i, name in enumerate(columns):
        longest = max([len(str(name))] + [_width_of(r[i]) for r in sample if i < len(r)])
        out.append(float(min(max(longest + 2, 9), WRAP_WIDTH)))
    return out


def _width_of(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return 11
    if isinstance(value, float):
        return 6
    return max((len(s) for s in str(value).split("\n")), default=0)


def _data_sheet(wb: Any, spec: dict[str, Any], meta: dict[str, Any]) -> RowsFile:
    """A sheet of its own: settings and header through openpyxl, the rows as XML text
    (:mod:`qa_cli.reports.xlsx_rows`), spliced in when the workbook is packed."""
    ws = wb.create_sheet(spec["name"][:31])
    columns: list[str] = spec["columns"]
    rows: list[list[Any]] = spec["rows"]
    widths = _widths(columns, rows)
    for i, w in enumerate(widths, start=1):  # before the first row: written at its top
        ws.column_dimensions[_col(i)].width = w
    ws.freeze_panes = "A2"
    _page_setup(ws, meta)  # its fit-to-page flag is written at the sheet's top too
    header = _Canvas(ws)
    _header(header, 1, columns, widths)
    header.flush()
    styles = _CellStyles(ws, columns, widths, spec)
    width = max([len(columns), *(len(r) for r in rows)], default=0)
    out = RowsFile([_col(i) for i in range(1, width + 1)])
    for r, row in enumerate(rows, start=2):
        cells = [styles.prepare(c, raw) for c, raw in enumerate(row)]
        lines = max((cell[2] for cell in cells), default=1)
        wrap = lines > 1  # a wrapped row: tall enough for its longest cell, every cell at the top
        at = 4 if wrap else 3  # where a cell's XML in this row's style is kept
        tails = [t if (t := cell[at]) is not None else styles.tail(cell, wrap) for cell in cells]
        out.write_tails(r, tails, _height(lines))
    if columns:
        ws.auto_filter.ref = f"A1:{_col(len(columns))}{max(len(rows) + 1, 2)}"
    return out


def _height(lines: int) -> float | None:
    return min(13 * lines + 2, 409) if lines > 1 else None


_Style = tuple[str | None, str | None, bool, str | None]  # format, fill, quote prefix, align
# value, style, lines it wraps to, XML in a row not wrapped, XML in a wrapped row
_Cell = list[Any]


class _CellStyles:
    """Each data cell's value, style and wrapped lines, as the cell ``put`` makes, with the
    style's index registered in the workbook once (from a template cell)."""

    def __init__(
        self, ws: Any, columns: list[str], widths: list[float], spec: dict[str, Any]
    ) -> None:
        self.ws, self.widths = ws, widths
        self.graded = {i for i, c in enumerate(columns) if c in spec.get("grades", [])}
        self.percent = {i for i, c in enumerate(columns) if c in spec.get("percent", [])}
        self.found: dict[_Style, int] = {}
        self.cells: dict[tuple[int, type, Any], _Cell] = {}  # values repeat down a column

    def prepare(self, c: int, raw: Any) -> _Cell:
        """Column ``c``'s cell of ``raw``: its value, style, the lines it wraps to and its
        XML (made by :meth:`tail` when first asked), the same object for the same value."""
        key = (c, type(raw), raw)  # by type too: 1, 1.0 and True are equal keys
        try:
            found = self.cells.get(key)
        except TypeError:  # a value that cannot be a key (a list): made each time
            return [*self._prepare(c, raw), None, None]
        if found is None:
            found = self.cells[key] = [*self._prepare(c, raw), None, None]
        return found

    def tail(self, cell: _Cell, wrap: bool) -> str:
        """The cell's ``<c>`` element after its reference, in a wrapped row or not (kept)."""
        value, key = cell[0], cell[1]
        cell[4 if wrap else 3] = tail = cell_tail(value, self.index(key, wrap))
        return tail

    def _prepare(self, c: int, raw: Any) -> tuple[Any, _Style, int]:
        value = as_date(_clean(raw))
        tint = grade_key(value) if c in self.graded else None
        fmt = PERCENT_FORMAT if c in self.percent and c not in self.graded else None
        if isinstance(value, dt.date):
            fmt = fmt or DATE_FORMAT
        quote = isinstance(value, str) and value.startswith(_RISKY)
        right = isinstance(value, str) and (value == "–" or value.startswith("fewer than "))
        key = (fmt, tint and GRADE_TINTS[tint], quote, "right" if right else None)
        lines = 1
        if isinstance(raw, str) and c < len(self.widths) and len(raw) > self.widths[c] - 2:
            lines = _lines(raw, self.widths[c])
        return value, key, lines

    def index(self, key: _Style, wrap: bool) -> int:
        if wrap:
            key = (key[0], key[1], key[2], "wrap")
        found = self.found.get(key)
        if found is None:
            found = self.found[key] = self._register(key)
        return found

    def _register(self, key: _Style) -> int:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, PatternFill

        fmt, tint, quote, align = key
        cell = WriteOnlyCell(self.ws)
        if fmt:
            cell.number_format = fmt
        if quote:
            cell.quotePrefix = True
        if align == "right":
            cell.alignment = Alignment(horizontal="right")
        if tint:
            fill = PatternFill("solid", start_color=tint, end_color=tint)
            _set_style(cell, "_fills", "fillId", fill, f"grade:{tint}")
        if align == "wrap":
            wrap = Alignment(wrap_text=True, vertical="top")
            _set_style(cell, "_alignments", "alignmentId", wrap, "wrap")
        return int(cell.style_id) if cell.has_style else 0


# --- Summary ----------------------------------------------------------------------------------


def _chart(
    ws: Any, spec: dict[str, Any], header_row: int, rows: list[list[Any]], anchor: str
) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference

    chart: Any = LineChart() if spec["type"] == "line" else BarChart()
    if spec["type"] == "bar":
        chart.type = "col"
        chart.gapWidth = 60
    chart.title = _chart_text(spec["title"], 1100, bold=True)
    if spec.get("y_title"):
        chart.y_axis.title = _chart_text(spec["y_title"], 900)
    chart.height, chart.width = CHART_H_CM, CHART_W_CM
    data = Reference(
        ws,
        min_col=spec["first"] + 1,
        max_col=spec["last"] + 1,
        min_row=header_row,
        max_row=header_row + len(rows),
    )
    cats = Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + len(rows))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    _style_series(chart, spec, rows)
    _axes(chart, spec, rows)
    if len(chart.series) == 1:
        chart.legend = None
    else:
        chart.legend.position = "b"
    ws.add_chart(chart, anchor)


def _char_props(size: int, bold: bool = False) -> Any:
    from openpyxl.drawing.text import CharacterProperties, Font

    return CharacterProperties(sz=size, b=bold, latin=Font(typeface=FONT), solidFill="404040")


def _chart_text(text: str, size: int, bold: bool = False) -> Any:
    """A chart or axis title in the report's font and a size that leaves room for the plot."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import Paragraph, ParagraphProperties, RegularTextRun

    props = _char_props(size, bold)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _axis_text(axis: Any, size: int = 800) -> None:
    """Axis labels small, in the report's font, horizontal."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import Paragraph, ParagraphProperties, RichTextProperties

    props = _char_props(size)
    axis.txPr = RichText(
        bodyPr=RichTextProperties(rot=0, vert="horz"),
        p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)],
    )


def _style_series(chart: Any, spec: dict[str, Any], rows: list[list[Any]]) -> None:
    """Grade series and grade categories in the palette; lines with markers, never smoothed."""
    from openpyxl.chart.marker import DataPoint

    for k, s in enumerate(chart.series):
        key = _series_grade(spec, k)
        colour = GRADE_COLOURS[key] if key else SERIES_COLOUR
        if spec["type"] == "line" and spec["first"] + k in spec.get("interval", []):
            s.smooth = False  # an interval bound: a thin grey dashed line, no markers
            s.marker.symbol = "none"
            s.graphicalProperties.line.solidFill = "A6A6A6"
            s.graphicalProperties.line.dashStyle = "dash"
            s.graphicalProperties.line.width = 12700
            continue
        if spec["type"] == "line":
            s.smooth = False
            s.marker.symbol = "circle"
            s.marker.size = 7
            s.marker.graphicalProperties.solidFill = colour
            s.marker.graphicalProperties.line.solidFill = colour
            s.graphicalProperties.line.solidFill = colour
            s.graphicalProperties.line.width = 28575  # 2.25 pt
            continue
        s.graphicalProperties.solidFill = colour
        s.graphicalProperties.line.solidFill = colour
        if len(chart.series) == 1:  # one series over grades: colour each bar by its grade
            for i, row in enumerate(rows):
                g = grade_key(row[0])
                if g:
                    pt = DataPoint(idx=i)
                    pt.graphicalProperties.solidFill = GRADE_COLOURS[g]
                    pt.graphicalProperties.line.solidFill = GRADE_COLOURS[g]
                    s.dPt.append(pt)
    if spec["type"] == "line":
        chart.display_blanks = "gap"


def _series_grade(spec: dict[str, Any], k: int) -> str | None:
    columns = spec.get("_columns", [])
    i = spec["first"] + k
    return grade_key(columns[i]) if i < len(columns) else None


def _axes(chart: Any, spec: dict[str, Any], rows: list[list[Any]]) -> None:
    chart.x_axis.delete = False  # openpyxl hides axes unless told otherwise
    chart.y_axis.delete = False
    _axis_text(chart.x_axis)
    _axis_text(chart.y_axis)
    chart.y_axis.scaling.min = 0
    if spec.get("percent"):
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.max = 1
        chart.y_axis.majorUnit = 0.2
        return
    values = [
        v
        for r in rows
        for v in r[spec["first"] : spec["last"] + 1]
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    if spec["type"] == "bar" and len(chart.series) > 1 and spec.get("stacked"):
        values = [sum(v for v in r[spec["first"] : spec["last"] + 1] if v) for r in rows]
    top = max(values, default=0)
    step = max(1, math.ceil(top / 6))  # counts: whole numbers only
    chart.y_axis.majorUnit = step
    chart.y_axis.scaling.max = max(step * math.ceil(top / step), step) if top else step
    chart.y_axis.number_format = "0"


def _label_lines(row: list[Any]) -> int:
    """Lines the first cell of a Summary row takes (long labels wrap in column A)."""
    label = row[0] if row else ""
    return _lines(str(label), LABEL_WIDTH) if isinstance(label, str) else 1


def _block_rows(table: dict[str, Any]) -> int:
    """Rows (of standard height) a table takes on the Summary, its chart included."""
    own = sum(_label_lines(r) for r in table["rows"]) + 3
    return max(own, CHART_ROWS) if table.get("chart") and table["rows"] else own


class _Pager:
    """Puts manual page breaks on the Summary so that no table or chart is cut.

    Without a worksheet it only counts the pages (to choose the scale).
    """

    def __init__(self, ws: Any, scale: int) -> None:
        self.ws = ws
        usable = PAGE_HEIGHT_CM - 2 * MARGIN_TB_CM
        # the title row is repeated on every page after the first
        self.rows_per_page = int(usable / (ROW_CM * scale / 100)) - 1
        self.used = 0
        self.pages = 1

    def place(self, first_row: int, rows: int) -> None:
        if self.used and self.used + rows > self.rows_per_page:
            if self.ws is not None:
                from openpyxl.worksheet.pagebreak import Break

                self.ws.row_breaks.append(Break(id=first_row - 1))
            self.used = 0
            self.pages += 1
        self.used += rows


def _blocks(spec: dict[str, Any]) -> list[int]:
    """The Summary's blocks in rows: the title and facts, then each table (with its chart)."""
    head = 2 + len(spec.get("lines", [])) + len(spec.get("facts", []))
    return [head] + [_block_rows(t) + 1 for t in spec.get("tables", [])]


def _fitting_scale(spec: dict[str, Any], widest: int, pages: int = 2) -> int:
    """The largest scale, at most ``widest``, at which the Summary prints on ``pages``."""
    blocks = _blocks(spec)
    scale = widest
    while scale > 50:
        pager = _Pager(None, scale)
        for rows in blocks:
            pager.place(0, rows)
        if pager.pages <= pages:
            break
        scale -= 5
    return scale


def _summary_scale(spec: dict[str, Any]) -> int:
    """The print scale that fits the Summary (tables and charts) on one page wide."""
    widest = LABEL_WIDTH
    for t in spec.get("tables", []):
        cols = len(t["columns"])
        chars = LABEL_WIDTH + (cols - 1) * VALUE_WIDTH
        cm = chars * 0.19 + 0.5
        if t.get("chart") and t["rows"]:
            cm += VALUE_WIDTH * 0.19 + CHART_W_CM
        widest = max(widest, int(cm / 0.19))
    width_cm = widest * 0.19
    usable = PAGE_WIDTH_CM - 2 * MARGIN_SIDE_CM - 1.5  # room for rounding in column widths
    return max(40, min(100, int(usable / width_cm * 100)))


def _fact(ws: Any, row: int, fact: list[Any]) -> None:
    from openpyxl.styles import Alignment

    label, value = fact[0], fact[1]
    kind = fact[2] if len(fact) > 2 else None
    if isinstance(value, dict):  # a share, or a part, with its counts (redaction judges them)
        parts = {"interval": [value.get("low"), value.get("high")], "count": value.get("k")}
        value = parts.get(str(kind), value.get("value"))
    put(ws, row, 1, label).font = _font(bold=True)
    if kind == "interval":
        low, high = (value or [None, None])[:2]
        for col, v in ((2, low), (3, high)):
            c = put(ws, row, col, v if v is not None else "–")
            c.number_format = PERCENT_FORMAT
            c.alignment = Alignment(horizontal="left")
        return
    cell = put(ws, row, 2, value)
    cell.alignment = Alignment(horizontal="left")
    if kind == "percent":
        cell.number_format = PERCENT_FORMAT
    _grade_fill(cell)


def _summary_table(ws: Any, row: int, table: dict[str, Any]) -> int:
    """Write one table (and its chart beside it) from ``row``; returns the next free row."""
    from openpyxl.styles import Alignment

    put(ws, row, 1, table["title"]).font = _font(bold=True, size=12)
    header = row + 1
    widths = [LABEL_WIDTH] + [VALUE_WIDTH] * (len(table["columns"]) - 1)
    _header(ws, header, table["columns"], widths)
    percent = set(table.get("percent_columns") or [])
    for i, r in enumerate(table["rows"], start=1):
        for c, value in enumerate(r, start=1):
            cell = put(ws, header + i, c, value)
            if c - 1 in percent:
                cell.number_format = PERCENT_FORMAT
            if c == 1:
                _grade_fill(cell)
        lines = _label_lines(r)
        if lines > 1:
            ws.row_dimensions[header + i].height = 13 * lines + 2
            for c in range(1, len(r) + 1):
                ws.cell(row=header + i, column=c).alignment = Alignment(
                    wrap_text=True, vertical="top"
                )
    if table.get("chart") and table["rows"]:
        chart = {**table["chart"], "_columns": table["columns"]}
        _chart(ws, chart, header, table["rows"], f"{_col(len(table['columns']) + 2)}{row}")
    return row + max(len(table["rows"]) + 2, CHART_ROWS if table.get("chart") else 0) + 1


def _summary(wb: Any, spec: dict[str, Any]) -> None:
    ws = _Canvas(wb.create_sheet("Summary"))
    scale = _fitting_scale(spec, _summary_scale(spec))
    pager = _Pager(ws, scale)
    ws.sheet_format.defaultRowHeight = 15  # the height the page plan counts with
    ws.sheet_format.customHeight = True
    put(ws, 1, 1, spec["title"]).font = _font(bold=True, size=14)
    row = 2
    for line in spec.get("lines", []):
        put(ws, row, 1, line).font = _font()
        row += 1
    row += 1
    for fact in spec.get("facts", []):
        _fact(ws, row, fact)
        row += 1
    pager.place(1, row)
    widest = 3
    for table in spec.get("tables", []):
        row += 1
        pager.place(row, _block_rows(table) + 1)
        row = _summary_table(ws, row, table)
        widest = max(widest, len(table["columns"]) + 2 + 8)
    ws.column_dimensions["A"].width = LABEL_WIDTH
    for i in range(2, widest + 1):
        ws.column_dimensions[_col(i)].width = VALUE_WIDTH
    _page_setup(ws, spec, fit_width=False)
    ws.page_setup.scale = scale
    ws.sheet_view.showGridLines = False
    ws.flush()


# --- the workbook -----------------------------------------------------------------------------


def workbook_bytes(spec: dict[str, Any]) -> bytes:
    """The workbook described by ``spec`` as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.utils.indexed_list import IndexedList

    wb = Workbook(write_only=True)  # the Summary drawn, then each sheet streamed
    # The default font of every cell (and of the Normal style): a named sans-serif face, so
    # LibreOffice does not fall back to a serif one.
    wb._fonts = IndexedList([_font()])
    wb._named_styles["Normal"].font = _font()
    _summary(wb, spec)
    sheets = [(_data_sheet(wb, sheet, spec), wb.worksheets[-1]) for sheet in spec.get("sheets", [])]
    _properties(wb, spec)
    saved = _saved(wb)
    rows = {ws.path.lstrip("/"): out for out, ws in sheets}
    try:
        company = _company(spec.get("organisation") or "")
        return splice(saved, rows, company)
    finally:
        for out in rows.values():
            out.close()


def _saved(wb: Any) -> bytes:
    """The workbook's parts as ``wb.save`` writes them (openpyxl's ``save_workbook``), but
    stored, not compressed: :func:`splice` compresses each part once as it copies it."""
    import datetime
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    if not wb.worksheets:
        wb.create_sheet()
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True)
    wb.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
    ExcelWriter(wb, archive).save()
    return buf.getvalue()


def _properties(wb: Any, spec: dict[str, Any]) -> None:
    props = wb.properties
    props.title = spec.get("title", "")
    props.subject = spec.get("subject") or spec.get("title", "")
    org = spec.get("organisation") or ""
    props.creator = org or "qa"
    props.lastModifiedBy = org or "qa"
    props.keywords = spec.get("marking") or ""
    props.category = spec.get("marking") or ""


def _company(organisation: str) -> Callable[[str, bytes], bytes]:
    """An edit of the packed parts that sets the workbook's Company (docProps/app.xml),
    which openpyxl always writes empty."""
    from .xlsx_rows import escape  # not xml.sax.saxutils's: it imports urllib and ssl

    def edit(name: str, body: bytes) -> bytes:
        if name != "docProps/app.xml" or not organisation:
            return body
        text = body.decode("utf-8")
        company = f"<Company>{escape(organisation)}</Company>"
        text = re.sub(r"<Company\s*/>|<Company>.*?</Company>", "", text)
        return text.replace("</Properties>", company + "</Properties>").encode("utf-8")

    return edit


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
