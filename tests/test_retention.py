"""`qa retention`: age from last activity; purge deletes and logs; refusals change nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import snapshot

BASE = Path(__file__).resolve().parent / "cases" / "base"
AUDIT = "audits/2026-09/C-7F3K2Q9M--mini-audit.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(BASE, dest)
    (dest / "cases").mkdir()
    (dest / "cases" / "2026-08-28.csv").write_text(
        "case,team,worker,category,start_date,age_band\n"
    )
    return dest


def test_counts_from_last_activity(repo: Path, run) -> None:
    # the audit's last activity is its action verified on 2026-11-03
    before = run("retention", "--repo", repo, "--as-of", "2029-11-03")
    assert AUDIT not in before.output
    assert "samples/2026-09.yaml" in before.output  # drawn 2026-09-01
    assert "cases/2026-08-28.csv" in before.output
    after = run("retention", "--repo", repo, "--as-of", "2029-11-04")
    assert AUDIT in after.output
    assert after.exit_code == 0


def test_purge_deletes_and_logs(repo: Path, run) -> None:
    result = run(
        "retention", "--repo", repo, "--as-of", "2030-01-01", "--purge", "--by", "qa-dlane", "--yes"
    )
    assert result.exit_code == 0, result.output
    assert not (repo / AUDIT).exists()
    assert not (repo / "samples/2026-09.yaml").exists()
    assert (repo / "qa.yaml").exists() and (repo / "audit_tools/mini-audit.yaml").exists()
    log = (repo / "retention-log.csv").read_text().splitlines()
    assert log[0] == "destroyed_on,destroyed_by,path,kind,last_activity"
    assert f"2030-01-01,qa-dlane,{AUDIT},audit,2026-11-03" in log


def test_purge_without_by_changes_nothing(repo: Path, run) -> None:
    before = snapshot(repo)
    result = run("retention", "--repo", repo, "--as-of", "2030-01-01", "--purge", "--yes")
    assert result.exit_code == 2 and "--by" in result.output
    assert snapshot(repo) == before


def test_purge_declined_changes_nothing(repo: Path, run) -> None:
    before = snapshot(repo)
    result = run(
        "retention",
        "--repo",
        repo,
        "--as-of",
        "2030-01-01",
        "--purge",
        "--by",
        "qa-dlane",
        input="n\n",
    )
    assert result.exit_code == 1 and "Nothing was deleted" in result.output
    assert snapshot(repo) == before
