"""The registry of file kinds: one entry per kind, and the paths it gives are the demo's paths."""

from __future__ import annotations

import datetime as dt

from conftest import DEMO

from qa_cli import layout
from qa_cli.models import KINDS, AuditReturn
from qa_cli.repository import Repository


def test_every_kind_is_registered_with_its_model() -> None:
    assert set(layout.FILE_KINDS) == set(KINDS)
    for schema, fk in layout.FILE_KINDS.items():
        assert fk.model is KINDS[schema][1]
    assert layout.ACTION_KINDS == (
        "qa/audit",
        "qa/crib-sheet",
        "qa/multi-agency-findings",
        "qa/improvement",
        "qa/team-review",
        "qa/team-overview",
    )
    review = layout.FILE_KINDS["qa/team-review"]
    assert review.action_keys == ("support", "team_sessions", "service_development")


def test_canonical_paths_are_where_the_demo_keeps_its_files() -> None:
    repo = Repository.load(DEMO)
    checked = 0
    for lf in repo.files:
        expected = layout.canonical_path(lf.kind, lf.model)
        if expected is not None:
            assert expected == lf.rel
            checked += 1
    assert checked > 20


def test_path_builders() -> None:
    day = dt.date(2026, 10, 5)
    assert layout.sample_path("2026-10", "single-agency") == "samples/2026-10.yaml"
    assert layout.sample_path("2026-10", "crib-sheet") == "samples/2026-10-crib-sheet.yaml"
    assert layout.audit_path("2026-10", "C-AAAAAAAA", "t") == "audits/2026-10/C-AAAAAAAA--t.yaml"
    assert layout.observation_path(day, "sw-x") == "observations/2026/sw-x--2026-10-05.yaml"
    assert layout.improvement_path("2026-10") == "improvement/2026-10.yaml"
    assert layout.improvement_path("2026-10", "supervision") == (
        "improvement/2026-10-supervision.yaml"
    )
    assert layout.team_overview_path("2026-10", "t") == "team-overviews/2026-10/t.yaml"
    assert layout.team_review_path("2026-10", "t") == "team-reviews/2026-10/t.yaml"
    assert layout.agency_return_path("a1", "C-AAAAAAAA", "health") == (
        "multi-agency/a1/returns/C-AAAAAAAA--health.yaml"
    )
    assert layout.case_list_path(day) == "cases/2026-10-05.csv"


def test_last_activity_is_the_latest_known_date() -> None:
    repo = Repository.load(DEMO)
    for audit in repo.models(AuditReturn):
        last = layout.FILE_KINDS["qa/audit"].last_activity(audit)
        assert last is not None and last >= audit.allocated
        if audit.completed is not None:
            assert last >= audit.completed
    assert layout.FILE_KINDS["qa/tool"].last_activity(next(iter(repo.tools.values()))) is None
