"""qa_cli.reports.lists: the redacted workbook's lists left out, and said so."""

from __future__ import annotations

import copy

from qa_cli.reports.lists import full_report_only, without_lists


def _book() -> dict:
    return {
        "title": "T",
        "lines": ["first"],
        "sheets": [
            {"name": "Audits", "columns": ["Case", "Team"], "rows": [["Case 1", "A"]]},
            {
                "name": "Child's voice",
                "columns": ["Question", "Answers", "What the auditors found"],
                "rows": [["Q1", "yes: 3", "seen alone"]],
            },
            {"name": "Moderation", "columns": ["Auditor", "Reviewed"], "rows": [["Staff A", 9]]},
            {"name": "Strengths", "columns": ["Case"], "rows": [["Case 2"]]},
        ],
    }


def test_list_sheets_and_quotes_are_left_out_and_said_so() -> None:
    book = _book()
    before = copy.deepcopy(book)
    out = without_lists(book)
    assert book == before  # a copy
    assert [s["name"] for s in out["sheets"]] == ["Child's voice", "Moderation"]
    voice = out["sheets"][0]
    assert voice["columns"] == ["Question", "Answers"] and voice["rows"] == [["Q1", "yes: 3"]]
    assert out["sheets"][1] == book["sheets"][2]
    assert out["lines"][0] == "first"
    assert out["lines"][1] == "The Audits and Strengths sheets are in the full report only:"
    assert out["lines"][2].startswith("they are left out of the circulated report because")


def test_one_sheet_is_said_in_the_singular_and_no_list_says_nothing() -> None:
    book = _book()
    book["sheets"] = book["sheets"][:1]
    assert without_lists(book)["lines"][1:] == [
        "The Audits sheet is in the full report only:",
        "it is left out of the circulated report because its rows, counted, could give back "
        "the small numbers that the tables withhold.",
    ]
    book["sheets"] = []
    assert without_lists(book)["lines"] == ["first"]
    assert full_report_only().startswith("This list is in the full report only: it is left")
