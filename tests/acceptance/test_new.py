"""`qa new`: one blank return, placed where `qa validate` expects it; never overwrites."""

from __future__ import annotations

import pytest
from conftest import AS_OF, snapshot

from qa_cli import yamlio


@pytest.mark.parametrize(
    ("args", "rel"),
    [
        (
            ["themed-supervision", "--case", "C-0TRR1488"],
            "themed/2026-11-supervision/C-0TRR1488--themed-supervision.yaml",
        ),
        (
            ["practice-observation", "--worker", "sw-akhan"],
            "observations/2026/sw-akhan--2026-11-29.yaml",
        ),
        (
            ["complaint-lessons", "--ref", "CMP-2026-041", "--auditor", "tm-jpatel"],
            "complaints/2026/CMP-2026-041.yaml",
        ),
        (
            ["crib-sheet", "--case", "C-0TRR1488", "--month", "2026-12"],
            "crib-sheets/2026-12/assessment-1--C-0TRR1488.yaml",
        ),
        (
            [
                "multi-agency",
                "--case",
                "C-0TRR1488",
                "--audit-id",
                "2026-cp-neglect",
                "--auditor",
                "ag-police-ahartley",
            ],
            "multi-agency/2026-cp-neglect/returns/C-0TRR1488--police.yaml",
        ),
    ],
)
def test_new_blank_is_placed_and_valid(demo_repo, run, args, rel) -> None:
    result = run("new", *args, "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    path = demo_repo / rel
    assert path.is_file()
    data = yamlio.load_text(path.read_text())
    assert all(v is None or isinstance(v, dict) for v in data["answers"].values())
    check = run("validate", path, "--repo", demo_repo)
    # the multi-agency case is outside that audit's scope: QA403 is expected there only
    if "multi-agency" in rel:
        assert "QA403" in check.output
    else:
        assert check.exit_code == 0, check.output
    before = snapshot(demo_repo)
    again = run("new", *args, "--as-of", AS_OF, "--repo", demo_repo)
    assert again.exit_code == 1 and "already exists" in again.output
    assert snapshot(demo_repo) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["single-agency-cla", "--case", "C-0TRR1488"], "qa sample"),
        (["themed-supervision", "--case", "Jane Doe"], "not a case code"),
        (["practice-observation", "--worker", "sw-nobody"], "not a staff id"),
        (
            ["practice-observation", "--worker", "sw-akhan", "--auditor", "sw-akhan"],
            "cannot be the observed",
        ),
        (["complaint-lessons", "--auditor", "tm-jpatel"], "--ref"),
        (["themed-supervison", "--case", "C-0TRR1488"], "did you mean `themed-supervision`"),
        (
            ["themed-supervision", "--case", "C-0TRR1488", "--auditor", "tm-jpatel"],
            "never audits their own work",
        ),
    ],
)
def test_new_refuses_bad_input(demo_repo, run, args, message) -> None:
    before = snapshot(demo_repo)
    result = run("new", *args, "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert snapshot(demo_repo) == before
