"""`qa validate` reports every finding of a file in one run, ordered by line (issue 11.1).

A return with one mistake in every layer (schema, answers, grades, cross-file rules,
personal data) must show all of them at once: a misspelt grade or an unknown key no longer
hides the rest.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent / "cases" / "base"
AUDIT = "audits/2026-09/C-7F3K2Q9M--mini-audit.yaml"

# One file, a mistake planted on each marked line (the layer in the comment).
PLANTED = """\
# Single-agency audit, September 2026.
schema: qa/audit@1
tool: mini-audit@1
case: C-7F3K2Q9M
team: child-protection
social_worker: sw-nobody
auditors: [sm-cdale, tm-bmoor]
allocated: 2026-09-01
due: 2026-11-02
status: returned
completed: 2026-10-20
colour: blue
answers:
  child-seen-alone: no
  plan-type: cp-plan
  visit-date: 2026-02-30
  practice-grade: requires_improvement
overall_grade: excellent
strengths: Timely meeting; NHS number 943 476 5919 noted.
areas_for_improvement: |
  The child was not seen alone.
actions:
  - id: A1
    action: See the child alone at the next visit.
    owner: sw-ghost
    due: 2026-11-15
"""
EXPECTED = [
    (6, "QA401"),  # cross-file: unknown social worker
    (12, "QA101"),  # schema: unknown key
    (14, "QA305"),  # answers: a "no" without a comment (its reason follow-up is not asked twice)
    (16, "QA303"),  # answers: a date that does not exist
    (18, "QA106"),  # schema: a grade that is not one
    (19, "QA501"),  # personal data
    (25, "QA401"),  # cross-file: unknown action owner
]


def _repo(tmp_path: Path, text: str) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    (repo / AUDIT).write_text(text)
    return repo


def test_every_layer_reported_in_one_run_in_line_order(tmp_path: Path, run) -> None:
    repo = _repo(tmp_path, PLANTED)
    result = run("validate", "--repo", repo, "--format", "json", repo / AUDIT)
    assert result.exit_code == 1
    found = [(d["line"], d["code"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert found == EXPECTED


def test_text_output_is_in_line_order(tmp_path: Path, run) -> None:
    repo = _repo(tmp_path, PLANTED)
    result = run("validate", "--repo", repo, repo / AUDIT)
    lines = [
        int(line.split(":")[1]) for line in result.output.splitlines() if line.startswith(AUDIT)
    ]
    assert lines == sorted(lines) and len(lines) == len(EXPECTED)


def test_broken_value_skips_only_what_depends_on_it(tmp_path: Path, run) -> None:
    """A misspelt overall grade is reported once: not also as a missing grade (QA307)."""
    repo = _repo(tmp_path, PLANTED)
    found = json.loads(run("validate", "--repo", repo, "-f", "json").stdout)["diagnostics"]
    assert "QA307" not in {d["code"] for d in found}
    # a broken case code skips the file-name check that compares against it
    text = PLANTED.replace("case: C-7F3K2Q9M", "case: Jane")
    (repo / AUDIT).write_text(text)
    found = json.loads(run("validate", "--repo", repo, "-f", "json").stdout)["diagnostics"]
    codes = {d["code"] for d in found}
    assert "QA107" in codes and "QA408" not in codes and "QA305" in codes


def test_unclosed_quote_points_where_it_opened(tmp_path: Path, run) -> None:
    base = (BASE / AUDIT).read_text()
    text = base.replace(
        "strengths: Timely strategy meeting.", 'strengths: "Timely strategy meeting.'
    )
    assert text != base
    repo = _repo(tmp_path, text)
    result = run("validate", "--repo", repo, "-f", "json")
    [d] = json.loads(result.stdout)["diagnostics"]
    opened = text.split("\n").index('strengths: "Timely strategy meeting.') + 1
    assert (d["code"], d["line"], d["column"]) == ("QA002", opened, 12)
    assert "closing quote" in d["message"] and "end of the file" in d["message"]
    assert d["hint"] == 'add the closing `"` at the end of the value on this line'


def test_unclosed_flow_list_points_where_it_opened(tmp_path: Path, run) -> None:
    base = (BASE / AUDIT).read_text()
    text = base.replace("auditors: [sm-cdale, tm-bmoor]", "auditors: [sm-cdale, tm-bmoor")
    repo = _repo(tmp_path, text)
    [d] = json.loads(run("validate", "--repo", repo, "-f", "json").stdout)["diagnostics"]
    assert (d["code"], d["line"], d["column"]) == ("QA002", 7, 11)
    assert "`]`" in d["hint"]
