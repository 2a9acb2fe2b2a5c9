"""`qa retention`: age from last activity; purge deletes and logs; refusals change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE_AUDIT as AUDIT
from conftest import snapshot


@pytest.fixture
def repo(base_repo: Path) -> Path:
    dest = base_repo
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
    assert log[0] == "destroyed_on,destroyed_by,kind,month,count,sha256"
    assert any(line.startswith("2030-01-01,qa-dlane,audit,2026-11,1,") for line in log), log
    # The log names no case and no path: kind, month, count and digests only.
    text = "\n".join(log)
    assert "C-7F3K2Q9M" not in text and "audits/" not in text


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


def _purge(run, repo: Path, by: str = "qa-dlane"):  # noqa: ANN202
    return run("retention", "--repo", repo, "--as-of", "2030-01-01", "--purge", "--by", by, "--yes")


def test_a_social_worker_cannot_purge(repo: Path, run) -> None:
    before = snapshot(repo)
    result = _purge(run, repo, "sw-afield")
    assert result.exit_code == 1
    assert "no qa_lead or information_governance role" in result.output
    assert snapshot(repo) == before


def test_a_held_record_survives_and_is_listed(repo: Path, run) -> None:
    cfg = repo / "qa.yaml"
    cfg.write_text(
        cfg.read_text() + "retention:\n  legal_holds:\n"
        "    - match: audits/2026-09/*\n      reason: subject access request SAR-0001\n"
        "      by: qa-dlane\n      until: 2031-01-01\n"
    )
    listing = run("retention", "--repo", repo, "--as-of", "2030-01-01")
    assert "kept" in listing.output and "legal hold by qa-dlane until 2031-01-01" in listing.output
    assert _purge(run, repo).exit_code == 0
    assert (repo / AUDIT).exists()  # held
    assert not (repo / "samples/2026-09.yaml").exists()  # not held
    # After the hold lapses, the record goes too.
    later = run(
        "retention", "--repo", repo, "--as-of", "2031-02-01", "--purge", "--by", "qa-dlane", "--yes"
    )
    assert later.exit_code == 0 and not (repo / AUDIT).exists()


def test_an_open_safeguarding_concern_is_never_purged(repo: Path, run) -> None:
    audit = repo / AUDIT
    audit.write_text(
        audit.read_text()
        + "safeguarding_concern:\n  found: 2026-10-01\n  description: Escalated at once.\n"
        "  escalated_to: tm-bmoor\n  escalated_on: 2026-10-01\n"
    )
    assert _purge(run, repo).exit_code == 0
    assert audit.exists()


def test_strays_and_unreadable_files_are_listed_for_a_person_and_kept(repo: Path, run) -> None:
    (repo / "export.csv").write_text("Case ID\n1\n")
    (repo / "audits/2026-09/broken.yaml").write_text("schema: [\n")
    (repo / "reports" / "2026-H1").mkdir(parents=True)
    (repo / "reports" / "2026-H1" / "team.md").write_text("# team\n")
    listing = run("retention", "--repo", repo, "--as-of", "2030-01-01")
    out = listing.output
    assert "export.csv  (no retention rule covers it)" in out
    assert "audits/2026-09/broken.yaml  (it could not be read as a record)" in out
    assert "reports/2026-H1  (reports, last activity 2026-06-30)" in out
    assert _purge(run, repo).exit_code == 0
    assert (repo / "export.csv").exists() and (repo / "audits/2026-09/broken.yaml").exists()
    assert not (repo / "reports" / "2026-H1").exists()
