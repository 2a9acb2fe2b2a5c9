"""One way to write actions (issue 11.5): the blank return teaches the form `qa actions`
edits, and `qa actions` also edits an action written on one line, as older returns have."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

RETURN = "audits/2026-10/C-N65NM2H5--single-agency-safeguarding.yaml"


def _taught_action(demo_repo: Path) -> str:
    """The action exactly as the blank return's comment teaches it, placeholders filled."""
    from qa_cli.blank import Whose, audit_blank
    from qa_cli.repository import Repository

    repo = Repository.load(demo_repo)
    tool = repo.tools["single-agency-safeguarding@1"]
    blank = audit_blank(
        tool,
        Whose(case="C-N65NM2H5", team="assessment-2", social_worker="sw-eosei"),
        auditors=["sm-rsingh", "tm-cmorgan"],
        allocated=dt.date(2026, 10, 1),
        due=dt.date(2026, 12, 1),
    )
    lines = blank.split("\n")
    end = lines.index("actions: []")
    start = max(i for i in range(end) if "one key per line" in lines[i]) + 1
    taught = [line[1:] for line in lines[start:end]]  # uncomment: drop the "#"
    assert taught[0] == "   - id: A1" and not any("{" in t for t in taught)
    text = "\n".join(t[1:] for t in taught) + "\n"  # the two-space list indent of the demo
    return (
        text.replace("id: A1", "id: A9")
        .replace("What is to be done", "Share the updated plan with the school.")
        .replace("<staff id>", "sw-eosei")
        .replace("YYYY-MM-DD", "2026-12-30")
    )


def _with_action(demo_repo: Path, action: str) -> str:
    path = demo_repo / RETURN
    text = path.read_text()
    anchor = "safeguarding_concern:"  # the key after the action plan
    text = text.replace(anchor, action + anchor)
    path.write_text(text)
    return text


def test_done_on_an_action_written_as_the_blank_return_teaches(demo_repo: Path, run: Any) -> None:
    action = _taught_action(demo_repo)
    assert re.fullmatch(r"  - id: A9\n(    \w+: .+\n){3}", action), action
    text = _with_action(demo_repo, action)
    assert run("validate", "--repo", demo_repo, "--strict").exit_code == 0
    r = run("actions", "done", RETURN, "A9", "--as-of", "2026-12-01", "--repo", demo_repo)
    assert r.exit_code == 0, r.output
    expected = text.replace(
        "    due: 2026-12-30\n", "    due: 2026-12-30\n    status: done\n    done_on: 2026-12-01\n"
    )
    assert (demo_repo / RETURN).read_text() == expected


def test_done_and_verify_on_an_action_written_on_one_line(demo_repo: Path, run: Any) -> None:
    flow = "  - {id: A9, action: Share the plan., owner: sw-eosei, due: 2026-12-30}  # added\n"
    text = _with_action(demo_repo, flow)
    r = run("actions", "done", RETURN, "A9", "--as-of", "2026-12-01", "--repo", demo_repo)
    assert r.exit_code == 0, r.output
    block = (
        "  - id: A9\n    action: Share the plan.\n    owner: sw-eosei\n"
        "    due: 2026-12-30  # added\n    status: done\n    done_on: 2026-12-01\n"
    )
    assert (demo_repo / RETURN).read_text() == text.replace(flow, block)
    r = run(
        "actions",
        "verify",
        RETURN,
        "A9",
        "--by",
        "qa-abanks",
        "--as-of",
        "2026-12-02",
        "--repo",
        demo_repo,
    )
    assert r.exit_code == 0, r.output
    assert (
        "    verified_by: qa-abanks\n    verified_on: 2026-12-02\n"
        in (demo_repo / RETURN).read_text()
    )


def test_blank_returns_teach_no_one_line_actions() -> None:
    from qa_cli import blank

    assert all("{" not in line for line in blank.ACTION_EXAMPLE)
    source = Path(blank.__file__).read_text()
    assert "{id: A1" not in source
