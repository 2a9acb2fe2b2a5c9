"""Leaf files checked a chunk at a time, in worker processes or not, report exactly what one
whole-repository run reports (qa_cli.validation.chunked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_cli.repository import Repository, iter_yaml_files
from qa_cli.validation import chunked
from qa_cli.validation.engine import validate_repository
from qa_cli.validation.perfile import check_fresh

from .test_cache_per_file import RETURN, _break_date


@pytest.fixture
def repo(mini_repo: Path, no_identity_list: None) -> Path:
    _break_date(mini_repo / RETURN)  # one finding, so the comparison is not of empty lists
    (mini_repo / "audits/2026-10/broken.yaml").write_text("schema: qa/audit@1\nx: [\n")
    return mini_repo


def _split(root: Path) -> tuple[list[Path], list[Path]]:
    """The files other files consult (and qa.yaml), and the leaves."""
    others, leaves = [], []
    for p in iter_yaml_files(root):
        raw = p.read_bytes()
        consulted = p.name == "qa.yaml" or any(
            k in raw for k in (b"qa/tool@", b"qa/sample@", b"qa/themed@", b"qa/multi-agency@")
        )
        (others if consulted else leaves).append(p)
    return others, leaves


def _key(report) -> tuple:  # noqa: ANN001
    return (sorted(report.diagnostics), sorted(report.suppressed), report.checked)


@pytest.mark.parametrize("workers", [1, 2])
def test_chunks_and_workers_report_what_one_run_reports(repo, monkeypatch, workers):
    monkeypatch.setattr(chunked, "CHUNK", 3)
    monkeypatch.setattr(chunked, "PARALLEL_FROM", 0)
    monkeypatch.setenv("QA_WORKERS", str(workers))
    whole = validate_repository(Repository.load(repo, use_cache=False), [])
    others, leaves = _split(repo)
    assert len(leaves) > 3 * chunked.CHUNK  # several chunks
    pieces = check_fresh(repo, others, leaves, [])
    assert any(d.path == RETURN for d in whole.diagnostics)
    assert sorted(pieces.diagnostics) == sorted(whole.diagnostics)
    assert sorted(pieces.suppressed) == sorted(whole.suppressed)
    assert sorted(pieces.checked) == sorted(whole.checked)


def test_worker_results_come_back_in_chunk_order(repo, monkeypatch):
    monkeypatch.setattr(chunked, "CHUNK", 2)
    others, leaves = _split(repo)
    base = Repository.load(repo, others, use_cache=False)
    serial = list(chunked.runs(base, leaves, n_workers=1))
    monkeypatch.setattr(chunked, "PARALLEL_FROM", 0)
    parallel = list(chunked.runs(base, leaves, n_workers=2))
    assert parallel == serial
    assert [c for _, _, checked in serial for c in checked] == [
        p.relative_to(repo).as_posix() for p in leaves
    ]


def test_workers_default_to_the_cores_and_obey_qa_workers(monkeypatch):
    monkeypatch.setenv("QA_WORKERS", "1")
    assert chunked.workers() == 1
    monkeypatch.setenv("QA_WORKERS", "3")
    assert chunked.workers() == 3
    monkeypatch.delenv("QA_WORKERS")
    assert 1 <= chunked.workers() <= 2
