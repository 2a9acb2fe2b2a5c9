"""Multi-agency feedback to practitioners (App. E 7): after the audit each agency auditor meets
the practitioner with the feedback and grades. Recorded with `qa feedback PATH practitioner`,
chased by `qa due` until recorded, counted in the multi-agency report."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from conftest import AS_OF, snapshot

from qa_cli import yamlio

AUDIT = "2026-cp-neglect"
RETURN = f"multi-agency/{AUDIT}/returns/C-CCXPHF9M--health.yaml"


def chased(run, root: Path) -> list[dict]:
    out = run("due", "--as-of", AS_OF, "--repo", root, "-f", "json", "--within", "60")
    assert out.exit_code == 0, out.output
    return [i for i in json.loads(out.output)["items"] if "practitioner" in i["title"]]


def feedback(run, root: Path, *args: str):
    return run("feedback", root / RETURN, "practitioner", *args, "--as-of", AS_OF, "--repo", root)


def test_feedback_to_the_practitioner_is_chased_recorded_and_counted(demo_repo, run) -> None:
    returns = [
        yamlio.load_fast(p.read_bytes())
        for p in (demo_repo / f"multi-agency/{AUDIT}/returns").glob("*.yaml")
    ]
    returned = [r for r in returns if r["status"] == "returned"]
    given = sum("practitioner_feedback" in r for r in returned)
    assert 0 < given < len(returned)  # the demo records some meetings
    items = chased(run, demo_repo)
    assert len(items) == len(returned) - given
    [mine] = [i for i in items if i["path"] == RETURN]
    # the findings were agreed on 2026-10-21: 20 working days later
    assert (mine["person"], mine["due"], mine["kind"]) == (
        "ag-health-rkaur",
        "2026-11-18",
        "audit_feedback",
    )
    done = feedback(
        run, demo_repo, "--to", "the health visitor", "--text", "Note home conditions.",
        "--date", "2026-11-20",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    fb = yamlio.load_fast((demo_repo / RETURN).read_bytes())["practitioner_feedback"]
    assert (fb["to"], str(fb["on"]), fb["learning"]) == (
        "the health visitor",
        "2026-11-20",
        "Note home conditions.",
    )
    assert run("validate", demo_repo / RETURN, "--repo", demo_repo).exit_code == 0
    assert RETURN not in {i["path"] for i in chased(run, demo_repo)}
    report = run("report", "multi-agency", AUDIT, "--as-of", AS_OF, "--repo", demo_repo)
    assert report.exit_code == 0, report.output
    md = (demo_repo / f"reports/multi-agency-{AUDIT}/multi-agency.md").read_text()
    assert f"met the practitioner on {given + 1} of {len(returned)} returns in" in md
    wb = openpyxl.load_workbook(demo_repo / f"reports/multi-agency-{AUDIT}/multi-agency.xlsx")
    rows = list(wb["Practitioner feedback"].iter_rows(min_row=2, values_only=True))
    assert sum(r[1] for r in rows) == given + 1 and sum(r[2] for r in rows) == len(returned)


def test_refusals_change_nothing(demo_repo, run) -> None:
    before = snapshot(demo_repo)
    no_to = feedback(run, demo_repo)
    assert no_to.exit_code == 2 and "--to" in no_to.output
    early = feedback(run, demo_repo, "--to", "the school nurse", "--date", "2026-09-01")
    assert early.exit_code == 1 and "before the return was completed" in early.output
    audit = next((demo_repo / "audits/2026-10").glob("*.yaml"))
    wrong = run(
        "feedback", audit, "practitioner", "--to", "x", "--as-of", AS_OF, "--repo", demo_repo
    )
    assert wrong.exit_code == 2 and "qa/audit file" in wrong.output
    assert "Traceback" not in no_to.output + early.output + wrong.output
    assert snapshot(demo_repo) == before
    assert feedback(run, demo_repo, "--to", "the school nurse").exit_code == 0
    again = feedback(run, demo_repo, "--to", "the school nurse")
    assert again.exit_code == 1 and "already records" in again.output


def test_feedback_dated_before_the_return_is_a_located_error(demo_repo, run) -> None:
    path = demo_repo / RETURN
    path.write_text(
        path.read_text() + "practitioner_feedback:\n  to: the health visitor\n  on: 2026-09-01\n"
    )
    out = run("validate", path, "--repo", demo_repo)
    assert out.exit_code == 1 and "QA485" in out.output
    lines = path.read_text().splitlines()
    assert f"{RETURN}:{len(lines)}:7:" in out.output
