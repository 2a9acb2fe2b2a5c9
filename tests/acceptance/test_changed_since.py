"""`qa validate --changed-since REF` and the pre-commit hook: what changed, and what it affects."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from qa_cli import gitutil

ROOT = Path(__file__).resolve().parents[2]
RETURN = "audits/2026-09/C-6DYAX8M5--single-agency-safeguarding.yaml"
TOOL = "audit_tools/single-agency-safeguarding.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def git_repo(demo_repo: Path, git_identity: None) -> Path:
    assert gitutil.init_and_commit(demo_repo, "demo") is None
    return demo_repo


def edit(repo: Path, rel: str, old: str, new: str) -> int:
    """Replace text in a file; the line (1-based) of the replacement."""
    path = repo / rel
    text = path.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text)
    return text[: text.index(new)].count("\n") + 1


def checked(output: str) -> tuple[int, int]:
    m = re.search(r"Changed since \S+: (\d+) file\(s\); checking (\d+)", output)
    assert m, output
    return int(m[1]), int(m[2])


def test_a_valid_change_passes_and_an_invalid_one_fails_located(git_repo: Path, run) -> None:
    edit(git_repo, RETURN, "# Drawn by `qa sample`", "# Drawn by `qa sample` (checked)")
    ok = run("validate", "--repo", git_repo, "--changed-since", "HEAD", "-f", "text")
    assert ok.exit_code == 0, ok.output
    assert checked(ok.output) == (1, 1)
    assert "1 file checked: no problems found." in ok.output
    line = edit(
        git_repo, RETURN, "risk-grade: requires_improvement", "risk-grade: requires_improvment"
    )
    bad = run("validate", "--repo", git_repo, "--changed-since", "HEAD", "-f", "text")
    assert bad.exit_code == 1
    assert f"{RETURN}:{line}:" in bad.output and "QA303" in bad.output


def test_a_new_untracked_file_counts_as_changed(git_repo: Path, run) -> None:
    src = git_repo / RETURN
    (git_repo / "audits/2026-09/notes.yaml").write_text("schema: qa/audit@1\n")
    result = run("validate", "--repo", git_repo, "--changed-since", "HEAD", "-f", "text")
    assert result.exit_code == 1 and checked(result.output) == (1, 1)
    assert "audits/2026-09/notes.yaml:" in result.output
    assert src.is_file()


def test_a_changed_tool_rechecks_its_returns(git_repo: Path, run) -> None:
    edit(git_repo, TOOL, "title: ", "title: Renamed ")
    result = run("validate", "--repo", git_repo, "--changed-since", "HEAD", "-f", "text")
    returns = [
        p
        for p in git_repo.rglob("*.yaml")
        if "\ntool: single-agency-safeguarding@1\n" in p.read_text()
    ]
    assert len(returns) > 5
    assert checked(result.output) == (1, 1 + len(returns))


def test_a_changed_qa_yaml_rechecks_everything(git_repo: Path, run) -> None:
    edit(git_repo, "qa.yaml", "organisation: ", "organisation: The ")
    result = run("validate", "--repo", git_repo, "--changed-since", "HEAD", "-f", "text")
    everything = json.loads(run("validate", "--repo", git_repo, "-f", "json").output)
    assert result.exit_code == 0, result.output
    lists = len(list((git_repo / "cases").glob("*.csv")))  # checked too, not in the note
    assert checked(result.output) == (1, everything["files_checked"] - lists)
    assert "qa.yaml changed, so everything" in result.output


def test_an_unknown_ref_is_a_clean_usage_error(git_repo: Path, run) -> None:
    result = run("validate", "--repo", git_repo, "--changed-since", "no-such-branch")
    assert result.exit_code == 2
    assert "`no-such-branch` is not a branch, tag or commit" in result.output
    assert "Traceback" not in result.output


def test_outside_git_is_a_clean_usage_error(demo_repo: Path, run) -> None:
    result = run("validate", "--repo", demo_repo, "--changed-since", "HEAD")
    assert result.exit_code == 2
    assert "not in a git repository" in result.output


def hook_entry() -> list[str]:
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "qa-validate"]
    args = hook["entry"].split()
    assert args[0] == "qa"
    return args[1:]


def staged(repo: Path) -> list[str]:
    proc = subprocess.run(
        ["git", "-C", str(repo), "diff", "--cached", "--name-only"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [n for n in proc.stdout.split() if re.search(r"\.ya?ml$", n)]


def test_the_pre_commit_hook_checks_the_staged_files(
    git_repo: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As pre-commit runs it: the hook's entry with the staged file names, from the repo root."""
    monkeypatch.chdir(git_repo)
    edit(git_repo, RETURN, "# Drawn by `qa sample`", "# Drawn by `qa sample` (checked)")
    # An unstaged broken file elsewhere is not the hook's business.
    other = next(p for p in (git_repo / "audits/2026-09").glob("*.yaml") if p.name not in RETURN)
    other.write_text(other.read_text().replace("schema: qa/audit@1", "schema: qa/audit@9"))
    subprocess.run(["git", "add", RETURN], check=True)
    assert staged(git_repo) == [RETURN]
    ok = run(*hook_entry(), *staged(git_repo))
    assert ok.exit_code == 0, ok.output
    assert "1 file checked: no problems found." in ok.output
    line = edit(
        git_repo, RETURN, "risk-grade: requires_improvement", "risk-grade: requires_improvment"
    )
    subprocess.run(["git", "add", RETURN], check=True)
    bad = run(*hook_entry(), *staged(git_repo))
    assert bad.exit_code == 1
    assert f"{RETURN}:{line}:" in bad.output and "QA303" in bad.output
