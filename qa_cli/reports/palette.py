"""The one grade palette of every report: workbook charts, cell fills and Mermaid charts.

A diverging blue-to-red scale (after ColorBrewer's RdBu), safe for the common forms of colour
blindness: the two "good" grades are blues told apart by lightness, the two "below Good"
grades orange and red, also told apart by lightness. Every grade is always written in words
too, so colour is never the only carrier of meaning.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ..models.common import GRADE_NAMES, GRADES

# Chart colours (bars, slices, lines): mid to dark, readable on white and on a dark page.
GRADE_COLOURS = {
    "outstanding": "1B6CA8",
    "good": "6BAED6",
    "requires_improvement": "F6A04D",
    "inadequate": "C0392B",
}
# Cell fills: light tints of the same hues, so black text on them keeps its contrast.
GRADE_TINTS = {
    "outstanding": "BDD7EE",
    "good": "DEEBF7",
    "requires_improvement": "FCE4CC",
    "inadequate": "F4C7C3",
}
# One neutral colour for a series that is not a grade (e.g. "Good or better" over time).
SERIES_COLOUR = "1B6CA8"
# Text on charts that must read on a light and on a dark page: a mid grey.
NEUTRAL_TEXT = "#7F7F7F"

_BY_NAME = {GRADE_NAMES[g]: g for g in GRADES}


def grade_key(value: object) -> str | None:
    """``good`` for ``good`` or ``Good``; None for anything that is not a grade."""
    if not isinstance(value, str):
        return None
    if value in GRADE_COLOURS:
        return value
    return _BY_NAME.get(value)


def mermaid_pie_init(grades_in_order: list[str]) -> str:
    """The ``%%{init}%%`` line colouring a pie's slices, given in the order they are drawn.

    Mermaid colours slices pie1, pie2, ... in drawing order (largest first); the report writes
    the slices largest first too, so the n-th slice gets its grade's colour.
    """
    variables: dict[str, str] = {
        "pieStrokeColor": "#FFFFFF",
        "pieOuterStrokeColor": NEUTRAL_TEXT,
        "pieSectionTextColor": "#111111",  # dark on every slice: contrast 3.6:1 at the least
        "pieTitleTextColor": NEUTRAL_TEXT,
        "pieLegendTextColor": NEUTRAL_TEXT,
    }
    for i, g in enumerate(grades_in_order, start=1):
        variables[f"pie{i}"] = "#" + GRADE_COLOURS[g]
    return _init(variables)


def mermaid_xy_init(colours: list[str] | None = None) -> str:
    """The ``%%{init}%%`` line of an ``xychart-beta``: bars in the palette, grey text."""
    palette = ", ".join("#" + c for c in (colours or [SERIES_COLOUR]))
    variables = {
        "xyChart": {
            "plotColorPalette": palette,
            "titleColor": NEUTRAL_TEXT,
            "xAxisLabelColor": NEUTRAL_TEXT,
            "xAxisTitleColor": NEUTRAL_TEXT,
            "xAxisLineColor": NEUTRAL_TEXT,
            "xAxisTickColor": NEUTRAL_TEXT,
            "yAxisLabelColor": NEUTRAL_TEXT,
            "yAxisTitleColor": NEUTRAL_TEXT,
            "yAxisLineColor": NEUTRAL_TEXT,
            "yAxisTickColor": NEUTRAL_TEXT,
            "backgroundColor": "transparent",
        }
    }
    return _init(variables)


def _init(variables: Mapping[str, object]) -> str:
    config = {"theme": "base", "themeVariables": variables}
    return "%%{init: " + json.dumps(config, separators=(", ", ": ")) + "}%%"
