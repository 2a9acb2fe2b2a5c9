"""Each folder of tests/cases/invalid/ breaks one rule of the base repository.

The test lays the base repository out in a temporary folder, applies the case's files,
runs `qa validate` through the CLI, and checks the exit code, the rule code and the line
the finding points at. The base itself must validate clean.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import snapshot

HERE = Path(__file__).resolve().parents[1] / "cases"
BASE = HERE / "base"
CASES = sorted(p for p in (HERE / "invalid").iterdir() if p.is_dir())
LISTED_NAMES = "Zebedee Quux\n"  # an invented name: the identity list of QA508's case


@pytest.fixture(autouse=True)
def _identity_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An identity list outside the repository, and no real config folder of the machine."""
    home = tmp_path / "home-config"
    home.mkdir()
    (home / "identity.txt").write_text(LISTED_NAMES)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("QA_IDENTITY_LIST", str(home / "identity.txt"))
    return home / "identity.txt"


def _lay_out(tmp_path: Path, case: Path | None) -> tuple[Path, dict]:
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    expect: dict = {}
    if case is not None:
        expect = YAML(typ="safe").load((case / "expect.yaml").read_text())
        for rel in expect.get("remove", []):
            (repo / rel).unlink()
        files = case / "files"
        for src in sorted(files.rglob("*")):
            if src.is_file():
                dest = repo / src.relative_to(files)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(src.read_bytes())
    return repo, expect


def test_base_is_clean(tmp_path: Path, run) -> None:
    repo, _ = _lay_out(tmp_path, None)
    result = run("validate", "--repo", repo, "--strict")
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output


def test_every_rule_has_a_case() -> None:
    from qa_cli.validation.rules import RULES

    covered = {c.name.split("-")[0] for c in CASES}
    # QA009 (unreadable file) depends on file permissions, QA013 on a symbolic link (tested
    # in tests/hostile), QA204 on the toolkit's shipped tools and QA206 on git history
    # (tests/acceptance/test_tool_versions.py): each is tested on its own.
    assert set(RULES) - covered == {"QA009", "QA013", "QA204", "QA206"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case(tmp_path: Path, run, case: Path) -> None:
    repo, expect = _lay_out(tmp_path, case)
    args = ["validate", "--repo", repo, "--format", "json"]
    if expect.get("strict"):
        args.append("--strict")
    before = snapshot(repo)
    result = run(*args)
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["diagnostics"]
    hits = [d for d in found if d["code"] == expect["code"]]
    assert hits, f"expected {expect['code']}, got {[(d['code'], d['message']) for d in found]}"
    assert any(d["path"] == expect["file"] and d["line"] == expect["line"] for d in hits), hits
    if "column" in expect:
        assert any(d["line"] == expect["line"] and d["column"] == expect["column"] for d in hits)
    for d in found:
        assert d["message"] and d["line"] >= 1 and d["column"] >= 1
    codes = {d["code"] for d in found}
    assert codes <= {expect["code"], *expect.get("also", [])}, found
    after = snapshot(repo)
    assert after == before, "validate must not change any file"


def test_published_tool_changed_is_a_warning(tmp_path: Path, run) -> None:
    from qa_cli.resources import toolkit_dir

    shipped = sorted(toolkit_dir("audit_tools").glob("*.yaml"))
    if not shipped:
        pytest.skip("no shipped tools yet")
    repo, _ = _lay_out(tmp_path, None)
    text = shipped[0].read_text()
    (repo / "audit_tools" / shipped[0].name).write_text(
        text.replace("title: ", "title: Edited ", 1)
    )
    result = run("validate", "--repo", repo, "--format", "json")
    assert result.exit_code == 0  # a warning only
    found = json.loads(result.stdout)["diagnostics"]
    assert [d["code"] for d in found] == ["QA204"]
    assert run("validate", "--repo", repo, "--strict").exit_code == 1


def test_unreadable_file(tmp_path: Path, run) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    repo, _ = _lay_out(tmp_path, None)
    path = repo / "audits/2026-09/C-7F3K2Q9M--mini-audit.yaml"
    path.chmod(0)
    result = run("validate", "--repo", repo)
    assert result.exit_code == 1 and "QA009" in result.output
