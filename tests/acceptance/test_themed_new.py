"""`qa new themed-...` makes the theme's scope when it is missing (or adds the case to it), so
`qa report themed` works at once; `qa due` chases the next themed audit by its cadence."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import AS_OF, snapshot

from qa_cli import yamlio

SCOPE = "themed/2026-11-care-plans/scope.yaml"


def cases(root: Path, n: int) -> list[str]:
    lines = (root / "cases/2026-10-28.csv").read_text().splitlines()
    rows = [r for r in lines if not r.startswith("#")][1:]  # after the key line and header
    return [r.split(",")[0] for r in rows if r.split(",")[1] != "child-in-need"][:n]


def new(run, root: Path, case: str, *extra: str):
    return run("new", "themed-care-plans", "--case", case, *extra, "--as-of", AS_OF, "--repo", root)


def test_new_themed_return_writes_a_valid_scope_and_the_report_works(demo_repo, run) -> None:
    first, second = cases(demo_repo, 2)
    r = new(run, demo_repo, first)
    assert r.exit_code == 0, r.output
    assert f"wrote {SCOPE}" in r.output
    scope = yamlio.load_fast((demo_repo / SCOPE).read_bytes())
    assert scope["cases"] == [first] and scope["tool"] == "themed-care-plans@1"
    assert scope["theme"] == "care-plans" and scope["month"] == "2026-11"
    assert run("validate", "--repo", demo_repo).exit_code == 0
    report = run(
        "report", "themed", "--theme", "care-plans", "--month", "2026-11", "--as-of", AS_OF,
        "--repo", demo_repo,
    )  # fmt: skip
    assert report.exit_code == 0, report.output
    assert (demo_repo / "reports/2026-11/themed-care-plans.md").is_file()
    # a second return adds its case to the scope: one line changes, the rest is kept
    before = (demo_repo / SCOPE).read_text().splitlines()
    r = new(run, demo_repo, second)
    assert r.exit_code == 0 and f"added the case to {SCOPE}" in r.output
    after = (demo_repo / SCOPE).read_text().splitlines()
    assert [x for x in after if x not in before] == [f"cases: [{first}, {second}]"]
    assert run("validate", "--repo", demo_repo).exit_code == 0


def test_a_broken_scope_is_not_edited(demo_repo, run) -> None:
    first, second = cases(demo_repo, 2)
    assert new(run, demo_repo, first).exit_code == 0
    path = demo_repo / SCOPE
    path.write_text(path.read_text().replace("lead: ", "lead: [") + "\n")
    before = snapshot(demo_repo / "themed")
    r = new(run, demo_repo, second)
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert "scope.yaml" in r.output
    # the return was written before the scope was looked at; the scope itself is untouched
    assert (demo_repo / SCOPE).read_bytes() == before["2026-11-care-plans/scope.yaml"]


def _themed_items(run, root: Path, *extra: str) -> list[dict]:
    out = run("due", "--as-of", AS_OF, "--repo", root, "-f", "json", "--within", "400", *extra)
    assert out.exit_code == 0, out.output
    return [i for i in json.loads(out.output)["items"] if i["kind"] == "themed_audit"]


def test_due_chases_the_next_themed_audit_by_the_cadence(demo_repo, run) -> None:
    [item] = _themed_items(run, demo_repo)  # the demo's last themed audit is 2026-10
    assert item["due"] == "2026-12-31" and item["person"] == "qa-lead-ebrooks"
    (first,) = cases(demo_repo, 1)
    assert new(run, demo_repo, first, "--month", "2026-12").exit_code == 0
    [item] = _themed_items(run, demo_repo)
    assert item["due"] == "2027-02-28"
    cfg = demo_repo / "qa.yaml"
    cfg.write_text(cfg.read_text().replace("\ndue:\n", "\ndue:\n  themed_every_months: 3\n", 1))
    assert _themed_items(run, demo_repo)[0]["due"] == "2027-03-31"
    cfg.write_text(cfg.read_text().replace("themed_every_months: 3", "themed_every_months: 0"))
    assert _themed_items(run, demo_repo) == []
