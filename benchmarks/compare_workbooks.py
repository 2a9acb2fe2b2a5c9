"""Compare two folders of report workbooks as a reader sees them: cells and their styles,
row heights, column widths, panes, filters, print setup, charts and the document properties.

    .venv/bin/python benchmarks/compare_workbooks.py BEFORE_DIR AFTER_DIR

Used to check that a change to how workbooks are written (issue 16: openpyxl's write-only
mode) leaves them looking the same. Prints each difference; exits 1 when there is one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import openpyxl


def _cell(c: Any) -> tuple[Any, ...]:
    f, a = c.font, c.alignment
    fill = (c.fill.patternType, c.fill.fgColor.rgb) if c.fill is not None else None
    return (
        c.value,
        c.data_type,
        c.number_format,
        (f.name, f.sz, f.b, f.i, f.color.rgb if f.color is not None else None),
        fill,
        (a.horizontal, a.vertical, a.wrap_text),
        c.quotePrefix,
    )


def _sheet(ws: Any) -> dict[str, Any]:
    ps = ws.page_setup
    return {
        "cells": {
            (c.row, c.column): _cell(c)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or c.has_style
        },
        "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
        "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.width},
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "titles": ws.print_title_rows,
        "page": (ps.orientation, ps.paperSize, ps.fitToWidth, ps.fitToHeight, ps.scale),
        "fit": ws.sheet_properties.pageSetUpPr.fitToPage
        if ws.sheet_properties.pageSetUpPr
        else None,
        "margins": (ws.page_margins.left, ws.page_margins.top, ws.page_margins.header),
        "header": (ws.oddHeader.left.text, ws.oddHeader.right.text, ws.oddFooter.center.text),
        "breaks": [b.id for b in ws.row_breaks.brk],
        "charts": len(ws._charts),
        "grid": ws.sheet_view.showGridLines,
        "default_height": ws.sheet_format.defaultRowHeight,
    }


def compare(before: Path, after: Path) -> list[str]:
    problems: list[str] = []
    wa, wb = openpyxl.load_workbook(before), openpyxl.load_workbook(after)
    if wa.sheetnames != wb.sheetnames:
        return [f"{after.name}: sheets {wa.sheetnames} != {wb.sheetnames}"]
    pa, pb = wa.properties, wb.properties
    for key in ("title", "subject", "creator", "keywords", "category"):
        if getattr(pa, key) != getattr(pb, key):
            problems.append(f"{after.name}: property {key} differs")
    for name in wa.sheetnames:
        sa, sb = _sheet(wa[name]), _sheet(wb[name])
        for key in sa:
            if sa[key] == sb[key]:
                continue
            if key == "cells":
                keys = sorted(set(sa[key]) | set(sb[key]))
                diff = [k for k in keys if sa[key].get(k) != sb[key].get(k)]
                k = diff[0]
                problems.append(
                    f"{after.name} [{name}] {len(diff)} cells differ, first {k}: "
                    f"{sa[key].get(k)} != {sb[key].get(k)}"
                )
            else:
                problems.append(f"{after.name} [{name}] {key}: {sa[key]} != {sb[key]}")
    return problems


def main() -> int:
    before, after = Path(sys.argv[1]), Path(sys.argv[2])
    problems: list[str] = []
    files = sorted(p.relative_to(before) for p in before.rglob("*.xlsx"))
    for rel in files:
        if not (after / rel).is_file():
            problems.append(f"{rel}: missing after")
            continue
        problems += compare(before / rel, after / rel)
    print("\n".join(problems) or f"{len(files)} workbooks: no difference")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
