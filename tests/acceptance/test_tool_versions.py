"""Tool versions as change control: `qa tools diff`, and QA206 for a version edited in place."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from qa_cli import gitutil

TOOL = "audit_tools/single-agency-safeguarding.yaml"


def questions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for s in data["sections"] for q in s["questions"]}


def dump(data: dict[str, Any]) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def new_version(repo: Path) -> None:
    """Keep version 1 as <id>@1.yaml and write version 2 with one change of each kind."""
    text = (repo / TOOL).read_text()
    (repo / "audit_tools/single-agency-safeguarding@1.yaml").write_text(text)
    data = YAML(typ="safe").load(text)
    data["version"] = 2
    qs = questions(data)
    for section in data["sections"]:
        section["questions"] = [q for q in section["questions"] if q["id"] != "assessment-timely"]
    qs["both-parents-included"]["id"] = "parents-included"  # renamed, same text
    qs["strategy-plan-smart"]["type"] = "grade"  # scale changed
    qs["vulnerabilities"]["options"] = qs["vulnerabilities"]["options"][1:] + ["other"]
    qs["visits-purposeful"]["text"] = "Were visits purposeful and recorded promptly?"
    data["sections"][0]["questions"].append(
        {"id": "new-check", "text": "Is the plan shared with the child?", "type": "yes_no"}
    )
    (repo / TOOL).write_text(dump(data))


def test_tools_diff_marks_the_breaking_changes(demo_repo: Path, run) -> None:
    new_version(demo_repo)
    versions = ["single-agency-safeguarding@1", "single-agency-safeguarding@2"]
    result = run("tools", "diff", *versions, "--repo", demo_repo, "-f", "json")
    assert result.exit_code == 0, result.output
    changes = {(c["what"], c["question"]): c for c in json.loads(result.output)["changes"]}
    breaking = {key for key, c in changes.items() if c["breaking"]}
    assert breaking == {
        ("removed", "assessment-timely"),
        ("renamed", "both-parents-included"),
        ("scale", "strategy-plan-smart"),
        ("choices", "vulnerabilities"),
    }
    assert changes[("renamed", "both-parents-included")]["detail"].endswith("parents-included")
    assert not changes[("wording", "visits-purposeful")]["breaking"]
    assert not changes[("added", "new-check")]["breaking"]
    text = run("tools", "diff", *versions, "--repo", demo_repo, "--fail-on-breaking")
    assert text.exit_code == 1
    assert "4 breaking" in text.output and "BREAKING  removed    assessment-timely" in text.output


def test_tools_diff_of_an_unknown_version_is_a_usage_error(demo_repo: Path, run) -> None:
    result = run("tools", "diff", "crib-sheet@1", "crib-sheet@7", "--repo", demo_repo)
    assert result.exit_code == 2
    assert "`crib-sheet@7` is not a tool version" in result.output
    assert "crib-sheet@1" in result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_published_version_edited_in_place_fails_validation(
    demo_repo: Path, run, git_identity: None
) -> None:
    # Outside git there is no history: an edit is not QA206 (the toolkit check still warns).
    path = demo_repo / TOOL
    original = path.read_text()
    edited = original.replace("id: assessment-timely", "id: assessment-on-time", 1)
    assert edited != original
    path.write_text(edited)
    assert "QA206" not in run("validate", "--repo", demo_repo, TOOL).output
    path.write_text(original)
    assert gitutil.init_and_commit(demo_repo, "published") is None
    # A comment or layout change keeps the meaning: still fine.
    path.write_text("# reviewed by the QA team\n" + original)
    assert run("validate", "--repo", demo_repo, path).exit_code == 0
    path.write_text(edited)
    result = run("validate", "--repo", demo_repo, path, "-f", "text")
    assert result.exit_code == 1
    version_line = edited.splitlines().index("version: 1") + 1
    assert f"{TOOL}:{version_line}:" in result.output and "QA206" in result.output
    assert "BREAKING" in result.output and "assessment-timely" in result.output
    # Written as a new version instead (version 1 kept under its versioned name): clean.
    subprocess.run(["git", "-C", str(demo_repo), "mv", TOOL, TOOL.replace(".yaml", "@1.yaml")])
    (demo_repo / TOOL.replace(".yaml", "@1.yaml")).write_text(original)
    path.write_text(edited.replace("version: 1", "version: 2", 1))
    result = run("validate", "--repo", demo_repo, demo_repo / "audit_tools", "-f", "text")
    assert "QA206" not in result.output, result.output
