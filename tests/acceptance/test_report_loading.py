"""Reports read only their period (issue 16): the returns of other months come as summaries
from .qa/cache/summaries.json, and the report is the same as from a full load of every file;
a stale, corrupt or foreign store changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qa_cli.reports import (
    Report,
    crib_sheets,
    monitoring,
    monthly,
    period,
    programmes,
    team,
    themed,
)
from qa_cli.reports.loading import SUMMARIES_NAME, load_for_report, no_returns
from qa_cli.repository import Repository
from tests.conftest import AS_OF

TODAY = dt.date.fromisoformat(AS_OF)
STORE = Path(".qa/cache") / SUMMARIES_NAME

Case = tuple[Callable[..., Report], dict[str, Any], Callable[[str, dict[str, Any]], bool]]
CASES: list[Case] = [
    *(
        (monthly.build_monthly, {"month": m, "by": by}, monthly.needs(m, by))
        for m in ("2026-08", "2026-10")
        for by in ("sample", "completed")
    ),
    *(
        (
            period.build_quarterly,
            {"quarter": "2026-Q3", "by": by},
            period.quarter_needs("2026-Q3", by),
        )
        for by in ("sample", "completed")
    ),
    (period.build_annual, {"year": 2026, "by": "completed"}, period.year_needs(2026, "completed")),
    (
        themed.build_themed,
        {"theme": "supervision", "month": "2026-10"},
        themed.needs("supervision", "2026-10"),
    ),
    (
        team.build_team,
        {"team_id": "assessment-2", "half": "2026-H2"},
        team.needs("assessment-2", "2026-H2"),
    ),
    (crib_sheets.build_crib_sheets, {"month": "2026-10"}, no_returns()),
    (monitoring.build_monitoring, {"month": "2026-11"}, no_returns()),
    (programmes.build_multi_agency, {"audit_id": "2026-cp-neglect"}, no_returns()),
    (programmes.build_complaints, {"year": 2026}, no_returns()),
    (programmes.build_observations, {"year": 2026}, no_returns()),
]


def _seen(repo: Repository, case: Case) -> str:
    """What a reader gets: the report's context, workbook and notes."""
    build, options, _ = case
    report = build(repo, today=TODAY, **options)
    return json.dumps([report.context, report.workbook, report.notes], default=str, sort_keys=True)


def _full(root: Path, case: Case) -> str:
    return _seen(Repository.load(root, require_config=True, use_cache=False), case)


@pytest.mark.parametrize(
    "case", CASES, ids=lambda c: f"{c[0].__name__}-{'-'.join(map(str, c[1].values()))}"
)
def test_a_report_from_summaries_equals_a_full_load(demo_repo: Path, case: Case) -> None:
    want = _full(demo_repo, case)
    cold = load_for_report(demo_repo, case[2])  # no summaries yet: every file is read
    assert _seen(cold, case) == want
    warm = load_for_report(demo_repo, case[2])
    assert warm.summaries, "the second run reads other months' returns as summaries"
    assert _seen(warm, case) == want


def test_the_monthly_report_does_not_parse_other_months(demo_repo: Path) -> None:
    needs = monthly.needs("2026-10")
    load_for_report(demo_repo, needs)
    repo = load_for_report(demo_repo, needs)
    earlier = [f for f in repo.files if f.rel.startswith(("audits/2026-08/", "audits/2026-09/"))]
    summarised = [r for r in repo.summaries if r.startswith(("audits/2026-08/", "audits/2026-09/"))]
    assert summarised
    # an earlier month's return is read in full only for the concern the report lists
    for lf in earlier:
        concern = getattr(lf.model, "safeguarding_concern", None)
        assert concern is not None and (
            concern.acknowledged_on is None or concern.found.strftime("%Y-%m") == "2026-10"
        ), lf.rel


def _edit_an_earlier_return(root: Path) -> None:
    """Change an August return's grade (a reviewed one changes nothing: its agreed grade
    counts), so a stale summary would show in the trend."""
    for path in sorted((root / "audits/2026-08").glob("*.yaml")):
        text = path.read_text()
        if "qa_review:" not in text and "overall_grade: good" in text:
            path.write_text(text.replace("overall_grade: good", "overall_grade: outstanding", 1))
            return
    raise AssertionError("no August return graded good without a QA review in the demo")


def test_an_edited_return_is_summarised_again(demo_repo: Path) -> None:
    case = CASES[2]  # the October report: its trend counts August
    load_for_report(demo_repo, case[2])
    before = _full(demo_repo, case)
    _edit_an_earlier_return(demo_repo)
    want = _full(demo_repo, case)
    assert want != before  # the edit shows in the report
    assert _seen(load_for_report(demo_repo, case[2]), case) == want


@pytest.mark.parametrize(
    "damage",
    [
        lambda body: "{ not json",
        lambda body: json.dumps({**body, "format": "qa-report-summaries/0"}),
        lambda body: json.dumps({**body, "toolkit": "another"}),
        lambda body: json.dumps(
            {
                **body,
                "files": {
                    k: [v[0], v[1], v[2], {**v[3], "auditors": 3}] for k, v in body["files"].items()
                },
            }
        ),
        lambda body: json.dumps(
            {**body, "files": {k: [v[0], v[1], "0" * 64, v[3]] for k, v in body["files"].items()}}
        ),
    ],
    ids=["not-json", "other-format", "foreign-toolkit", "bad-shape", "wrong-hash"],
)
def test_a_damaged_store_changes_nothing(
    demo_repo: Path, damage: Callable[[dict[str, Any]], str]
) -> None:
    case = CASES[2]
    want = _full(demo_repo, case)
    load_for_report(demo_repo, case[2])
    store = demo_repo / STORE
    store.write_text(damage(json.loads(store.read_text())))
    assert _seen(load_for_report(demo_repo, case[2]), case) == want


def test_the_command_with_and_without_the_cache(run, demo_repo: Path) -> None:
    args = ["report", "monthly", "--month", "2026-10", "--repo", demo_repo, "--as-of", AS_OF]
    md = demo_repo / "reports/2026-10/monthly.md"
    assert run(*args, "--no-cache").exit_code == 0
    assert not (demo_repo / STORE).exists()  # --no-cache reads and writes no cache
    reference = md.read_bytes()
    for _ in range(2):  # the first run writes the summaries, the second reads them
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert md.read_bytes() == reference
    assert (demo_repo / STORE).is_file()
