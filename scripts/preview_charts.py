"""Draw a preview of the monthly report's Mermaid charts in the report palette, on a light and
on a dark page, as a one-page PDF (then ``pdftoppm -png`` for the docs' picture).

Mermaid itself draws in a browser, which a machine without one cannot run; this draws the demo's
October data (the grade pie and the Good-or-better bars) with the same colours and the same
grey text (``qa_cli.reports.palette``), with nothing but the standard library.

Usage: python scripts/preview_charts.py OUT.pdf
"""

from __future__ import annotations

import json
import math
import sys

from qa_cli.reports.palette import GRADE_COLOURS, NEUTRAL_TEXT, SERIES_COLOUR, mermaid_pie_init

# the slice text colour the report's own init line sets
_INIT = json.loads(mermaid_pie_init(["good"])[len("%%{init: ") : -len("}%%")])
SLICE_TEXT = _INIT["themeVariables"]["pieSectionTextColor"]

PIE = [
    ("good", "Good", 3),
    ("requires_improvement", "Requires Improvement", 1),
    ("inadequate", "Inadequate", 1),
]
BARS = [("2026-08", 73), ("2026-09", 57), ("2026-10", 60)]
W, H = 720, 400  # points


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return " ".join(f"{int(h[i : i + 2], 16) / 255:.3f}" for i in (0, 2, 4))


def _text(x: float, y: float, s: str, size: int = 11, colour: str = NEUTRAL_TEXT) -> str:
    s = s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"BT {_rgb(colour)} rg /F1 {size} Tf {x:.1f} {y:.1f} Td ({s}) Tj ET"


def _pie(cx: float, cy: float, r: float) -> list[str]:
    total = sum(n for _, _, n in PIE)
    out, angle = [], math.pi / 2
    for i, (grade, name, n) in enumerate(PIE):
        end = angle - 2 * math.pi * n / total  # clockwise from the top, as Mermaid draws
        pts = [(cx, cy)] + [
            (cx + r * math.cos(a), cy + r * math.sin(a))
            for a in (angle + (end - angle) * k / 48 for k in range(49))
        ]
        path = " ".join(f"{x:.1f} {y:.1f} {'m' if j == 0 else 'l'}" for j, (x, y) in enumerate(pts))
        out.append(f"{_rgb(GRADE_COLOURS[grade])} rg 1 1 1 RG 1.5 w {path} h B")
        mid = (angle + end) / 2
        out.append(
            _text(
                cx + 0.55 * r * math.cos(mid) - 10,
                cy + 0.55 * r * math.sin(mid) - 4,
                f"{round(100 * n / total)}%",
                11,
                SLICE_TEXT,
            )
        )
        ly = cy + r - 12 - 20 * i
        out.append(f"{_rgb(GRADE_COLOURS[grade])} rg {cx + r + 16:.1f} {ly:.1f} 10 10 re f")
        out.append(_text(cx + r + 32, ly + 1, f"{name} [{n}]", 10))
        angle = end
    out.append(_text(cx - 40, cy + r + 14, "Grades, October 2026", 12))
    return out


def _bars(x0: float, y0: float, w: float, h: float) -> list[str]:
    g = _rgb(NEUTRAL_TEXT)
    out = [
        _text(x0 + w / 2 - 50, y0 + h + 14, "Good or better (%)", 12),
        f"{g} RG 0.8 w {x0} {y0} m {x0} {y0 + h} l S {x0} {y0} m {x0 + w} {y0} l S",
    ]
    for v in (0, 50, 100):
        out.append(_text(x0 - 22, y0 + h * v / 100 - 3, str(v), 9))
    step = w / len(BARS)
    for i, (label, v) in enumerate(BARS):
        bx = x0 + i * step + step * 0.2
        out.append(
            f"{_rgb(SERIES_COLOUR)} rg {bx:.1f} {y0} {step * 0.6:.1f} {h * v / 100:.1f} re f"
        )
        out.append(_text(bx + 2, y0 - 13, label, 9))
    return out


def pdf() -> bytes:
    ops: list[str] = []
    for row, (bg, name) in enumerate((("#FFFFFF", "light theme"), ("#0D1117", "dark theme"))):
        y = H - (row + 1) * H / 2
        ops.append(f"{_rgb(bg)} rg 0 {y} {W} {H / 2} re f")
        ops.append(_text(8, y + H / 2 - 14, name, 9))
        ops += _pie(110, y + 95, 70) + _bars(470, y + 40, 200, 120)
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {W} {H}] /Contents 4 0 R "
        f"/Resources << /Font << /F1 5 0 R >> >> >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


if __name__ == "__main__":
    with open(sys.argv[1], "wb") as f:
        f.write(pdf())
