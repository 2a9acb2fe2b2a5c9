"""End to end over a copy of the example repository: clean as shipped, and each kind of
mistake an auditor makes in a real return is caught at the line where it was made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import snapshot


def _first_returned_audit(repo: Path) -> Path:
    for path in sorted((repo / "audits").glob("*/*.yaml")):
        text = path.read_text()
        if "status: closed" in text and "overall_grade: good" in text:
            return path
    pytest.fail("the demo has no closed Good audit")


def _line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_demo_validates_clean_and_unchanged(demo_repo: Path, run) -> None:
    before = snapshot(demo_repo)
    result = run("validate", "--repo", demo_repo, "--strict")
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output
    assert snapshot(demo_repo) == before


# Each mistake, by name: the text of the demo's first returned audit, what it becomes, the rule.
MISTAKES = {
    "grade-misspelt": ("overall_grade: good", "overall_grade: Good!", "QA106"),
    "status-misspelt": ("status: closed", "status: closd", "QA106"),
    "uk-date": ("completed: ", "completed: 31/12/2026  # ", "QA105"),
    "key-misspelt": ("strengths:", "strenghts:", "QA101"),
}


@pytest.mark.parametrize(("old", "new", "code"), list(MISTAKES.values()), ids=list(MISTAKES))
def test_demo_mistakes_point_at_their_line(
    demo_repo: Path, run, old: str, new: str, code: str
) -> None:
    path = _first_returned_audit(demo_repo)
    text = path.read_text()
    line = _line_of(path, old)
    path.write_text(text.replace(old, new, 1))
    result = run("validate", "--repo", demo_repo, "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)["diagnostics"]
    rel = path.relative_to(demo_repo).as_posix()
    assert any(d["code"] == code and d["path"] == rel and d["line"] == line for d in found), found


def test_demo_answer_typo_is_caught_with_a_suggestion(demo_repo: Path, run) -> None:
    path = _first_returned_audit(demo_repo)
    text = path.read_text()
    target = next(ln for ln in text.splitlines() if ln.strip().endswith(": yes"))
    key = target.split(":")[0].strip()
    path.write_text(text.replace(target, target.replace(": yes", ": yse"), 1))
    result = run("validate", "--repo", demo_repo, "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)["diagnostics"]
    hits = [d for d in found if d["code"] == "QA303" and key in d["message"]]
    assert hits and "did you mean `yes`?" in hits[0]["hint"]
