"""`qa init` writes CI that installs a pinned toolkit, a pre-commit config, and a git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
GIT_SOURCE = "git+https://git.example.org/qa/qa-cli@v0.1.0"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def steps_running(workflow: dict[str, Any], job: str) -> list[str]:
    return [s.get("run", "") for s in workflow["jobs"][job]["steps"]]


def install_lines(workflow: dict[str, Any], job: str) -> list[str]:
    return [r for r in steps_running(workflow, job) if "pip install" in r or "exit 1" in r]


@needs_git
def test_init_gives_a_git_repository_whose_workflow_installs_a_pinned_toolkit(
    tmp_path: Path, run, git_identity: None
) -> None:
    target = tmp_path / "audits"
    result = run("init", target, "--toolkit-source", GIT_SOURCE)
    assert result.exit_code == 0, result.output
    workflow = load(target / ".github/workflows/qa.yml")
    # Least privilege: read the repository, nothing else.
    assert workflow["permissions"] == {"contents": "read"}
    for job in ("validate", "due"):
        (install,) = install_lines(workflow, job)
        assert install.strip() == (
            'python -m pip install "qa-cli @ git+https://git.example.org/qa/qa-cli@v0.1.0"'
        )
    # ruamel reads the `on:` key as the string "on" (YAML 1.2), as GitHub does.
    triggers = workflow["on"]
    assert "pull_request" in triggers and triggers["schedule"][0]["cron"]
    validate_runs = steps_running(workflow, "validate")
    assert 'qa validate --format github --summary "$GITHUB_STEP_SUMMARY"' in validate_runs
    (due,) = [s for s in workflow["jobs"]["due"]["steps"] if "qa due" in s.get("run", "")]
    assert "--fail-on-overdue" in due["run"]
    # A pipe hides qa's exit code unless the shell runs with pipefail (GitHub's `shell: bash`).
    assert "|" not in due["run"] or due.get("shell") == "bash"
    assert load(target / "qa.yaml")["toolkit"]["source"] == GIT_SOURCE
    pre_commit = load(target / ".pre-commit-config.yaml")
    assert pre_commit["repos"] == [
        {
            "repo": "https://git.example.org/qa/qa-cli",
            "rev": "v0.1.0",
            "hooks": [{"id": "qa-validate"}],
        }
    ]
    log = subprocess.run(
        ["git", "-C", str(target), "log", "--format=%s"], capture_output=True, text=True
    )
    assert log.stdout.strip() == "New audit repository (qa init)"
    status = subprocess.run(
        ["git", "-C", str(target), "status", "--porcelain"], capture_output=True, text=True
    )
    assert status.stdout == "", "everything qa init wrote is in the first commit"
    assert "git remote add origin" in result.output
    assert "qa cases keygen" in result.output and "qa cases import" in result.output
    assert run("validate", "--repo", target, "--strict").exit_code == 0


def test_an_exact_package_version_is_pinned_in_ci_and_pre_commit(tmp_path: Path, run) -> None:
    target = tmp_path / "audits"
    result = run("init", target, "--toolkit-source", "qa-cli==0.1.0", "--no-git")
    assert result.exit_code == 0, result.output
    assert not (target / ".git").exists()
    workflow = load(target / ".github/workflows/qa.yml")
    (install,) = install_lines(workflow, "validate")
    assert install.strip() == 'python -m pip install "qa-cli==0.1.0"'
    (hook,) = load(target / ".pre-commit-config.yaml")["repos"][0]["hooks"]
    assert hook["language"] == "python"
    assert hook["additional_dependencies"] == ["qa-cli==0.1.0"]
    assert hook["entry"] == "qa validate"


def test_without_a_source_the_install_step_fails_saying_how_to_set_it(tmp_path: Path, run) -> None:
    target = tmp_path / "audits"
    result = run("init", target, "--no-git")
    assert result.exit_code == 0, result.output
    assert "--toolkit-source" in result.output
    workflow = load(target / ".github/workflows/qa.yml")
    (step,) = install_lines(workflow, "validate")
    assert "pip install" not in step
    assert "::error" in step and "exit 1" in step and "--toolkit-source" in step
    (hook,) = load(target / ".pre-commit-config.yaml")["repos"][0]["hooks"]
    assert hook["language"] == "fail" and "--toolkit-source" in hook["entry"]
    assert load(target / "qa.yaml")["toolkit"]["source"] is None
    assert run("validate", "--repo", target, "--strict").exit_code == 0


@pytest.mark.parametrize(
    "source",
    [
        "git+https://git.example.org/qa/qa-cli@main",
        "git+https://git.example.org/qa/qa-cli",
        "https://git.example.org/qa/qa-cli@refs/heads/release",
        "git+http://git.example.org/qa/qa-cli@v0.1.0",
        "qa-cli",
        "qa-cli>=0.1",
        "qa-cli==0.*",
    ],
)
def test_an_unpinned_source_is_refused_and_nothing_is_written(
    tmp_path: Path, run, source: str
) -> None:
    target = tmp_path / "audits"
    result = run("init", target, "--toolkit-source", source, "--no-git")
    assert result.exit_code == 2
    assert "pinned" in result.output or "moves" in result.output or "exact" in result.output
    assert not target.exists()


def test_gitlab_ci_installs_the_pinned_toolkit(tmp_path: Path, run) -> None:
    target = tmp_path / "audits"
    result = run("init", target, "--ci", "gitlab", "--toolkit-source", GIT_SOURCE, "--no-git")
    assert result.exit_code == 0, result.output
    assert not (target / ".github").exists()
    ci = load(target / ".gitlab-ci.yml")
    assert ci["default"]["before_script"] == [
        'python -m pip install "qa-cli @ git+https://git.example.org/qa/qa-cli@v0.1.0"'
    ]
    assert any("qa validate" in line for line in ci["qa-validate"]["script"])
    assert ci["qa-validate"]["artifacts"]["reports"]["junit"] == "qa-junit.xml"
    assert ci["qa-due"]["script"] == ["qa due --fail-on-overdue"]


def test_update_ci_records_the_source_and_keeps_qa_yaml_comments(tmp_path: Path, run) -> None:
    target = tmp_path / "audits"
    assert run("init", target, "--no-git").exit_code == 0
    before = (target / "qa.yaml").read_text()
    result = run("init", target, "--update-ci", "--toolkit-source", "qa-cli==0.2.0")
    assert result.exit_code == 0, result.output
    after = (target / "qa.yaml").read_text()
    assert load(target / "qa.yaml")["toolkit"]["source"] == "qa-cli==0.2.0"
    # Only the one value changed: every comment and line of the auditor's file is kept.
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 1 and changed[0][1].strip().replace('"', "") == "source: qa-cli==0.2.0"
    (install,) = install_lines(load(target / ".github/workflows/qa.yml"), "validate")
    assert install.strip() == 'python -m pip install "qa-cli==0.2.0"'
    assert run("validate", "--repo", target).exit_code == 0


def test_an_unpinned_source_in_qa_yaml_is_a_located_error(tmp_path: Path, run) -> None:
    target = tmp_path / "audits"
    assert run("init", target, "--no-git", "--toolkit-source", "qa-cli==0.1.0").exit_code == 0
    config = target / "qa.yaml"
    config.write_text(config.read_text().replace("source: qa-cli==0.1.0", "source: qa-cli"))
    line = config.read_text().splitlines().index("  source: qa-cli") + 1
    result = run("validate", "--repo", target, "--format", "text")
    assert result.exit_code == 1
    assert f"qa.yaml:{line}:" in result.output and "not pinned" in result.output


def test_this_project_ships_the_qa_validate_pre_commit_hook() -> None:
    hooks = load(ROOT / ".pre-commit-hooks.yaml")
    (hook,) = [h for h in hooks if h["id"] == "qa-validate"]
    assert hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["qa", "validate"]
    assert hook.get("pass_filenames", True), "the hook checks the staged files it is given"
    assert "qa = " in (ROOT / "pyproject.toml").read_text(), "the entry point pip installs"


def test_ci_that_installs_another_version_than_qa_yaml_pins_is_flagged(tmp_path: Path, run) -> None:
    target = tmp_path / "audits"
    assert run("init", target, "--no-git", "--toolkit-source", "qa-cli==0.1.0").exit_code == 0
    workflow = target / ".github/workflows/qa.yml"
    workflow.write_text(workflow.read_text().replace("qa-cli==0.1.0", "qa-cli==0.0.9"))
    line = (target / "qa.yaml").read_text().splitlines().index("  source: qa-cli==0.1.0") + 1
    result = run("validate", "--repo", target, "-f", "text", "--strict")
    assert result.exit_code == 1
    assert f"qa.yaml:{line}:" in result.output and "QA703" in result.output
    assert ".github/workflows/qa.yml does not install" in result.output
    fixed = run("init", target, "--update-ci", "--toolkit-source", "qa-cli==0.1.0")
    assert fixed.exit_code == 0
    assert run("validate", "--repo", target, "--strict").exit_code == 0


@needs_git
def test_the_first_commit_holds_only_what_qa_init_wrote(
    tmp_path: Path, run, git_identity: None
) -> None:
    target = tmp_path / "audits"
    target.mkdir()
    (target / "children-export.csv").write_text("case,name\n1,synthetic\n")
    assert run("init", target, "--force").exit_code == 0
    listed = subprocess.run(
        ["git", "-C", str(target), "ls-files"], capture_output=True, text=True
    ).stdout.split()
    assert "qa.yaml" in listed and ".github/workflows/qa.yml" in listed
    assert "children-export.csv" not in listed
