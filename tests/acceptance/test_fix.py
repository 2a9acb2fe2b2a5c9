"""Issue 11, done when: one `qa validate` run reports every planted mistake of a return;
`qa fix` mends each one that has one fix, leaves exactly those needing a person, and changes
no other line.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from tests.conftest import snapshot

RETURN = "audits/2026-10/C-N65NM2H5--single-agency-safeguarding.yaml"

# (text in the demo return, the planted mistake, what `qa fix` must make of it or None)
PLANTS: list[tuple[str, str, str | None]] = [
    ("completed: 2026-11-20\n", "completed: 20/11/2026\n", "completed: 2026-11-20\n"),
    (
        "  inter-agency-grade: requires_improvement\n",
        "  inter-agency-grade: Requires Improvement\n",
        "  inter-agency-grade: requires_improvement\n",
    ),
    (
        "overall_grade: inadequate\n",
        "overall_grade: Inadequate\n",
        "overall_grade: inadequate\n",
    ),
    ("    owner: tm-dowusu\n", "    owner: Imran Ahmed\n", "    owner: sw-iahmed\n"),
    ("status: returned\n", "status: returned\ncolour: blue\n", None),
]
NOS = [
    "chronology-up-to-date",
    "risk-reassessed-after-incidents",
    "visits-purposeful",
    "risks-reduced",
    "risk-reviewed-by-manager",
]
FLOW_ACTION = (
    "  - {id: A5, action: Agree the plan with the family., owner: sw-eosei, due: 27/11/2026}\n"
)
FLOW_FIXED = (
    "  - id: A5\n"
    "    action: Agree the plan with the family.\n"
    "    owner: sw-eosei\n"
    "    due: 2026-11-27\n"
)


def _plant(text: str) -> str:
    for old, new, _ in PLANTS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    for qid in NOS:
        start = text.index(f"  {qid}:\n    answer: no\n    comment: ")
        end = text.index("\n", text.index("    comment: ", start)) + 1
        text = text[:start] + f"  {qid}: no\n" + text[end:]
    anchor = "safeguarding_concern:"  # the key after the action plan
    return text.replace(anchor, FLOW_ACTION + anchor)


def _findings(run, repo: Path, *args: str) -> list[dict]:
    result = run("validate", "--repo", repo, "-f", "json", *args)
    return json.loads(result.stdout)["diagnostics"]


def test_one_run_reports_all_then_fix_mends_every_one_fix_mistake(demo_repo: Path, run) -> None:
    path = demo_repo / RETURN
    planted = _plant(path.read_text())
    path.write_text(planted)

    found = [d for d in _findings(run, demo_repo) if d["path"] == RETURN]
    codes = sorted(d["code"] for d in found)
    assert codes == sorted(
        ["QA105", "QA105", "QA313", "QA313", "QA314", "QA315", "QA101"] + ["QA305"] * 5
    ), found
    lines = [d["line"] for d in found]
    assert lines == sorted(lines)
    fixable = {d["code"] for d in found if d["fixable"]}
    assert fixable == {"QA105", "QA313", "QA314", "QA315", "QA305"}

    before_others = {k: v for k, v in snapshot(demo_repo).items() if k != RETURN}
    result = run("fix", "--repo", demo_repo)
    assert result.exit_code == 1  # the reasons and the unknown key are left for a person
    assert "Left for a person:" in result.output
    assert {k: v for k, v in snapshot(demo_repo).items() if k != RETURN} == before_others

    fixed = path.read_text()
    left = [d for d in _findings(run, demo_repo) if d["path"] == RETURN]
    assert sorted(d["code"] for d in left) == ["QA101"] + ["QA305"] * 5
    assert not any(d["fixable"] for d in left)
    assert all("TODO" in d["message"] for d in left if d["code"] == "QA305")

    # the diff: exactly the planted lines changed, each into its fix
    removed, added = _changed(planted, fixed)
    want_removed = [new for _, new, fix in PLANTS if fix is not None]
    want_added = [fix for _, new, fix in PLANTS if fix is not None]
    want_removed += [f"  {qid}: no\n" for qid in NOS] + [FLOW_ACTION]
    want_added += [f"  {qid}:\n    answer: no\n    comment: TODO\n" for qid in NOS] + [FLOW_FIXED]
    assert sorted(removed) == sorted("".join(want_removed).splitlines())
    assert sorted(added) == sorted("".join(want_added).splitlines())


def _changed(a: str, b: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0):
        if line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:])
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:])
    return removed, added


def test_dry_run_shows_the_diff_and_writes_nothing(demo_repo: Path, run) -> None:
    path = demo_repo / RETURN
    path.write_text(_plant(path.read_text()))
    before = snapshot(demo_repo)
    result = run("fix", "--dry-run", "--repo", demo_repo)
    assert snapshot(demo_repo) == before
    assert f"--- a/{RETURN}" in result.output
    assert "-completed: 20/11/2026\n+completed: 2026-11-20" in result.output
    assert "+    owner: sw-iahmed" in result.output
    assert "Would fix" in result.output


def test_fix_keeps_crlf_and_byte_order_mark(demo_repo: Path, run) -> None:
    path = demo_repo / RETURN
    text = path.read_text().replace("completed: 2026-11-20", "completed: 20/11/2026")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    run("fix", "--repo", demo_repo, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == text.count("\n")
    assert b"completed: 2026-11-20\r\n" in raw
    assert (
        raw.replace(b"2026-11-20", b"20/11/2026")
        == b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    )


def test_clean_repository_has_nothing_to_fix(demo_repo: Path, run) -> None:
    before = snapshot(demo_repo)
    result = run("fix", "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    assert "Nothing to fix." in result.output
    assert snapshot(demo_repo) == before


def test_missing_path_is_a_usage_error(demo_repo: Path, run) -> None:
    before = snapshot(demo_repo)
    result = run("fix", "--repo", demo_repo, demo_repo / "audits" / "nope.yaml")
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert snapshot(demo_repo) == before


def test_ambiguous_or_close_values_are_not_fixed(demo_repo: Path, run) -> None:
    """A typo only close to a grade, or an impossible date, has no single fix: left alone."""
    path = demo_repo / RETURN
    text = (
        path.read_text()
        .replace("overall_grade: inadequate", "overall_grade: inadequat")
        .replace("completed: 2026-11-20", "completed: 31/02/2026")
    )
    path.write_text(text)
    run("fix", "--repo", demo_repo)
    assert path.read_text() == text
    codes = {d["code"] for d in _findings(run, demo_repo) if d["path"] == RETURN}
    assert {"QA106", "QA104"} <= codes


def test_fixable_findings_survive_the_validate_cache(demo_repo: Path, run) -> None:
    path = demo_repo / RETURN
    path.write_text(_plant(path.read_text()))
    first = _findings(run, demo_repo)
    second = _findings(run, demo_repo)  # answered from .qa/cache
    assert (demo_repo / ".qa").is_dir()
    assert second == first and any(d["fixable"] for d in second)
    assert run("fix", "--repo", demo_repo).exit_code == 1
    assert "27/11/2026" not in path.read_text()
