"""The report templates count nothing themselves (docs/data-protection.md).

A count a template works out (`{{ actions | length }}`, `{{ a + b }}`) is a plain number that
never passes through the suppression of a redacted report: "2 at level 2 and above" would
leave it as it is. So every count a report prints comes from the report's data, where the
redactor sees it. This test reads each report template's syntax tree and fails on a counting
filter, on arithmetic that makes a count, or on a loop's length, wherever it appears.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Report templates (form-email.txt.j2 is the covering note of a form, not a report).
REPORTS = sorted(TEMPLATES.glob("*.md.j2"))
COUNTING_FILTERS = frozenset({"length", "count", "sum", "wordcount"})
# Division stays allowed: it makes a share, which a redacted report withholds ("–").
ARITHMETIC = (nodes.Add, nodes.Sub, nodes.Mul, nodes.FloorDiv, nodes.Mod, nodes.Pow)
LOOP_COUNTS = frozenset({"length", "revindex", "revindex0"})


def counting(source: str) -> list[str]:
    """Each place where ``source`` counts something itself, as "line N: what"."""
    tree = jinja2.Environment().parse(source)
    found = [
        f"line {f.lineno}: the {f.name} filter"
        for f in tree.find_all(nodes.Filter)
        if f.name in COUNTING_FILTERS
    ]
    found += [
        f"line {a.lineno}: arithmetic ({type(a).__name__})" for a in tree.find_all(ARITHMETIC)
    ]
    found += [
        f"line {g.lineno}: loop.{g.attr}"
        for g in tree.find_all(nodes.Getattr)
        if isinstance(g.node, nodes.Name) and g.node.name == "loop" and g.attr in LOOP_COUNTS
    ]
    # `{% for x in xs %}...{% set n = n + 1 %}` is arithmetic too (found above)
    return found


def test_every_report_template_is_read() -> None:
    names = {p.name for p in REPORTS}
    assert {"monthly.md.j2", "crib-sheets.md.j2", "monitoring.md.j2", "complaints.md.j2"} <= names
    assert "form-email.txt.j2" not in names


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_a_report_template_counts_nothing_itself(path: Path) -> None:
    assert not counting(path.read_text(encoding="utf-8")), counting(path.read_text())


@pytest.mark.parametrize(
    "snippet",
    [
        "- **{{ actions | length }}** actions agreed.",
        "{{ sent }} of {{ forms | length + midpoints | length }} forms",
        "no in {{ q.no }} of {{ q.yes + q.no + q.na }}",
        "{{ forms | count }}",
        "{{ rows | map(attribute='n') | sum }}",
        "{% for r in rows %}{% if loop.last %}{{ loop.length }}{% endif %}{% endfor %}",
        "{% if improvement.rows | length != 1 %}s{% endif %}",
    ],
)
def test_the_check_finds_a_count_put_back(snippet: str) -> None:
    """The counts the templates used to work out, each put back, are found."""
    assert counting(snippet)


def test_the_check_lets_the_report_data_and_shares_through() -> None:
    ok = (
        "{{ actions_agreed }} actions; {{ sent }} of {{ totals.completed }};"
        " {{ (g.count / distribution.n) | pct }}; {% for t in themes %}{{ loop.index }}{% endfor %}"
    )
    assert counting(ok) == []
