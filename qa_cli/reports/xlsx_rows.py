"""A data sheet's rows written as SpreadsheetML text, then spliced into the saved workbook.

openpyxl spends about 100 µs on each cell it writes (a cell object, its style, an XML
element); a month of 10,000 returns has a 157,000-row answers sheet, over a million cells.
This writes the same XML openpyxl writes (inline strings, dates as serial numbers with
the date style, the same style indices, which openpyxl registers) as text into a temporary
file, a row at a time, and :func:`splice` puts it into the sheet's ``<sheetData>`` when
the workbook is packed. What a reader sees is unchanged (``benchmarks/compare_workbooks.py``
compares every cell's value and style with openpyxl's own writing).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO, Any

_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
_EPOCH = dt.datetime(1899, 12, 30)
_MAX_TEXT = 32767  # Excel's longest cell text; openpyxl cuts there too
_SHEET_DATA_END = re.compile(rb"</sheetData>|<sheetData\s*/>")
# Deflate's level 3, not its default 6: 2.4x faster on the answers sheet's XML, and the
# workbook 20% larger (at 278 returns: 0.22 -> 0.09 s, 695 -> 834 KB)
ZIP_LEVEL = 3


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML text writes them."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _serial(value: dt.date) -> str:
    """A date as Excel's serial day number (openpyxl's ``to_excel``, then ``%.16g``)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    delta = moment - _EPOCH
    days = delta.days
    if 0 < days <= 60:
        days -= 1
    fraction = (delta.seconds + delta.microseconds / 1e6) / 86400
    serial = days + fraction if fraction else days
    return f"{serial:.16g}"


def _number(value: float) -> str:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return ""
    return f"{value:.16g}"


def cell_xml(ref: str, value: Any, style: int) -> str:
    """One ``<c>`` element as openpyxl writes a cell holding ``value`` (already cleaned)."""
    tail = cell_tail(value, style)
    return f'<c r="{ref}"{tail}' if tail else ""


def cell_tail(value: Any, style: int) -> str:
    """A ``<c>`` element after its reference: the same for every cell holding ``value`` in
    ``style`` (so a sheet makes it once); empty for a cell that is not written."""
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'{s} t="n" />' if style else ""
    if isinstance(value, str):
        value = value[:_MAX_TEXT]
        if value in _ERROR_CODES:
            return f'{s} t="e"><v>{escape(value)}</v></c>'
        if value == "":
            return f'{s} t="inlineStr" />'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'{s} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'{s} t="n"><v>{_number(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'{s} t="n"><v>{_serial(value)}</v></c>'
    raise ValueError(f"Cannot convert {value!r} to Excel")


class RowsFile:
    """The rows of one data sheet as XML text in a temporary file (so memory holds none)."""

    def __init__(self, letters: list[str]) -> None:
        self.letters = letters
        self.out: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.count = 0

    def write_tails(self, r: int, tails: list[str], height: float | None) -> None:
        """Row ``r`` from each cell's :func:`cell_tail` (empty: no cell written), and its
        height when it has one."""
        ht = f' ht="{_number(height)}" customHeight="1"' if height is not None else ""
        letters, row = self.letters, str(r)
        parts = [f'<row r="{r}"{ht}>']
        parts += [f'<c r="{letters[c]}{row}"{t}' for c, t in enumerate(tails) if t]
        parts.append("</row>")
        self.out.write("".join(parts))
        self.count += 1

    def close(self) -> None:
        self.out.close()


def splice(data: bytes, rows: dict[str, RowsFile], edit: Callable[[str, bytes], bytes]) -> bytes:
    """The workbook ``data`` with each sheet's rows (by its part name, e.g.
    ``xl/worksheets/sheet3.xml``) streamed in before ``</sheetData>``; every other part
    passes through ``edit(name, body)``."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            extra = rows.get(item.filename)
            if extra is None or not extra.count:
                body = edit(item.filename, body)
                dst.writestr(item, body, zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL)
                continue
            end = _SHEET_DATA_END.search(body)
            if end is None:
                raise ValueError(f"{item.filename} has no sheetData to put rows in")
            with dst.open(item.filename, "w") as part:  # by name: at the archive's level
                part.write(body[: end.start()])
                if end.group().startswith(b"<sheetData"):
                    part.write(b"<sheetData>")
                extra.out.seek(0)
                while chunk := extra.out.read(1 << 20):
                    part.write(chunk.encode("utf-8"))
                part.write(b"</sheetData>" + body[end.end() :])
    return out.getvalue()
