"""Mermaid charts for the Markdown reports, in the report palette (:mod:`.palette`).

Each chart starts with an ``%%{init}%%`` line: Mermaid's ``base`` theme with the grade colours
and a mid-grey text that reads on a light and on a dark page, so the git host's light and dark
themes both show it.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from .palette import mermaid_pie_init, mermaid_xy_init


def label(value: Any) -> str:
    """A label inside a Mermaid block: no quotes, brackets or line breaks to break the chart."""
    text = " ".join(str(value).split())
    return re.sub(r"[\"'`\[\]{}<>;#|]", "", text)


def grade_pie(grades: list[dict[str, Any]], title: str) -> Markup:
    """A pie of grade counts, largest slice first, each slice in its grade's colour."""
    slices = sorted((g for g in grades if g.get("count")), key=lambda g: -g["count"])
    if not slices:
        return Markup("")
    lines = [
        "```mermaid",
        mermaid_pie_init([g["grade"] for g in slices]),
        f"pie showData title {label(title)}",
        *[f'    "{label(g["name"])}" : {g["count"]}' for g in slices],
        "```",
    ]
    return Markup("\n".join(lines))


def share_bars(months: list[dict[str, Any]], title: str) -> Markup:
    """Good-or-better share (%) by month as bars; months without returns are left out."""
    shown = [m for m in months if m.get("n")]
    if not shown:
        return Markup("")
    keys = ", ".join(f'"{label(m["key"])}"' for m in shown)
    values = ", ".join(str(round((m["good_or_better"]["value"] or 0) * 100)) for m in shown)
    lines = [
        "```mermaid",
        mermaid_xy_init(),
        "xychart-beta",
        f'    title "{label(title)}"',
        f"    x-axis [{keys}]",
        '    y-axis "Percent" 0 --> 100',
        f"    bar [{values}]",
        "```",
    ]
    return Markup("\n".join(lines))
