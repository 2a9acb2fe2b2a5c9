"""`qa grades` over the example repository and over small hand-made repositories."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from qa_cli.reports.collate import first_point, moderation, question_themes


def test_grades_json_by_team_counts_every_graded_return(run, demo_repo: Path) -> None:
    r = run("grades", "--repo", demo_repo, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["by"] == "team"
    assert sum(row["n"] for row in data["rows"]) == data["returns"] > 0
    for row in data["rows"]:
        assert sum(row["counts"].values()) == row["n"]
        g = row["good_or_better"]
        assert g["low"] <= g["value"] <= g["high"]
    a = data["moderation"]["agreement"]
    assert a["n"] > 0 and 0 <= a["exact"]["value"] <= 1


def test_grades_by_month_respects_from_and_to(run, demo_repo: Path) -> None:
    r = run(
        "grades",
        "--repo",
        demo_repo,
        "--by",
        "month",
        "--from",
        "2026-09",
        "--to",
        "2026-09",
        "-f",
        "json",
    )
    data = json.loads(r.output)
    assert [row["key"] for row in data["rows"]] == ["2026-09"]


def test_grades_csv_by_question(run, demo_repo: Path) -> None:
    r = run("grades", "--repo", demo_repo, "--by", "question", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert rows and rows[0].keys() >= {"question", "good", "good_or_better", "ci_low"}
    assert all(r["question"].endswith("-grade") for r in rows)


@pytest.mark.parametrize("by", ["team", "service", "tool", "auditor", "month", "question"])
def test_grades_table_for_every_grouping(run, demo_repo: Path, by: str) -> None:
    r = run("grades", "--repo", demo_repo, "--by", by)
    assert r.exit_code == 0, r.output
    assert f"Grades by {by}" in r.output
    assert "quadratic-weighted kappa" in r.output


def test_grades_bad_month(run, demo_repo: Path) -> None:
    r = run("grades", "--repo", demo_repo, "--from", "2026-9")
    assert r.exit_code == 2 and "YYYY-MM" in r.output
    r = run("grades", "--repo", demo_repo, "--from", "2026-10", "--to", "2026-09")
    assert r.exit_code == 2 and "after" in r.output


class _Review:
    def __init__(self, grade: str) -> None:
        self.agreed_grade = grade
        self.reviewer = "qa-1"


class _Audit:
    def __init__(self, grade: str, agreed: str | None, auditors: list[str]) -> None:
        self.overall_grade = grade
        self.qa_review = _Review(agreed) if agreed else None
        self.auditors = auditors
        self.case = "C-00000000"
        self.team = "t"


class _Rec:
    def __init__(self, audit: _Audit) -> None:
        self.audit = audit


def test_drift_says_who_grades_more_generously() -> None:
    recs = [
        _Rec(_Audit("good", "requires_improvement", ["tm-a"])),
        _Rec(_Audit("outstanding", "good", ["tm-a"])),
        _Rec(_Audit("requires_improvement", "good", ["tm-b"])),
        _Rec(_Audit("good", "good", ["tm-b", "tm-a"])),
        _Rec(_Audit("good", None, ["tm-c"])),  # no review: not in agreement
    ]
    m = moderation(recs, {"tm-a": "A", "tm-b": "B"})  # type: ignore[arg-type]
    assert m.agreement.n == 4 and m.agreement.exact.k == 1
    drift = {d.auditor: d for d in m.drift}
    assert drift["tm-a"].direction == "more generous" and drift["tm-a"].higher == 2
    assert drift["tm-b"].direction == "harsher" and drift["tm-b"].lower == 1
    assert "tm-c" not in drift
    assert len(m.changed) == 3


def test_first_point_is_one_line_and_short() -> None:
    text = "- First point that goes\n  on to a second line.\n- Second point.\n"
    assert first_point(text) == "First point that goes on to a second line."
    assert first_point("word " * 100, 30).endswith("…")


def test_themes_count_only_questions_where_no_is_a_shortfall(demo_repo: Path) -> None:
    from qa_cli.reports.collate import collect
    from qa_cli.repository import Repository

    recs = [r for r in collect(Repository.load(demo_repo)) if r.month == "2026-10"]
    themes = question_themes(recs)
    assert themes
    # "Has the case been closed with no further action?" is answered no without any shortfall
    assert all(t.question != "case-closed-nfa" for t in themes)
    assert themes == sorted(themes, key=lambda t: (-t.no, -t.share, t.question))
