"""Honest figures and the shared palette: small inputs, library functions."""

from __future__ import annotations

import json
import re

from conftest import one_team_config

from qa_cli.reports.collate import honest_change
from qa_cli.reports.markdown import change_text
from qa_cli.reports.mermaid import grade_pie, share_bars
from qa_cli.reports.names import Namer
from qa_cli.reports.palette import GRADE_COLOURS
from qa_cli.stats import change, share


def test_a_two_return_month_shows_no_change_in_points() -> None:
    c = change(share(0, 2), share(6, 10))  # -60 points on 2 returns
    out = honest_change(c, 10)
    assert out["too_few"] and out["diff"] is None and out["low"] is None
    assert out["direction"] == "too few returns to compare"
    text = str(change_text(out))
    assert "points" not in text and "too few returns to compare (2 and 10 returns" in text


def test_enough_returns_on_both_sides_keep_the_change() -> None:
    out = honest_change(change(share(4, 12), share(10, 12)), 10)
    assert not out["too_few"] and out["diff"] < 0
    assert "points" in str(change_text(out))
    # the threshold comes from qa.yaml: with 20 the same figures are withheld
    assert honest_change(change(share(4, 12), share(10, 12)), 20)["too_few"]


def _init(block: str) -> dict:
    line = next(x for x in block.splitlines() if x.startswith("%%{init:"))
    return json.loads(line[len("%%{init: ") : -len("}%%")])


def test_pie_slices_take_their_grade_colour_in_drawing_order() -> None:
    grades = [
        {"grade": "outstanding", "name": "Outstanding", "count": 0},
        {"grade": "good", "name": "Good", "count": 3},
        {"grade": "requires_improvement", "name": "Requires Improvement", "count": 4},
        {"grade": "inadequate", "name": "Inadequate", "count": 1},
    ]
    block = str(grade_pie(grades, "Agreed grades"))
    names = re.findall(r'^\s+"([^"]+)" : \d+$', block, re.M)
    assert names == ["Requires Improvement", "Good", "Inadequate"]  # largest first, none empty
    variables = _init(block)["themeVariables"]
    assert [variables[f"pie{i}"] for i in (1, 2, 3)] == [
        "#" + GRADE_COLOURS[g] for g in ("requires_improvement", "good", "inadequate")
    ]
    # text in a mid grey that reads on light and dark pages; white on the slices
    assert variables["pieTitleTextColor"] == variables["pieLegendTextColor"] == "#7F7F7F"


def test_trend_bars_use_the_palette_and_skip_empty_months() -> None:
    months = [
        {"key": "2026-08", "n": 0, "good_or_better": {"value": None}},
        {"key": "2026-09", "n": 4, "good_or_better": {"value": 0.5}},
    ]
    block = str(share_bars(months, "Good or better (%)"))
    assert '["2026-09"]' in block and "bar [50]" in block
    assert _init(block)["themeVariables"]["xyChart"]["plotColorPalette"].startswith("#")
    assert str(share_bars(months[:1], "x")) == ""


def test_names_replace_ids_in_values_and_prose_but_not_paths() -> None:
    cfg = one_team_config(
        "Testborough", ("sg", "Safeguarding"), ("team-a", "Team A"), ("tm-dowusu", "Dan Owusu")
    )
    n = Namer(cfg)
    data = {
        "team": "team-a",
        "title": "escalated to tm-dowusu on 2026-11-12",
        "path": "observations/2026/tm-dowusu--2026-10-01.yaml",
        "keep": "team-a-ish",
    }
    out = n(data)
    assert out["team"] == "Team A"
    assert out["title"] == "escalated to Dan Owusu on 2026-11-12"
    assert out["path"] == data["path"] and out["keep"] == "team-a-ish"
