"""Issue 15's end-to-end path: `qa init` into an empty folder, a return, the hook, the check."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
STAFF = """staff:
  - id: sw-one
    name: Social Worker One
    roles: [social_worker]
    team: assessment
  - id: tm-one
    name: Team Manager One
    roles: [team_manager]
    team: assessment
"""
RETURN = "observations/2026/sw-one--2026-11-29.yaml"


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_from_qa_init_to_a_checked_return(
    tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch, git_identity: None
) -> None:
    repo = tmp_path / "audits"
    repo.mkdir()
    assert run("init", repo, "--toolkit-source", "qa-cli==0.1.0").exit_code == 0
    workflow = YAML(typ="safe").load((repo / ".github/workflows/qa.yml").read_text())
    installs = [
        s["run"] for s in workflow["jobs"]["validate"]["steps"] if "pip" in s.get("run", "")
    ]
    assert [i.strip() for i in installs] == ['python -m pip install "qa-cli==0.1.0"']
    assert git(repo, "log", "--format=%s").strip() == "New audit repository (qa init)"

    config = repo / "qa.yaml"
    config.write_text(config.read_text().replace("staff:\n", STAFF, 1))
    git(repo, "commit", "-qam", "Staff")
    made = run(
        "new", "practice-observation", "--worker", "sw-one", "--auditor", "tm-one",
        "--as-of", "2026-11-29", "--repo", repo,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    monkeypatch.chdir(repo)
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    entry = next(h for h in hooks if h["id"] == "qa-validate")["entry"].split()[1:]

    def hook() -> object:
        git(repo, "add", RETURN)
        return run(*entry, *git(repo, "diff", "--cached", "--name-only").split())

    def changed() -> object:
        return run("validate", "--changed-since", "HEAD", "-f", "text")

    for result in (hook(), changed()):
        assert result.exit_code == 0, result.output
        assert "1 file checked: no problems found." in result.output

    path = repo / RETURN
    lines = path.read_text().split("\n")
    line = lines.index("  setting:") + 1
    lines[line - 1] = "  setting: the moon"
    path.write_text("\n".join(lines))
    for result in (hook(), changed()):
        assert result.exit_code == 1
        assert f"{RETURN}:{line}:" in result.output and "QA303" in result.output
