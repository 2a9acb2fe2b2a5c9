"""Terminal output through rich's layout: wrapped at words to the width, never cut, whole
when piped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AS_OF
from typer.testing import CliRunner

from qa_cli.cli import app
from qa_cli.reports.names import Namer
from qa_cli.repository import Repository


def _qa(*args: str | Path, columns: int | None = None) -> str:
    env = {"COLUMNS": str(columns)} if columns else {"COLUMNS": ""}
    result = CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_due_fits_the_width_and_breaks_no_word(demo_repo: Path, columns: int) -> None:
    out = _qa("due", "--repo", demo_repo, "--as-of", AS_OF, columns=columns)
    lines = out.splitlines()
    assert max(len(x) for x in lines) <= columns
    assert "…" not in out
    tokens = set(out.split())
    data = json.loads(_qa("due", "--repo", demo_repo, "--as-of", AS_OF, "--format", "json"))
    namer = Namer(Repository.load(demo_repo).config)
    for item in data["items"]:
        words = namer.text(item["title"]).split()
        missing = [w for w in words if w not in tokens]
        assert not missing, (item["title"], missing)
        if columns >= 80:
            assert item["path"] in tokens  # a path is never broken at 80 columns and more


def test_due_totals_agree(demo_repo: Path) -> None:
    out = _qa("due", "--repo", demo_repo, "--as-of", AS_OF, columns=120)
    heading = next(x for x in out.splitlines() if x.startswith("Overdue ("))
    n = int(heading.split("(")[1].rstrip(")"))
    assert f", {n} overdue, " in out
    data = json.loads(_qa("due", "--repo", demo_repo, "--as-of", AS_OF, "--format", "json"))
    assert data["totals"]["overdue"] == n


def test_piped_output_is_never_cut(demo_repo: Path) -> None:
    from qa_cli.validation.rules import RULES

    rules = _qa("rules")
    lines = rules.splitlines()
    for r in RULES.values():
        assert any(r.code in x and r.explanation in x for x in lines), r.code
    grades = _qa("grades", "--repo", demo_repo, "--by", "team")
    cfg = Repository.load(demo_repo).config
    assert cfg is not None
    grade_lines = grades.splitlines()
    for t in cfg.teams:
        if any(t.name in x for x in grade_lines):
            assert any(x.lstrip().startswith(t.name) for x in grade_lines)
    assert "…" not in rules + grades


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_grades_sample_and_rules_fit_the_width_without_ellipsis(
    demo_repo: Path, columns: int
) -> None:
    outputs = [
        _qa("grades", "--repo", demo_repo, "--by", "auditor", columns=columns),
        _qa("rules", columns=columns),
        _qa(
            "sample",
            "--month",
            "2026-11",
            "--cases",
            "cases/2026-10-28.csv",
            "--seed",
            "7",
            "--dry-run",
            "--as-of",
            "2026-11-01",
            "--repo",
            demo_repo,
            columns=columns,
        ),
    ]
    for out in outputs:
        assert max(len(x) for x in out.splitlines()) <= columns
        assert "…" not in out
    # names wrap at word boundaries: every auditor's name is whole in the output
    cfg = Repository.load(demo_repo).config
    assert cfg is not None
    tokens = {t.strip(":;,()") for t in outputs[0].split()}
    for s in cfg.staff:
        if s.name.split()[0] in tokens:
            assert all(part in tokens for part in s.name.split()), s.name
