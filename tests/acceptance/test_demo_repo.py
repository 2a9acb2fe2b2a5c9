"""The demo repository is exactly what its generator writes, and holds what it promises.

examples/demo-repo is written by scripts/make_demo_repo.py from scripts/demo/*.yaml; nobody
edits it by hand. If this test fails after a change to the generator, its data or the
toolkit's audit tools, run ``python scripts/make_demo_repo.py`` and commit the result.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from qa_cli.models import AuditReturn, Config, Sample
from qa_cli.yamlio import load_fast

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-repo"
SCRIPT = ROOT / "scripts" / "make_demo_repo.py"
AS_OF = dt.date(2026, 11, 29)  # the scenario's "today"; never the real date


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_demo_repo", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo_repo"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _tree(folder: Path) -> dict[str, bytes]:
    """The committed files: not the local cache a command may leave in .qa/ (git-ignored)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(".qa/")
    }


def _load(path: Path) -> dict[str, Any]:
    data = load_fast(path.read_bytes())
    assert isinstance(data, dict), path
    return data


@pytest.fixture(scope="module")
def audits() -> dict[str, AuditReturn]:
    return {
        p.relative_to(DEMO).as_posix(): AuditReturn.model_validate(_load(p))
        for p in sorted((DEMO / "audits").glob("*/*.yaml"))
    }


def test_regenerating_twice_gives_the_same_bytes_as_the_committed_demo(tmp_path: Path) -> None:
    # Two runs: generate() into a new folder, then the command line over that output (which
    # it replaces). Both must be byte for byte the committed demo.
    out = tmp_path / "demo-repo"
    _generator().generate(out)
    first = _tree(out)
    assert _generator().main([str(out)]) == 0
    second, committed = _tree(out), _tree(DEMO)
    assert first == second, "two runs of the generator differ: it is not deterministic"
    assert sorted(second) == sorted(committed), (
        "examples/demo-repo is out of date: run `python scripts/make_demo_repo.py` and commit it"
    )
    changed = [name for name in second if second[name] != committed[name]]
    assert not changed, (
        f"{len(changed)} file(s) differ from the generator's output, e.g. {changed[:5]}: "
        "change scripts/demo/ instead of editing examples/demo-repo by hand"
    )


def test_every_demo_sample_verifies() -> None:
    # Each month's draw re-draws exactly from its recorded case list, rules, seed and history
    # (`qa sample --verify`), and each moderation list from its seeds (`qa moderate --verify`).
    from qa_cli.moderation import verify as verify_moderation
    from qa_cli.repository import Repository
    from qa_cli.sampling import verify_sample

    repo = Repository.load(DEMO, require_config=True, use_cache=False)
    assert sorted(repo.samples) == [
        ("2026-08", "single-agency"),
        ("2026-09", "multi-agency"),
        ("2026-09", "single-agency"),
        ("2026-10", "crib-sheet"),
        ("2026-10", "single-agency"),
        ("2026-11", "crib-sheet"),
    ]
    for month, programme in repo.samples:
        result = verify_sample(repo, month, programme)
        assert result.ok, (month, programme, result)
    for month in ("2026-08", "2026-09"):
        assert repo.samples[(month, "single-agency")].moderation is not None
        assert verify_moderation(repo, month).ok, month


def test_generator_is_under_600_lines_of_python() -> None:
    # Issue 9: the story is data; the driver and its helper stay short.
    files = [SCRIPT, *sorted((ROOT / "scripts" / "demo").glob("*.py"))]
    assert sum(len(p.read_text("utf-8").splitlines()) for p in files) < 600


