"""One gate for a missing or invalid qa.yaml: every command stops with the same clear error.

Before the gate each command checked (or forgot to check) the configuration itself; `qa
moderate` crashed with an AttributeError on an invalid qa.yaml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import AS_OF, DEMO, snapshot

from qa_cli.errors import QAError
from qa_cli.repository import Repository, load_config

BROKEN = "    balanced_score_card: maybe  # not a yes/no value"


@pytest.fixture
def broken_repo(tmp_path: Path) -> tuple[Path, int]:
    """A repository whose qa.yaml has one bad value; returns (root, the bad line's number)."""
    root = tmp_path / "repo"
    root.mkdir()
    lines = (DEMO / "qa.yaml").read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if "balanced_score_card: true" in line)
    lines[n] = BROKEN
    (root / "qa.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copytree(DEMO / "audit_tools", root / "audit_tools")
    return root, n + 1


COMMANDS = [
    ["moderate", "--month", "2026-10", "--as-of", AS_OF],
    ["sample", "--month", "2026-12", "--as-of", AS_OF],
    ["sample", "--verify", "2026-10"],
    ["new", "observation-practice", "--worker", "sw-x", "--as-of", AS_OF],
    ["due", "--as-of", AS_OF],
    ["actions", "list", "--as-of", AS_OF],
    ["grades"],
    ["report", "monthly", "--month", "2026-10", "--as-of", AS_OF],
    ["retention", "--as-of", AS_OF],
    ["cases", "import", "export.csv", "--as-of", AS_OF],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_command_stops_at_the_gate(broken_repo, run, args) -> None:
    root, line = broken_repo
    (root / "export.csv").write_text("Case ID,Team\n", encoding="utf-8")
    before = snapshot(root)
    result = run(*args, "--repo", root)
    assert result.exit_code == 2, result.output
    out = result.output
    assert f"qa.yaml:{line}:" in out  # file:line of the first problem
    assert "qa.yaml is not valid, so this command cannot run" in out
    assert "qa validate qa.yaml" in out  # and how to fix it
    assert "internal problem" not in out and "Traceback" not in out
    assert snapshot(root) == before  # nothing written


def test_validate_reports_the_problem_instead(broken_repo, run) -> None:
    root, line = broken_repo
    result = run("validate", "--repo", root)
    assert result.exit_code == 1, result.output
    assert f"qa.yaml:{line}:" in result.output


def test_gate_in_the_library(broken_repo, tmp_path) -> None:
    root, line = broken_repo
    with pytest.raises(QAError) as bad:
        Repository.load(root, require_config=True)
    assert bad.value.message.startswith(f"qa.yaml:{line}:")
    with pytest.raises(QAError):
        load_config(root)
    repo = Repository.load(root)  # the validator's way: no gate, the problem kept as data
    assert repo.config_or_none is None
    with pytest.raises(QAError, match="is not valid"):
        _ = repo.config  # reading the config past the gate says the same, never None
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(QAError, match="there is no qa.yaml") as missing:
        Repository.load(empty, require_config=True)
    assert "qa init" in (missing.value.hint or "")


def test_valid_config_is_typed(demo_repo) -> None:
    from qa_cli.models import AuditReturn, Config

    repo = Repository.load(demo_repo, require_config=True)
    assert isinstance(repo.config, Config)
    audits = repo.models(AuditReturn)
    assert audits and all(isinstance(a, AuditReturn) for a in audits)
    assert [m for _, m in repo.entries(AuditReturn)] == audits
