"""Limits that keep one hostile or broken file from stopping a run, checked before parsing.

Every check here is a cheap scan of the bytes or text, done *before* a parser that could
recurse, allocate or run without end gets the file:

* :func:`nesting` measures how deep block indentation and flow brackets go, so a file
  nested 20,000 levels deep is reported instead of exhausting the YAML parser's recursion;
* :func:`long_line` finds a line over :data:`MAX_LINE_CHARS`;
* :func:`encoding_problem` names what a file that is not UTF-8 text really is (UTF-16 or
  UTF-32 with or without a byte-order mark, NUL bytes of binary data);
* :func:`xlsx_problem` reads an XLSX workbook's zip directory and each sheet's declared
  dimension, refusing a zip bomb or a sheet of millions of rows before openpyxl opens it.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_DEPTH = 64  # levels of nesting in a YAML file (the deepest audit file has about 6)
MAX_LINE_CHARS = 20_000  # one line of a YAML file (a long free-text answer is ~5,000)
MAX_CSV_CELL = 100_000  # characters in one CSV cell
MAX_EXPORT_BYTES = 200_000_000  # a case-list export file (CSV or XLSX)
MAX_XLSX_UNCOMPRESSED = 400_000_000  # all the parts of an XLSX workbook, uncompressed
MAX_XLSX_RATIO = 150  # uncompressed / compressed size of one large part of a workbook
MAX_XLSX_ROWS = 250_000  # rows of one sheet


@dataclass(frozen=True)
class Where:
    """A 1-based position in a text and what is wrong there."""

    line: int
    column: int
    message: str


def nesting(text: str, limit: int = MAX_DEPTH) -> Where | None:
    """Where the nesting of ``text`` first goes deeper than ``limit``, or None.

    Counts the open block levels (a stack of indentations, `- ` items included) plus the
    open flow brackets (``[``/``{`` outside quotes and comments). Linear in the text; it
    over-counts rather than under-counts, which is the safe side for a limit.
    """
    if _depth_bound(text) <= limit:
        return None
    indents: list[int] = []
    flow = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" ")
        if flow == 0 and stripped and not stripped.startswith("#"):
            indent = len(line) - len(stripped)
            while indents and indents[-1] > indent:
                indents.pop()
            if not indents or indents[-1] < indent:
                indents.append(indent)
            dashes = _DASHES.match(stripped).group(0).count("-")  # type: ignore[union-attr]
            if len(indents) + dashes > limit:
                return Where(number, indent + 1, _deep(limit))
        depth, column = _flow_depth(line, flow, limit - len(indents))
        if column:
            return Where(number, column, _deep(limit))
        flow = depth
    return None


_DASHES = re.compile(r"(?:-(?: +|$))*")
_LEAD = re.compile(r"\n[ -]*")  # a line's leading spaces and dashes, after its newline


def _depth_bound(text: str) -> int:
    """A quick upper bound of :func:`nesting`'s count, to skip the scan of ordinary files.

    Block levels are distinct indentations (at most the leading spaces + 1) plus the `- `
    of the line; flow levels are at most the brackets in the whole text.
    """
    lead = max(map(len, _LEAD.findall("\n" + text))) - 1  # 4x faster than a `^` search
    return lead + 1 + text.count("[") + text.count("{")


def _deep(limit: int) -> str:
    return f"the file is nested more than {limit} levels deep"


def _flow_depth(line: str, depth: int, limit: int) -> tuple[int, int]:
    """(flow depth at the end of ``line``, 1-based column where it passed ``limit`` or 0)."""
    if "[" not in line and "{" not in line and depth == 0:
        return 0, 0
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (i == 0 or line[i - 1] in " [{,:"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        elif ch in "[{":
            depth += 1
            if depth > max(limit, 1):
                return depth, i + 1
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return depth, 0


def long_line(text: str, limit: int = MAX_LINE_CHARS) -> Where | None:
    """The first line longer than ``limit`` characters, or None."""
    if len(text) <= limit:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > limit:
            return Where(
                number,
                limit + 1,
                f"line {number} is {len(line):,} characters long, over the limit of {limit:,}",
            )
    return None


_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian, with a byte-order mark)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian, with a byte-order mark)"),
    (b"\xff\xfe", "UTF-16 (little-endian, with a byte-order mark)"),
    (b"\xfe\xff", "UTF-16 (big-endian, with a byte-order mark)"),
)


def encoding_problem(data: bytes) -> Where | None:
    """A truthful name for bytes that are not UTF-8 text: UTF-16/32, or NUL bytes."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Where(1, 1, f"the file is {name} text, not UTF-8")
    nul = data.find(b"\x00")
    if nul < 0:
        return None
    head = data[:4096]
    if len(head) >= 4:
        odd, even = head[1::2].count(0), head[0::2].count(0)
        half = len(head) // 2
        if odd >= half * 0.6 and even == 0:
            return Where(1, 1, "the file is UTF-16 text (little-endian, no byte-order mark)")
        if even >= half * 0.6 and odd == 0:
            return Where(1, 1, "the file is UTF-16 text (big-endian, no byte-order mark)")
    before = data[:nul]
    line = before.count(b"\n") + 1
    column = nul - (before.rfind(b"\n") + 1) + 1
    return Where(
        line, column, "the file holds NUL bytes (binary data), which a text file never has"
    )


def xlsx_problem(path: Path) -> str | None:
    """Why an XLSX workbook must not be opened (too big unpacked, a zip bomb, too many rows)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_XLSX_UNCOMPRESSED:
                return (
                    f"it would unpack to {total:,} bytes, over the limit of "
                    f"{MAX_XLSX_UNCOMPRESSED:,}"
                )
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 10_000_000 and ratio > MAX_XLSX_RATIO:
                    return (
                        f"its part {info.filename} unpacks {ratio:,.0f} times larger than it is "
                        "stored (a zip bomb?)"
                    )
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    rows = _declared_rows(zf, info)
                    if rows > MAX_XLSX_ROWS:
                        limit = f"{MAX_XLSX_ROWS:,}"
                        return f"a sheet declares {rows:,} rows, over the limit of {limit}"
    except zipfile.BadZipFile:
        return "it is not a valid XLSX file (not a zip archive)"
    except (OSError, RuntimeError, NotImplementedError) as exc:
        return f"it could not be opened ({type(exc).__name__})"
    return None


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def _declared_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """The last row a sheet's ``<dimension>`` declares (read from its first 4 kB), or 0."""
    with zf.open(info) as fh:
        head = fh.read(4096)
    m = _DIMENSION.search(head)
    return int(m[1]) if m and m[1] else 0
