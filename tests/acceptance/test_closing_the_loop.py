"""Issue 13's acceptance on a copy of the demo: a new Requires Improvement return is picked by
`qa moderate` again without --force, reviewed with `qa review`, forwarded, and its outcome
chased by `qa due` until recorded; `forwarded_to: []` fails validation; the moderation history
stays verifiable."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import AS_OF, snapshot

from qa_cli import yamlio

NEW = "audits/2026-10/C-3X8SN49B--single-agency-safeguarding.yaml"  # in progress in the demo
RI = "audits/2026-10/C-Y1C38539--single-agency-safeguarding.yaml"  # a returned RI, same tool
LATER = "2026-12-03"


def return_it(root: Path) -> None:
    """The in-progress return comes in graded Requires Improvement (answers of a real one)."""
    head = (root / NEW).read_text().split("status:")[0]
    body = (root / RI).read_text().split("\nstatus:", 1)[1].split("\nfeedback:")[0]
    body = body.replace("completed: 2026-11-17", "completed: 2026-12-02")
    (root / NEW).write_text(head + "status:" + body + "\n")


def moderation(root: Path, month: str = "2026-10") -> dict:
    return yamlio.load_fast((root / f"samples/{month}.yaml").read_bytes())["moderation"]


def due_for(run, root: Path, as_of: str) -> list[dict]:
    out = run("due", "--as-of", as_of, "--repo", root, "-f", "json", "--within", "60")
    assert out.exit_code == 0, out.output
    return [i for i in json.loads(out.output)["items"] if i["path"] == NEW]


def test_new_ri_return_moderated_reviewed_forwarded_and_chased(demo_repo, run) -> None:
    first = run("moderate", "--month", "2026-10", "--as-of", AS_OF, "--repo", demo_repo)
    assert first.exit_code == 0, first.output
    before = moderation(demo_repo)
    assert "C-3X8SN49B" not in before["always"]
    return_it(demo_repo)
    assert run("validate", "--repo", demo_repo).exit_code == 0
    # 1. picked again without --force: a round with only the new return
    again = run("moderate", "--month", "2026-10", "--as-of", LATER, "--repo", demo_repo)
    assert again.exit_code == 0, again.output
    assert "C-3X8SN49B" in again.output and "round 1" in again.output
    after = moderation(demo_repo)
    assert {k: after[k] for k in before} == before  # earlier picks kept as they were
    [round1] = after["rounds"]
    assert round1["always"] == ["C-3X8SN49B"] and round1["drawn_from"] == []
    assert round1["drawn"] == LATER
    verified = run("moderate", "--month", "2026-10", "--verify", "--repo", demo_repo)
    assert verified.exit_code == 0 and "verified" in verified.output
    # nothing new: no round, nothing written
    unchanged = snapshot(demo_repo)
    none = run("moderate", "--month", "2026-10", "--as-of", LATER, "--repo", demo_repo)
    assert none.exit_code == 0 and "nothing new" in none.output
    assert snapshot(demo_repo) == unchanged
    # the QA review is chased, on the RI clock from its completion
    assert [i["kind"] for i in due_for(run, demo_repo, LATER)].count("qa_review") == 1
    # 2-3. reviewed with `qa review`, forwarded
    reviewed = run(
        "review", "C-3X8SN49B", "--by", "qa-abanks", "--comment", "Agreed.",
        "--forward", "ad-fmcallister", "--forward", "sm-rsingh", "--date", LATER,
        "--repo", demo_repo,
    )  # fmt: skip
    assert reviewed.exit_code == 0, reviewed.output
    items = due_for(run, demo_repo, LATER)
    assert "qa_review" not in [i["kind"] for i in items]
    # 4. its outcome chased by `qa due` until recorded (overdue after 10 working days)
    [outcome] = [i for i in items if i["kind"] == "outcome"]
    assert outcome["person"] == "sm-rsingh" and outcome["due"] == "2026-12-17"
    late = run("due", "--as-of", "2026-12-18", "--repo", demo_repo, "--fail-on-overdue")
    assert late.exit_code == 1 and "C-3X8SN49B" in late.output
    for role, by in (("service-manager", "sm-rsingh"), ("assistant-director", "ad-fmcallister")):
        done = run(
            "review", NEW, "--outcome", role, "--by", by, "--comment", "Actions agreed.",
            "--date", "2026-12-10", "--repo", demo_repo,
        )  # fmt: skip
        assert done.exit_code == 0, done.output
    assert "outcome" not in [i["kind"] for i in due_for(run, demo_repo, "2026-12-18")]
    assert run("validate", "--repo", demo_repo).exit_code == 0
    # forwarded_to: [] on it fails validation, at its line
    text = (demo_repo / NEW).read_text()
    (demo_repo / NEW).write_text(
        text.replace("forwarded_to: [ad-fmcallister, sm-rsingh]", "forwarded_to: []")
    )
    line = (demo_repo / NEW).read_text().splitlines().index("  forwarded_to: []") + 1
    bad = run("validate", "--repo", demo_repo)
    assert bad.exit_code == 1 and f"{NEW}:{line}:" in bad.output and "QA460" in bad.output


def test_rounds_draw_the_share_from_new_good_returns_only(demo_repo, run) -> None:
    assert (
        run("moderate", "--month", "2026-10", "--as-of", AS_OF, "--repo", demo_repo).exit_code == 0
    )
    first = moderation(demo_repo)
    # a Good return comes in: the round's pool is that return only, drawn at the share
    head = (demo_repo / NEW).read_text().split("status:")[0]
    good = "audits/2026-10/C-0G9TRVFK--single-agency-safeguarding.yaml"
    if not (demo_repo / good).is_file():
        good = next(
            p.relative_to(demo_repo).as_posix()
            for p in sorted((demo_repo / "audits/2026-10").glob("*safeguarding.yaml"))
            if "overall_grade: good" in p.read_text()
        )
    body = (demo_repo / good).read_text().split("\nstatus:", 1)[1].split("\nfeedback:")[0]
    (demo_repo / NEW).write_text(head + "status:" + body + "\n")
    r = run("moderate", "--month", "2026-10", "--as-of", LATER, "--repo", demo_repo)
    assert r.exit_code == 0, r.output
    [round1] = moderation(demo_repo)["rounds"]
    assert round1["drawn_from"] == ["C-3X8SN49B"] and round1["selected"] == ["C-3X8SN49B"]
    assert not set(round1["drawn_from"]) & set(first["drawn_from"])  # never re-drawn


def test_verify_finds_a_tampered_round(demo_repo, run) -> None:
    run("moderate", "--month", "2026-09", "--as-of", AS_OF, "--repo", demo_repo)
    path = demo_repo / "samples/2026-09.yaml"
    assert "rounds:" in path.read_text()  # the late Inadequate return came in after the list
    ok = run("moderate", "--month", "2026-09", "--verify", "--repo", demo_repo)
    assert ok.exit_code == 0, ok.output
    assert "re-draws from its seeds and pools" in ok.output  # `qa moderate` drew every round
    text = path.read_text()
    path.write_text(text.replace("      selected: []", "      selected: [C-C5QAAV6D]"))
    bad = run("moderate", "--month", "2026-09", "--verify", "--repo", demo_repo)
    assert bad.exit_code == 1 and "round 1" in bad.output


def test_force_still_starts_again(demo_repo, run) -> None:
    run("moderate", "--month", "2026-09", "--as-of", AS_OF, "--repo", demo_repo)
    forced = run(
        "moderate", "--month", "2026-09", "--force", "--seed", "5", "--as-of", AS_OF,
        "--repo", demo_repo,
    )  # fmt: skip
    assert forced.exit_code == 0, forced.output
    mod = moderation(demo_repo, "2026-09")
    assert mod["seed"] == 5 and "rounds" not in mod
    assert dt.date.fromisoformat(mod["drawn"]) == dt.date.fromisoformat(AS_OF)
