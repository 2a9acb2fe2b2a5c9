"""A redacted report carries no list of returns (docs/data-protection.md): for every report
kind, the redacted Markdown and workbook leave out each section and sheet with one row per
return, answer, action, strength, re-audit, form, complaint or observation, and say so in
one sentence; the full report keeps them."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from conftest import AS_OF, DEMO_REPORTS

from qa_cli.reports.lists import AGGREGATE_SHEETS, LIST_SHEETS, full_report_only

REPORTS = {**DEMO_REPORTS, "annual": (["annual", "--year", "2026"], "reports/2026/annual")}
SENTENCE = full_report_only()
# What a list of returns looks like in the Markdown: a table of cases, people or forms; a
# return quoted with its team and grade; a quote drawn from a return.
LIST_LINES = [
    re.compile(r"^\| (Case|Social worker|Held|Reviewed|What|Action) \|", re.M),
    re.compile(r"^- (Case \d+|\*\*Case \d+\*\*) \(", re.M),  # a return with its team, grade
    re.compile(r'^ {3}- "', re.M),  # a quote under a question
    re.compile(r"^- Case \d+: ", re.M),  # a grade moved by moderation
    re.compile(r"^### [A-Z]+-\d+-\d+: ", re.M),  # a complaint with its team
]
RETURN_COLUMNS = {"Case", "Grade", "Before", "After", "Social worker", "Agreed grade"}


def _render(run, repo: Path, name: str, *extra: str) -> tuple[str, openpyxl.Workbook]:  # noqa: ANN001
    args, stem = REPORTS[name]
    result = run("report", *args, "--repo", repo, "--as-of", AS_OF, *extra)
    assert result.exit_code == 0, result.output
    stem += "-redacted" if extra else ""
    md = (repo / f"{stem}.md").read_text(encoding="utf-8")
    return md, openpyxl.load_workbook(repo / f"{stem}.xlsx")


def _texts(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[str]:
    return [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


def _hidden_facts(full: openpyxl.Workbook, redacted: openpyxl.Workbook) -> set[int]:
    """The true values of the Summary's counts that the redacted workbook hides."""
    hidden = set()
    for a, b in zip(
        full["Summary"].iter_rows(values_only=True),
        redacted["Summary"].iter_rows(values_only=True),
        strict=False,
    ):
        for x, y in zip(a, b, strict=False):
            if isinstance(x, int) and isinstance(y, str) and (y.startswith("fewer") or y == "–"):
                hidden.add(x)
    return hidden


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_a_redacted_report_leaves_out_its_lists(run, demo_repo: Path, name: str) -> None:  # noqa: ANN001
    full_md, full_wb = _render(run, demo_repo, name)
    md, wb = _render(run, demo_repo, name, "--redact")

    # the full report keeps its lists, and says nothing of leaving them out
    full_names = [ws.title for ws in full_wb.worksheets]
    listed = [n for n in full_names if n in LIST_SHEETS]
    assert listed, full_names  # every kind has at least one list sheet in the demo
    assert any(full_wb[n].max_row > 1 for n in listed)  # with rows to count
    assert not set(full_names) - LIST_SHEETS - AGGREGATE_SHEETS - {"Summary"}, full_names
    assert SENTENCE not in full_md
    assert any(p.search(full_md) for p in LIST_LINES), name

    # the redacted Markdown has the sentence where the lists were, and no list
    assert SENTENCE in md
    for pattern in LIST_LINES:
        assert not pattern.search(md), (name, pattern.search(md))

    # the redacted workbook: no list sheet; the Summary names those left out, and why
    names = [ws.title for ws in wb.worksheets]
    assert not set(names) & LIST_SHEETS, names
    texts = _texts(wb["Summary"])
    said = [i for i, t in enumerate(texts) if "full report only" in t]
    assert len(said) == 1 and all(n in texts[said[0]] for n in listed), said
    assert "could give back the small numbers" in texts[said[0] + 1]
    hidden = _hidden_facts(full_wb, wb)
    for ws in wb.worksheets[1:]:
        header = next(ws.iter_rows(values_only=True))
        assert not set(header) & RETURN_COLUMNS, (ws.title, header)
        assert "What the auditors found" not in header and "Comments" not in header
        # a sheet's rows are categories (questions, auditors, owners), never returns: its
        # length gives no hidden count back, since no sheet of returns is left to count
        if ws.max_row - 1 in hidden:
            assert ws.title in AGGREGATE_SHEETS, (ws.title, ws.max_row - 1)
