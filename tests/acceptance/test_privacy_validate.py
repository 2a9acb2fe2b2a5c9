"""`qa validate` and personal data: qa.yaml, case lists, lowered rules, the identity list."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parent.parent / "cases" / "base"
AUDIT = "audits/2026-09/C-7F3K2Q9M--mini-audit.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("QA_IDENTITY_LIST", raising=False)
    dest = tmp_path / "repo"
    shutil.copytree(BASE, dest)
    return dest


def _json(run, repo: Path, *extra: str) -> tuple[int, dict]:
    result = run("validate", "--repo", repo, "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def test_qa_yaml_is_scanned_and_staff_addresses_are_allowed(repo: Path, run) -> None:
    cfg = repo / "qa.yaml"
    text = cfg.read_text().replace(
        "    name: Alex Field\n", "    name: Alex Field\n    email: a.field@testshire.example\n"
    )
    cfg.write_text(text + "# the duty line is 01632 960123\n")
    code, out = _json(run, repo)
    assert code == 1
    found = [(d["path"], d["code"]) for d in out["diagnostics"]]
    assert found == [("qa.yaml", "QA505")]  # the staff address is not a finding


def test_a_rule_lowered_in_qa_yaml_is_a_warning_and_the_summary_says_so(repo: Path, run) -> None:
    _append(repo / "qa.yaml", "privacy:\n  warnings: [QA503]\n")
    audit = repo / AUDIT
    audit.write_text(audit.read_text().replace("Timely strategy", "Visit at zz1 1zz, strategy"))
    result = run("validate", "--repo", repo)
    assert result.exit_code == 0, result.output
    assert "warning QA503" in result.output
    assert "QA503 (postcode) is only a warning here" in result.output
    assert run("validate", "--repo", repo, "--strict").exit_code == 1


def test_case_lists_hold_codes_and_closed_values_only(repo: Path, run) -> None:
    (repo / "cases").mkdir()
    (repo / "cases" / "2026-09-28.csv").write_text(
        "case,team,worker,category,start_date,age_band\n"
        "C-7F3K2Q9M,child-protection,sw-afield,CP,2026-03,5-9\n"
        "ZCM-004271,assessment,Zebedee Quux,CIN,2026-03-14,5-9\n"
    )
    code, out = _json(run, repo)
    assert code == 1
    found = sorted((d["line"], d["column"], d["code"]) for d in out["diagnostics"])
    assert found == [(3, 1, "QA509"), (3, 23, "QA509")]
    assert "Zebedee" not in json.dumps(out) and "004271" not in json.dumps(out)
    # Only the case list named is checked when paths are given.
    result = run("validate", "--repo", repo, repo / "cases" / "2026-09-28.csv")
    assert result.exit_code == 1 and "QA509" in result.output


def test_an_identity_list_inside_the_repository_is_refused(
    repo: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "names.txt").write_text("Zebedee Quux\n")
    monkeypatch.setenv("QA_IDENTITY_LIST", str(repo / "names.txt"))
    result = run("validate", "--repo", repo)
    assert result.exit_code == 2
    assert "identity list is inside the audit repository" in result.output
    assert "Zebedee" not in result.output


def test_names_of_the_identity_list_are_found_in_any_case_and_form(
    repo: Path, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = tmp_path / "names.txt"
    names.write_text("# children and family members\nZebedee Quux\n")
    monkeypatch.setenv("QA_IDENTITY_LIST", str(names))
    audit = repo / AUDIT
    audit.write_text(audit.read_text() + "# spoke to ZEBEDEE-QUUX\n")
    code, out = _json(run, repo)
    assert code == 1
    assert [(d["code"], d["column"]) for d in out["diagnostics"]] == [("QA508", 12)]
