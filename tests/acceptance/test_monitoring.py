"""IRO and CP Chair monitoring (§4.3.2-4.3.4): `qa new` for a monitoring form and a mid-point
review, validation, `qa due` chasing, and `qa report monitoring --month` (Markdown and Excel)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from conftest import AS_OF, snapshot

from qa_cli import yamlio

FILLED = """\
status: completed
answers:
  report-on-time: "yes"
  report-quality: good
  quorate: "yes"
  held-in-timescale: "yes"
  previous-plan-progressed: "yes"
  parents-prepared: "yes"
  child-views: advocate
  plan-smart:
    answer: "no"
    comment: The plan has no timescales.
  practice-quality: requires_improvement
"""


def cla_case(root: Path) -> tuple[str, str]:
    rows = [r.split(",") for r in (root / "cases/2026-10-28.csv").read_text().splitlines()[1:]]
    used = {p.name[:10] for p in root.glob("monitoring/*/*.yaml")}  # the demo's own forms
    case, team = next((r[0], r[1]) for r in rows if r[3] == "CLA" and r[0] not in used)
    return case, team


def new_form(run, root: Path, case: str, *extra: str):
    return run(
        "new", "conference-review-monitoring", "--case", case, "--auditor", "iro-kmensah",
        "--date", "2026-11-20", *extra, "--as-of", AS_OF, "--repo", root,
    )  # fmt: skip


def fill(path: Path) -> None:
    text = path.read_text()
    head = text.split("status: allocated")[0]
    path.write_text(head + FILLED + "sent_to_manager: 2026-11-23\n")


def items(run, root: Path, kind: str) -> list[dict]:
    out = run("due", "--as-of", AS_OF, "--repo", root, "-f", "json", "--within", "60")
    assert out.exit_code == 0, out.output
    return [i for i in json.loads(out.output)["items"] if i["kind"] == kind]


def test_iro_form_is_created_validates_is_chased_and_reported(demo_repo, run) -> None:
    case, team = cla_case(demo_repo)
    rel = f"monitoring/2026-11/{case}--cla_review--2026-11-20.yaml"
    made = new_form(run, demo_repo, case)
    assert made.exit_code == 0, made.output
    assert f"wrote {rel}" in made.output
    blank = yamlio.load_fast((demo_repo / rel).read_bytes())
    assert (blank["meeting"], blank["chair"], blank["team"]) == ("cla_review", "iro-kmensah", team)
    assert run("validate", "--repo", demo_repo).exit_code == 0  # a blank form is valid
    [chase] = [i for i in items(run, demo_repo, "monitoring") if i["path"] == rel]
    assert chase["person"] == "iro-kmensah" and chase["due"] == "2026-11-27"
    assert chase["title"].startswith("Complete the monitoring form")
    report = run(
        "report", "monitoring", "--month", "2026-11", "--as-of", AS_OF, "--repo", demo_repo
    )
    assert report.exit_code == 0, report.output
    md = (demo_repo / "reports/2026-11/monitoring.md").read_text()
    assert case not in md  # a blank form is not counted as done
    fill(demo_repo / rel)
    assert run("validate", "--repo", demo_repo).exit_code == 0
    assert not [i for i in items(run, demo_repo, "monitoring") if i["path"] == rel]
    report = run(
        "report", "monitoring", "--month", "2026-11", "--as-of", AS_OF, "--repo", demo_repo
    )
    assert report.exit_code == 0, report.output
    md = (demo_repo / "reports/2026-11/monitoring.md").read_text()
    assert f"| 2026-11-20 | Looked-after review | {case} |" in md
    assert "`plan-smart`: no in 2 of 5" in md  # the demo's one and this one
    wb = openpyxl.load_workbook(demo_repo / "reports/2026-11/monitoring.xlsx")
    rows = list(wb["Forms"].iter_rows(min_row=2, values_only=True))
    assert any(r[2] == case and r[6] == "Requires Improvement" for r in rows)
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Monitoring forms"] == 5 and summary["Disputes open"] == 1


def test_wrong_chair_refused_or_flagged(demo_repo, run) -> None:
    case, _ = cla_case(demo_repo)
    before = snapshot(demo_repo)
    r = run(
        "new", "conference-review-monitoring", "--case", case, "--auditor", "cp-chair-nhayes",
        "--meeting", "cla_review", "--as-of", AS_OF, "--repo", demo_repo,
    )  # fmt: skip
    assert r.exit_code == 2 and "IRO" in r.output
    r = new_form(run, demo_repo, case, "--meeting", "tea_party")
    assert r.exit_code == 2 and "cla_review" in r.output
    assert snapshot(demo_repo) == before
    assert new_form(run, demo_repo, case).exit_code == 0
    path = demo_repo / f"monitoring/2026-11/{case}--cla_review--2026-11-20.yaml"
    path.write_text(path.read_text().replace("chair: iro-kmensah", "chair: cp-chair-nhayes"))
    result = run("validate", path, "--repo", demo_repo)
    assert "QA470" in result.output and "IRO" in result.output


def test_midpoint_review_with_a_dispute_chased_until_resolved(demo_repo, run) -> None:
    rel = next(p for p in (demo_repo / "monitoring/2026-11").glob("*--midpoint--2026-11-18.yaml"))
    [dispute] = [i for i in items(run, demo_repo, "dispute") if i["path"].endswith(rel.name)]
    assert dispute["person"] == "iro-swhitlock" and "team manager stage" in dispute["title"]
    text = rel.read_text()
    rel.write_text(text.replace("  about:", "  resolved_on: 2026-11-25\n  about:"))
    half = run("validate", rel, "--repo", demo_repo)
    assert half.exit_code == 1 and "QA471" in half.output
    rel.write_text(
        text.replace("  about:", "  resolved_on: 2026-11-25\n  resolution: Work starts.\n  about:")
    )
    assert run("validate", rel, "--repo", demo_repo).exit_code == 0
    assert not [i for i in items(run, demo_repo, "dispute") if i["path"].endswith(rel.name)]
    # a new mid-point review from `qa new`, the plan from the chair's role
    case, _ = cla_case(demo_repo)
    r = run(
        "new", "midpoint-review", "--case", case, "--auditor", "iro-swhitlock", "--date",
        "2026-11-25", "--as-of", AS_OF, "--repo", demo_repo,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    made = yamlio.load_fast(
        (demo_repo / f"monitoring/2026-11/{case}--midpoint--2026-11-25.yaml").read_bytes()
    )
    assert made["plan"] == "care_plan" and made["status"] == "allocated"
    assert run("validate", "--repo", demo_repo).exit_code == 0


def test_a_month_without_forms_is_a_clear_error(demo_repo, run) -> None:
    r = run("report", "monitoring", "--month", "2026-06", "--as-of", AS_OF, "--repo", demo_repo)
    assert r.exit_code == 2 and "no completed monitoring form" in r.output
    assert "Traceback" not in r.output


def test_blank_form_is_no_status_trap_but_a_filled_allocated_one_is(demo_repo, run) -> None:
    """QA311 fired on a blank form: its `held` (the meeting's date, written by `qa new`) was
    taken for a completion date. A blank is clean even with --strict; a filled form still
    `allocated` is flagged, with the status that finishes a monitoring form."""
    case, _ = cla_case(demo_repo)
    assert new_form(run, demo_repo, case).exit_code == 0
    path = demo_repo / f"monitoring/2026-11/{case}--cla_review--2026-11-20.yaml"
    blank = run("validate", "--strict", path, "--repo", demo_repo)
    assert blank.exit_code == 0, blank.output
    assert "QA311" not in blank.output and "QA304" not in blank.output
    fill(path)
    path.write_text(path.read_text().replace("status: completed", "status: allocated"))
    trap = run("validate", path, "--repo", demo_repo)
    assert "QA311" in trap.output and "every required answer" in trap.output
    assert "set `status: completed`" in trap.output
