"""YAML traps the loader closes (DESIGN §2.2), and the CLI's error edge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BASE_AUDIT as AUDIT

from qa_cli import yamlio


@pytest.fixture
def repo(base_repo: Path) -> Path:
    return base_repo


def _diags(run, repo: Path) -> list[dict]:
    result = run("validate", "--repo", repo, "--format", "json")
    return json.loads(result.stdout)["diagnostics"]


def test_windows_bom_and_crlf_are_ordinary_input(repo: Path, run) -> None:
    path = repo / AUDIT
    text = path.read_text()
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert _diags(run, repo) == []


def test_month_thirteen_is_reported_with_its_position(repo: Path, run) -> None:
    # ruamel's own timestamp constructor raises a bare ValueError here, with no position.
    path = repo / AUDIT
    path.write_text(path.read_text().replace("due: 2026-11-02", "due: 2025-13-01"))
    (d,) = _diags(run, repo)
    assert d["code"] == "QA104" and d["line"] == 9 and "2025-13-01" in d["message"]


def test_yes_and_no_are_strings_not_booleans() -> None:
    data = yamlio.load_text("a: yes\nb: no\nc: on\nd: off\ne: true\n")
    assert data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": True}


def test_boolean_where_text_is_meant_hints_quotes(repo: Path, run) -> None:
    path = repo / AUDIT
    path.write_text(
        path.read_text().replace("strengths: Timely strategy meeting.", "strengths: true")
    )
    (d,) = _diags(run, repo)
    assert d["code"] == "QA103" and "quotes" in d["hint"]


def test_number_where_text_is_meant_hints_quotes(repo: Path, run) -> None:
    path = repo / AUDIT
    path.write_text(
        path.read_text().replace(
            "  not-seen-alone-reason: The child was unwell at the planned visit.",
            "  not-seen-alone-reason: 12",
        )
    )
    (d,) = _diags(run, repo)
    assert d["code"] == "QA303" and "quotes" in d["hint"] and d["line"] == 16


def test_free_text_with_ampersand_is_not_an_anchor() -> None:
    data = yamlio.load_text("schema: qa/audit@1\nnote: Mum & Dad met the worker; R&D *not* done\n")
    assert isinstance(data, dict) and data["note"].startswith("Mum & Dad")


def test_alias_bomb_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"
    problem = yamlio.load_text(bomb)
    assert isinstance(problem, yamlio.YamlProblem) and problem.code == "QA005"


def test_position_of_nested_value() -> None:
    doc = yamlio.load_roundtrip("a:\n  b:\n    - x\n    - y: 1\n")
    assert yamlio.position(doc, ["a", "b", 1, "y"]) == (4, 10)
    assert yamlio.position(doc, ["a", "missing"]) == (2, 3)


def test_internal_error_shows_no_traceback(repo: Path, run, monkeypatch) -> None:
    import qa_cli.validation.engine as engine

    def boom(*_a, **_k):
        raise RuntimeError("child data must not leak into a traceback")

    monkeypatch.setattr(engine, "validate_repository", boom)
    result = run("validate", "--repo", repo)
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert "child data" not in result.output
    assert "internal problem" in result.output and "no file was changed" in result.output
    logs = list((repo / ".qa" / "internal-problems").glob("*.log"))
    assert len(logs) == 1 and str(logs[0]) in result.output.replace("\n", "")
    assert "RuntimeError" in logs[0].read_text() and "Traceback" in logs[0].read_text()


def test_no_repository_is_a_usage_error(tmp_path: Path, run) -> None:
    result = run("validate", "--repo", tmp_path)
    assert result.exit_code == 2
    assert "qa init" in result.output


def test_github_annotations(repo: Path, run) -> None:
    path = repo / AUDIT
    path.write_text(
        path.read_text().replace(
            "overall_grade: requires_improvement", "overall_grade: requires improvment"
        )
    )
    result = run("validate", "--repo", repo, "--format", "github")
    assert result.exit_code == 1
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("::error"))
    assert line.startswith(f"::error file={AUDIT},line=19,col=16,title=QA106 value not allowed::")
    assert "requires_improvement" in line


def test_junit_output_is_xml(repo: Path, run) -> None:
    import xml.etree.ElementTree as ET

    path = repo / AUDIT
    path.write_text(path.read_text().replace("team: child-protection", "team: nowhere"))
    result = run("validate", "--repo", repo, "--format", "junit")
    suite = ET.fromstring(result.stdout)
    assert suite.get("failures") == "1"
    assert suite.find("testsuite/testcase/failure") is not None


def test_validate_given_paths_only_reports_those(repo: Path, run) -> None:
    (repo / "audits/2026-09/empty.yaml").write_text("")
    only = run("validate", "--repo", repo, repo / AUDIT)
    assert only.exit_code == 0, only.output
    folder = run("validate", "--repo", repo, repo / "audits")
    assert folder.exit_code == 1 and "QA006" in folder.output


def test_missing_path_is_a_usage_error(repo: Path, run) -> None:
    result = run("validate", "--repo", repo, repo / "nope.yaml")
    assert result.exit_code == 2
