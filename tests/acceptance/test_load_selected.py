"""`qa validate FILES` loads the named files and only what their cross-file rules consult."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_cli.repository import Repository
from qa_cli.validation.engine import validate_repository
from qa_cli.validation.privacy_rules import selected_case_lists

from .test_validate_cases import CASES, _identity_list, _lay_out  # noqa: F401

DEMO_AUDIT = "audits/2026-10/C-N65NM2H5--single-agency-safeguarding.yaml"


def _every_file_loaded(root: Path, selected: list[Path]) -> Repository:
    """The former way: the whole repository loaded, the selection marked in it."""
    repo = Repository.load(root)
    wanted = {p.resolve() for p in selected}
    repo.selected = [
        f
        for f in repo.files
        if f.path.resolve() in wanted or any(w in f.path.resolve().parents for w in wanted)
    ]
    return repo


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_one_file_has_the_findings_it_has_when_everything_is_loaded(tmp_path, case):
    repo, expect = _lay_out(tmp_path, case)
    target = repo / expect["file"]
    if target.suffix not in (".yaml", ".yml") or not target.exists():
        pytest.skip("the finding is not on a YAML file of the repository")
    lists = selected_case_lists(repo, [target])
    lean = Repository.load(repo, [target])
    full = _every_file_loaded(repo, [target])
    assert len(lean.files) <= len(full.files)
    assert validate_repository(lean, lists).diagnostics == (
        validate_repository(full, lists).diagnostics
    )


def test_a_return_loads_only_config_tools_samples_and_scopes(demo_repo: Path) -> None:
    lean = Repository.load(demo_repo, [demo_repo / DEMO_AUDIT])
    kinds = {f.kind for f in lean.files if f.rel != DEMO_AUDIT}
    assert kinds <= {"qa/config", "qa/tool", "qa/sample", "qa/themed", "qa/multi-agency"}
    assert [f.rel for f in lean.selected] == [DEMO_AUDIT]
    assert not any(f.kind == "qa/audit" and f.rel != DEMO_AUDIT for f in lean.files)
    everything = Repository.load(demo_repo)
    assert len(lean.files) < len(everything.files) / 2
    assert {f.rel for f in everything.files if f.kind == "qa/tool"} <= {f.rel for f in lean.files}


def test_a_return_loads_only_the_sample_of_its_own_month(demo_repo: Path) -> None:
    """The first time, every sample whose bytes name the month is read (a sample is found
    by the month it holds, not by its file name); then each sample's month is known."""
    first = Repository.load(demo_repo, [demo_repo / DEMO_AUDIT])
    assert {"samples/2026-10.yaml", "samples/2026-10-crib-sheet.yaml"} <= {
        f.rel for f in first.files if f.kind == "qa/sample"
    }
    lean = Repository.load(demo_repo, [demo_repo / DEMO_AUDIT])
    samples = sorted(f.rel for f in lean.files if f.kind == "qa/sample")
    assert samples and all(rel.startswith("samples/2026-10") for rel in samples)
    everything = Repository.load(demo_repo)
    assert len([f for f in everything.files if f.kind == "qa/sample"]) > len(samples)
    assert (
        validate_repository(lean, []).diagnostics
        == validate_repository(
            _every_file_loaded(demo_repo, [demo_repo / DEMO_AUDIT]), []
        ).diagnostics
    )


def test_a_folder_loads_every_sample(demo_repo: Path) -> None:
    lean = Repository.load(demo_repo, [demo_repo / "audits"])
    everything = Repository.load(demo_repo)
    assert {f.rel for f in lean.files if f.kind == "qa/sample"} == {
        f.rel for f in everything.files if f.kind == "qa/sample"
    }
