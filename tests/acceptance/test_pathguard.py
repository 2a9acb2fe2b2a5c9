"""Paths derived from input stay inside the repository; links are never followed out of it.

Each test reproduces a hole found by the hostile review (issue 8) and checks that the
command now refuses with exit 2, names the argument or file, and changes no file anywhere
(the repository and the folder around it are snapshotted before and after).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import AS_OF, snapshot

PARENT_ESCAPES = ["../../../../X", "..", "a/b", "/tmp/x", "x\\y", ".hidden", "a" * 81]


@pytest.fixture
def world(demo_repo: Path) -> Path:
    """The folder holding the repository and an `outside/` folder beside it."""
    outside = demo_repo.parent / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("schema: qa/audit@1\nsecret: yes\n")
    return demo_repo.parent


def _refused(world: Path, run, *args: str | Path, says: str) -> None:
    """The command exits 2 naming ``says``, without a traceback, and changes no file."""
    before = snapshot(world)
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert says in r.output and "Traceback" not in r.output
    assert snapshot(world) == before


@pytest.mark.parametrize("theme", PARENT_ESCAPES)
def test_new_themed_refuses_a_theme_that_is_not_a_name(world, demo_repo, run, theme) -> None:
    themed = ["new", "themed-supervision", "--theme", theme, "--month", "2026-11"]
    who = ["--case", "C-3HVM3XNW", "--auditor", "qa-dlane", "--as-of", AS_OF]
    _refused(world, run, *themed, *who, "--repo", demo_repo, says="--theme")


@pytest.mark.parametrize("audit_id", ["../../../../m3x", "../m", "a/../../b"])
def test_multi_agency_audit_id_cannot_leave_the_repository(world, demo_repo, run, audit_id) -> None:
    where = ["--audit-id", audit_id, "--as-of", AS_OF, "--repo", demo_repo]
    draw = ["sample", "--programme", "multi-agency", "--month", "2026-11"]
    _refused(world, run, *draw, *where, says="--audit-id")
    _refused(world, run, "new", "multi-agency", *where, says="--audit-id")


def _a_return_with_actions(repo: Path, run) -> str:
    rows = json.loads(run("actions", "list", "--format", "json", "--repo", repo).stdout)
    row = next(r for r in rows if r["source"] == "audit" and r["status"] == "open")
    return row["path"], row["id"]


def test_actions_done_refuses_a_link_to_outside_and_keeps_the_link(world, demo_repo, run) -> None:
    rel, action_id = _a_return_with_actions(demo_repo, run)
    real = demo_repo / rel
    outside = world / "outside" / "moved.yaml"
    outside.write_bytes(real.read_bytes())
    real.unlink()
    real.symlink_to(outside)
    before = snapshot(world)
    r = run("actions", "done", str(real), action_id, "--as-of", AS_OF, "--repo", demo_repo)
    assert r.exit_code == 2, r.output
    assert "outside the audit repository" in r.output
    assert real.is_symlink() and snapshot(world) == before


def test_actions_done_never_replaces_a_link_inside_the_repository(world, demo_repo, run) -> None:
    rel, action_id = _a_return_with_actions(demo_repo, run)
    link = demo_repo / "link-to-return.yaml"
    link.symlink_to(demo_repo / rel)
    r = run("actions", "done", str(link), action_id, "--as-of", AS_OF, "--repo", demo_repo)
    assert link.is_symlink()
    # the edit goes to the real file of the repository, never replacing the link itself
    assert r.exit_code == 0, r.output
    assert "status: done" in (demo_repo / rel).read_text()


def test_validate_reports_links_out_and_goes_on(world, demo_repo, run) -> None:
    (demo_repo / "audits" / "outside-folder").symlink_to(world / "outside")
    (demo_repo / "audits" / "stolen.yaml").symlink_to(world / "outside" / "secret.yaml")
    (demo_repo / "audits" / "2026-11").mkdir(exist_ok=True)
    (demo_repo / "audits" / "2026-11" / "bad.yaml").write_text("schema: qa/audit@1\n")
    before = snapshot(world)
    r = run("validate", "--format", "json", "--repo", demo_repo)
    assert r.exit_code == 1, r.output
    found = json.loads(r.stdout)["diagnostics"]
    links = {d["path"] for d in found if d["code"] == "QA013"}
    assert links == {"audits/outside-folder", "audits/stolen.yaml"}
    assert any(d["path"] == "audits/2026-11/bad.yaml" for d in found), "the run went on"
    assert not any("secret" in d["message"] for d in found)
    assert snapshot(world) == before


@pytest.mark.parametrize("target", ["/etc/passwd", "../outside", "../outside/secret.yaml"])
def test_validate_refuses_a_path_outside_the_repository(
    world, demo_repo, run, target, monkeypatch
) -> None:
    monkeypatch.chdir(demo_repo)
    r = run("validate", target, "--repo", demo_repo)
    assert r.exit_code == 2, r.output
    assert "outside the audit repository" in r.output
    assert "files checked" not in r.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["due", "--as-of", "0001-01-01"], "--as-of"),
        (["due", "--as-of", "9999-12-31"], "--as-of"),
        (["retention", "--years", "100000"], "--years"),
        (["sample", "--month", "9999-12"], "--month"),
        (["sample", "--month", "0001-01"], "--month"),
        (["moderate", "--month", "9999-12"], "--month"),
        (["grades", "--from", "0000-01"], "--from"),
        (["report", "complaints", "--year", "99999"], "--year"),
        (["due", "--within", "100000000"], "--within"),
        (["new", "practice-observation", "--date", "9999-12-31"], "--date"),
    ],
)
def test_implausible_options_are_refused_at_parse_time(demo_repo, run, args, needle) -> None:
    before = snapshot(demo_repo)
    r = run(*args, "--repo", demo_repo)
    assert r.exit_code == 2, r.output
    assert needle in r.output and "internal problem" not in r.output
    assert snapshot(demo_repo) == before


def test_a_far_date_is_a_finding_and_breaks_no_other_command(demo_repo, run) -> None:
    rel, _ = _a_return_with_actions(demo_repo, run)
    path = demo_repo / rel
    text = path.read_text()
    assert "\n  - id: A1\n" in text or "due:" in text
    text = text.replace("completed: 2026-", "completed: 9999-", 1)
    text = text.replace("    due: 2026-", "    due: 9999-", 1)
    path.write_text(text)
    r = run("validate", "--format", "json", "--repo", demo_repo)
    assert r.exit_code == 1
    codes = {d["code"] for d in json.loads(r.stdout)["diagnostics"] if d["path"] == rel}
    assert "QA601" in codes
    for args in (
        ["due", "--as-of", AS_OF],
        ["due", "--as-of", AS_OF, "--ics", str(demo_repo.parent / "d.ics")],
        ["actions", "list", "--as-of", AS_OF],
        ["grades"],
        ["retention", "--as-of", AS_OF],
    ):
        r = run(*args, "--repo", demo_repo)
        assert r.exit_code in (0, 1), (args, r.output)
        assert "internal problem" not in r.output


def test_schema_export_out_must_be_a_folder(world, demo_repo, run) -> None:
    existing = world / "outside" / "secret.yaml"
    before = snapshot(world)
    r = run("schema", "export", "--out", existing, "--repo", demo_repo)
    assert r.exit_code == 2, r.output
    assert "--out" in r.output and "is a file" in r.output
    link = world / "outside" / "link"
    link.symlink_to(world / "outside")
    r = run("schema", "export", "--out", link, "--repo", demo_repo)
    assert r.exit_code == 2 and "symbolic link" in r.output
    link.unlink()
    assert snapshot(world) == before


def test_ics_is_never_written_through_a_link(world, demo_repo, run) -> None:
    target = world / "outside" / "secret.yaml"
    link = world / "cal.ics"
    link.symlink_to(target)
    before = snapshot(world)
    r = run("due", "--as-of", AS_OF, "--ics", link, "--repo", demo_repo)
    assert r.exit_code == 2 and "--ics" in r.output
    assert link.is_symlink() and snapshot(world) == before


@pytest.mark.parametrize("kind", ["missing", "folder", "huge"])
def test_password_file_problems_are_clean(world, demo_repo, run, kind) -> None:
    path = world / "outside" / "pw"
    if kind == "folder":
        path.mkdir()
    elif kind == "huge":
        path.write_bytes(b"x" * 100_000)
    before = snapshot(world)
    r = run("report", "monthly", "--month", "2026-10", "--password-file", path, "--repo", demo_repo)
    assert r.exit_code == 2, r.output
    assert "--password-file" in r.output
    assert snapshot(world) == before
