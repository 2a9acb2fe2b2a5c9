"""`qa moderate`: every RI/Inadequate return plus a seeded share of Good-or-better ones."""

from __future__ import annotations

import random

from conftest import AS_OF, snapshot

from qa_cli import yamlio
from qa_cli.moderation import choose


def _returns(demo, month):
    out = {}
    for p in (demo / "audits" / month).glob("*.yaml"):
        d = yamlio.load_fast(p.read_bytes())
        if d["status"] in ("returned", "qa_review", "closed"):
            out[d["case"]] = d["overall_grade"]
    return out


def test_moderation_list_recorded_keeping_comments(demo_repo, run) -> None:
    sample = demo_repo / "samples" / "2026-10.yaml"
    before = sample.read_text()
    result = run("moderate", "--month", "2026-10", "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    after = sample.read_text()
    assert after.startswith(before)  # comments, layout and every line before kept
    mod = yamlio.load_fast(after.encode())["moderation"]
    grades = _returns(demo_repo, "2026-10")
    below = sorted(c for c, g in grades.items() if g in ("requires_improvement", "inadequate"))
    good = sorted(c for c, g in grades.items() if g in ("good", "outstanding"))
    assert mod["always"] == below and mod["drawn_from"] == good
    assert set(mod["selected"]) <= set(good) and len(mod["selected"]) == max(
        1, round(0.2 * len(good) + 0.49)
    )
    assert mod["selected"] == choose(good, 0.2, random.Random(mod["seed"]))
    for c in below + mod["selected"]:
        assert c in result.output
    assert run("validate", "--repo", demo_repo).exit_code == 0


def test_moderated_month_gets_a_round_of_new_returns_only_and_force_starts_again(
    demo_repo, run
) -> None:
    sample = demo_repo / "samples" / "2026-09.yaml"
    before = sample.read_text()
    result = run("moderate", "--month", "2026-09", "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    after = sample.read_text()
    assert after.startswith(before)  # the earlier list is kept byte for byte; a round is added
    mod = yamlio.load_fast(after.encode())["moderation"]
    [round1] = mod["rounds"]
    # only returns completed after the list was drawn (2026-11-04) are in the round
    for case in round1["always"] + round1["drawn_from"]:
        path = next((demo_repo / "audits" / "2026-09").glob(f"{case}--*.yaml"))
        assert yamlio.load_fast(path.read_bytes())["completed"] > "2026-11-04"
    forced = run(
        "moderate",
        "--month",
        "2026-09",
        "--seed",
        "5",
        "--share",
        "1",
        "--force",
        "--as-of",
        AS_OF,
        "--repo",
        demo_repo,
    )
    assert forced.exit_code == 0, forced.output
    mod = yamlio.load_fast((demo_repo / "samples" / "2026-09.yaml").read_bytes())["moderation"]
    assert mod["seed"] == 5 and mod["selected"] == mod["drawn_from"]


def test_seed_decides_and_same_seed_repeats() -> None:
    good = [f"C-{i:08d}" for i in range(40)]
    a = choose(good, 0.2, random.Random(1))
    assert a == choose(good, 0.2, random.Random(1)) and len(a) == 8
    assert len({tuple(choose(good, 0.2, random.Random(s))) for s in range(10)}) > 1
    assert choose([], 0.2, random.Random(1)) == [] and choose(good, 0, random.Random(1)) == []


def test_bad_input(demo_repo, run) -> None:
    before = snapshot(demo_repo)
    for args in (
        ["--month", "2026-13"],
        ["--month", "2027-01"],
        ["--month", "2026-10", "--share", "1.5"],
    ):
        result = run("moderate", *args, "--as-of", AS_OF, "--repo", demo_repo)
        assert result.exit_code == 2, (args, result.output)
    assert snapshot(demo_repo) == before


def test_dry_run_writes_nothing(demo_repo, run) -> None:
    before = snapshot(demo_repo)
    result = run(
        "moderate", "--month", "2026-10", "--dry-run", "--as-of", AS_OF, "--repo", demo_repo
    )
    assert result.exit_code == 0 and "dry run" in result.output
    assert snapshot(demo_repo) == before
