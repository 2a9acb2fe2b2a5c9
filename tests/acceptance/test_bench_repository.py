"""The benchmark's generated repository (benchmarks/run.py, issue 16): its returns spread over
many months, each month with its own sample and consistent dates, and it validates with no
findings; the three-month stress layout too. A small N keeps it quick."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from qa_cli import calendar as cal

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _returns_by_month(repo: Path) -> dict[str, int]:
    return {p.name: len(list(p.glob("*.yaml"))) for p in sorted((repo / "audits").iterdir())}


def _validate_clean(run, repo: Path) -> None:
    result = run("validate", "--repo", repo, "--format", "json")
    report = json.loads(result.output)
    assert (result.exit_code, report["errors"], report["warnings"]) == (0, 0, 0), result.output


def test_spread_over_months_each_with_its_sample_and_working_day_dates(
    bench: ModuleType, tmp_path: Path, run
) -> None:
    repo = tmp_path / "repo"
    bench.generate(repo, 36 * 3, months=36)
    counts = _returns_by_month(repo)
    assert len(counts) == 36 and min(counts) == "2023-11" and max(counts) == "2026-10"
    demo = {"2026-08", "2026-09", "2026-10"}
    assert {n for m, n in counts.items() if m not in demo} == {3}
    assert {n for m, n in counts.items() if m in demo} == {15 + 3}
    for month in ("2023-12", "2024-01", "2025-03"):  # New Year's Day; a Saturday the 1st
        sample = (repo / "samples" / f"{month}.yaml").read_text()
        allocated = dt.date.fromisoformat(re.search(r"(?m)^  allocated: (\S+)", sample)[1])
        due = dt.date.fromisoformat(re.search(r"(?m)^  due: (\S+)", sample)[1])
        assert allocated == cal.first_working_day(month)
        assert due == cal.due_after_months(allocated, 2)
        files = re.findall(r"(?m)^    file: (\S+)", sample)
        assert len(files) == 3 and all(f.startswith(f"audits/{month}/") for f in files)
        for rel in files:
            text = (repo / rel).read_text()
            assert f"allocated: {allocated}\ndue: {due}\n" in text
            completed = dt.date.fromisoformat(re.search(r"(?m)^completed: (\S+)", text)[1])
            assert allocated < completed and cal.is_working_day(completed)
    _validate_clean(run, repo)


def test_three_month_stress_layout_still_validates(bench: ModuleType, tmp_path: Path, run) -> None:
    repo = tmp_path / "repo"
    bench.generate(repo, 30, months=3)
    assert _returns_by_month(repo) == {"2026-08": 25, "2026-09": 25, "2026-10": 25}
    _validate_clean(run, repo)


def test_generation_is_deterministic(bench: ModuleType, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    bench.generate(one, 40, months=12)
    bench.generate(two, 40, months=12)
    files = sorted(p.relative_to(one) for p in one.rglob("*.yaml"))
    assert files == sorted(p.relative_to(two) for p in two.rglob("*.yaml"))
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