def test_generator_refuses_to_overwrite_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit):
        _generator().generate(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_organisation_teams_and_staff() -> None:
    config = Config.model_validate(_load(DEMO / "qa.yaml"))
    assert "fictional" in config.organisation
    assert 5 <= len(config.teams) <= 8
    assert sum(t.balanced_score_card for t in config.teams) == 1
    assert 35 <= len(config.staff) <= 50
    roles = Counter(r for s in config.staff for r in s.roles)
    assert roles["qa_lead"] == 1 and roles["qa_auditor"] >= 1
    assert roles["team_manager"] == len(config.teams)
    assert roles["service_manager"] == 2 and roles["assistant_director"] == 1
    assert roles["iro"] >= 1 and roles["cp_chair"] >= 1 and roles["agency_auditor"] >= 3
    staff = config.staff_by_id()
    bsc = {t.id for t in config.teams if t.balanced_score_card}
    for pair in config.programmes.single_agency.pairs:
        assert "service_manager" in staff[pair.service_manager].roles
        assert staff[pair.team_manager].team not in bsc


def test_case_lists_hold_codes_and_minimum_fields_only() -> None:
    lists = sorted((DEMO / "cases").glob("*.csv"))
    assert [p.name for p in lists] == [
        "2026-07-28.csv",
        "2026-08-27.csv",
        "2026-09-28.csv",
        "2026-10-28.csv",
    ]
    codes = []
    for path in lists:
        lines = path.read_text("utf-8").splitlines()
        assert lines[0].startswith("# key-fingerprint: ")  # imported with the demo's key
        lines = lines[1:]
        assert lines[0] == "case,team,worker,category,start_date,age_band,check"
        assert 200 <= len(lines) - 1 <= 400
        rows = [line.split(",") for line in lines[1:]]
        for _case, _team, _worker, category, start, band, _check in rows:
            assert category in ("CIN", "CP", "CLA", "care_leaver", "early_help")
            assert band in ("0-4", "5-9", "10-15", "16-17", "18-25")
            assert band != "18-25" or category == "care_leaver"
            assert start < path.stem[:7] or start == path.stem[:7]  # kept to the month
        codes.append({r[0] for r in rows})
    # Mostly the same cases month to month, with a few joining and leaving.
    for before, after in zip(codes, codes[1:], strict=False):
        assert before != after and len(before & after) > 0.9 * len(before)


def test_three_months_of_samples() -> None:
    samples = {
        p.stem: Sample.model_validate(_load(p))
        for p in sorted((DEMO / "samples").glob("2026-??.yaml"))
    }
    assert sorted(samples) == ["2026-08", "2026-09", "2026-10"]
    reasons = set()
    for sample in samples.values():
        assert sample.rules["algorithm"] == "qa-sample/1"
        assert [t["cases"] for t in sample.rules["takers"]] == [3] * 5
        assert len(sample.allocations) == 15
        reasons |= {e.reason for e in sample.excluded}
        assert sample.case_list is not None
        import hashlib

        digest = hashlib.sha256((DEMO / sample.case_list).read_bytes()).hexdigest()
        assert sample.case_list_sha256 == digest
    assert any("Balanced Score Card" in r for r in reasons)
    assert any("12 months" in r for r in reasons)


def test_exactly_one_september_return_is_still_outstanding_and_overdue(
    audits: dict[str, AuditReturn],
) -> None:
    september = [a for path, a in audits.items() if path.startswith("audits/2026-09/")]
    outstanding = [a for a in september if a.status == "allocated"]
    assert len(outstanding) == 1
    assert outstanding[0].due == dt.date(2026, 11, 2) < AS_OF
    august = [a for path, a in audits.items() if path.startswith("audits/2026-08/")]
    assert {a.status for a in august} <= {"closed", "qa_review"}
    october = [a for path, a in audits.items() if path.startswith("audits/2026-10/")]
    assert {a.status for a in october} == {"allocated", "in_progress", "returned"}
    assert all(a.due is not None and a.due > AS_OF for a in october)


def test_actions_grades_and_concerns(audits: dict[str, AuditReturn]) -> None:
    actions = [act for a in audits.values() for act in a.actions]
    assert any(act.status == "open" and act.due < AS_OF for act in actions), "no overdue action"
    assert any(act.status == "verified" for act in actions)
    assert any(act.status == "done" for act in actions)
    assert any(act.re_audit is not None for act in actions)
    grades = Counter(a.overall_grade for a in audits.values() if a.overall_grade)
    assert grades["inadequate"] >= 1 and grades["requires_improvement"] >= 1
    assert 1 <= grades["outstanding"] <= 2
    assert grades["good"] > grades["requires_improvement"] + grades["inadequate"]
    concerns = [a for a in audits.values() if a.safeguarding_concern is not None]
    assert len(concerns) == 1
    assert concerns[0].safeguarding_concern.acknowledged_on is None  # type: ignore[union-attr]
    reviews = [a for a in audits.values() if a.qa_review is not None]
    assert any(a.qa_review.agreed_grade == a.overall_grade for a in reviews)  # type: ignore[union-attr]
    assert any(a.qa_review.agreed_grade != a.overall_grade for a in reviews)  # type: ignore[union-attr]
    assert any(a.overall_grade in ("good", "outstanding") for a in reviews)


def test_other_kinds_of_audit_are_there() -> None:
    assert len(list((DEMO / "crib-sheets").glob("2026-1[01]/*.yaml"))) >= 10
    themed = DEMO / "themed" / "2026-10-supervision"
    assert (themed / "scope.yaml").is_file() and len(
        list(themed.glob("C-*--themed-supervision.yaml"))
    ) == 6
    ma = DEMO / "multi-agency" / "2026-cp-neglect"
    scope = _load(ma / "scope.yaml")
    assert scope["cohort"] == "CP" and len(scope["cases"]) == 8
    assert len(list((ma / "returns").glob("*.yaml"))) == 8 * len(scope["agencies"])
    findings = _load(ma / "findings.yaml")
    assert [r["months"] for r in findings["reviews"]] == [6, 12]
    observations = list((DEMO / "observations" / "2026").glob("*.yaml"))
    assert 20 <= len(observations) <= 32
    overdue_feedback = 0
    for path in observations:
        obs = _load(path)
        observed = dt.date.fromisoformat(obs["observed"])
        if obs.get("feedback_written") is None and (AS_OF - observed).days > 14:
            overdue_feedback += 1
    assert overdue_feedback >= 1
    assert 5 <= len(list((DEMO / "complaints" / "2026").glob("CMP-2026-*.yaml"))) <= 8
    assert (DEMO / "README.md").is_file()
