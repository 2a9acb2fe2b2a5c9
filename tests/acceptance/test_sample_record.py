"""A sample records everything its draw read, so `qa sample --verify` needs nothing else.

The draw reads the case list, the rules, the seed, and from the repository the history of
earlier audits (for the 12-month exclusion) and the re-audits due. Before the history was
recorded, adding a `re_audit:` date to an earlier return made `--verify` reject a correctly
drawn month.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from conftest import AS_OF

from qa_cli import yamlio
from qa_cli.repository import Repository
from qa_cli.sampling import reaudits_due, verify_sample

MONTH = "2026-12"


def _add_reaudit(demo: Path, on: str) -> str:
    """Give the first action of an earlier return on the case list a re-audit date."""
    listed = {
        line.split(",")[0] for line in (demo / "cases" / "2026-10-28.csv").read_text().splitlines()
    }
    for path in sorted((demo / "audits" / "2026-10").glob("*.yaml")):
        text = path.read_text()
        case = re.search(r"^case: (\S+)", text, re.M)[1]
        if case not in listed or "\nactions:\n" not in text:
            continue
        new = re.sub(
            r"(\n  - id: \w+\n(?:    .*\n)*?    status: \w+\n)",
            rf"\1    re_audit: {on}\n",
            text,
            count=1,
        )
        if new != text:
            path.write_text(new)
            return case
    raise AssertionError("no earlier return with an action plan on the case list")


def test_verify_passes_after_a_later_reaudit(mini_repo, run) -> None:
    drawn = run("sample", "--month", MONTH, "--as-of", AS_OF, "--repo", mini_repo)
    assert drawn.exit_code == 0, drawn.output
    sample = yamlio.load_fast((mini_repo / "samples" / f"{MONTH}.yaml").read_bytes())
    recorded = sample["history"]
    # what the draw read is in the file: recent audits of listed cases, no re-audit due
    assert recorded["audited"] and recorded["re_audits"] == []
    assert {e["case"] for e in sample["excluded"]} >= set(recorded["audited"])

    case = _add_reaudit(mini_repo, "2026-12-10")
    repo = Repository.load(mini_repo)
    allocated = dt.date.fromisoformat(sample["allocations"][0]["allocated"])
    assert case in reaudits_due(repo, MONTH, allocated)  # the repository now says otherwise
    assert case not in {a["case"] for a in sample["allocations"]}

    result = run("sample", "--verify", MONTH, "--repo", mini_repo)
    assert result.exit_code == 0, result.output
    assert "verified" in result.output and "recorded history" in result.output


def test_a_sample_without_its_history_is_redrawn_from_the_repository(mini_repo, run) -> None:
    """Old sample files (no `history:` block) stay readable, re-drawn as before."""
    assert run("sample", "--month", MONTH, "--as-of", AS_OF, "--repo", mini_repo).exit_code == 0
    path = mini_repo / "samples" / f"{MONTH}.yaml"
    text = path.read_text()
    old = re.sub(r"(?m)^# What the draw read.*\n(?:#.*\n)*history:\n(?:  .*\n)+", "", text)
    assert "history:" not in old and old != text
    path.write_text(old)
    ok = run("sample", "--verify", MONTH, "--repo", mini_repo)
    assert ok.exit_code == 0, ok.output
    assert "drawn before samples recorded the history" in ok.output
    assert run("validate", "--repo", mini_repo).exit_code == 0

    # without the record, a later re-audit makes the re-draw differ: the record is what helps
    _add_reaudit(mini_repo, "2026-12-10")
    result = verify_sample(Repository.load(mini_repo), MONTH, "single-agency")
    assert not result.ok and not result.from_record
