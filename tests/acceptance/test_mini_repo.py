"""The mini repository (tests/fixtures/mini-repo) stays valid and stays small."""

from __future__ import annotations

from conftest import AS_OF, MINI

from qa_cli.repository import Repository


def test_mini_repo_is_valid_and_small(run, mini_repo) -> None:
    result = run("validate", "--repo", mini_repo)
    assert result.exit_code == 0, result.output
    # Strictly valid: no errors and no warnings (its grades obey the limiting judgement).
    assert "no problems found" in result.output, result.output
    assert " QA" not in result.output
    repo = Repository.load(MINI)
    assert len(repo.files) < 40
    kinds = {f.kind for f in repo.files}
    assert {"qa/audit", "qa/sample", "qa/crib-sheet", "qa/observation", "qa/complaint"} <= kinds


def test_mini_repo_has_what_the_action_tests_need(run, mini_repo) -> None:
    import json

    listed = run("actions", "list", "--as-of", AS_OF, "--repo", mini_repo, "-f", "json")
    rows = json.loads(listed.output)
    assert any(r["status"] == "open" for r in rows)
    due = json.loads(run("due", "--as-of", AS_OF, "--repo", mini_repo, "-f", "json").output)
    assert any(i["kind"] == "safeguarding_concern" for i in due["items"])
