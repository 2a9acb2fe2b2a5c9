"""A follow-up that only asks the reason of a "no" is answered by that "no"'s comment (11.6).

The mini tool's `not-seen-alone-reason` (text, applies when `child-seen-alone` is `no`) asks
what `child-seen-alone`'s comment must say. One reason, written once, satisfies both; older
returns that answered the follow-up instead stay valid.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent / "cases" / "base"
AUDIT = "audits/2026-09/C-7F3K2Q9M--mini-audit.yaml"
BOTH = """\
  child-seen-alone:
    answer: no
    comment: Seen with the mother on both visits.
  not-seen-alone-reason: The child was unwell at the planned visit.
"""


def _codes(tmp_path: Path, run, answers: str) -> list[str]:
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    text = (BASE / AUDIT).read_text()
    assert BOTH in text
    (repo / AUDIT).write_text(text.replace(BOTH, answers))
    result = run("validate", "--repo", repo, "-f", "json")
    return [d["code"] for d in json.loads(result.stdout)["diagnostics"]]


def test_comment_alone_satisfies_the_follow_up(tmp_path: Path, run) -> None:
    only_comment = "  child-seen-alone:\n    answer: no\n    comment: Seen with the mother.\n"
    assert _codes(tmp_path, run, only_comment) == []


def test_follow_up_alone_keeps_an_old_return_valid(tmp_path: Path, run) -> None:
    old = "  child-seen-alone: no\n  not-seen-alone-reason: The child was unwell that day.\n"
    assert _codes(tmp_path, run, old) == []


def test_neither_is_one_finding_not_two(tmp_path: Path, run) -> None:
    assert _codes(tmp_path, run, "  child-seen-alone: no\n") == ["QA305"]


def test_a_real_follow_up_question_is_still_required(tmp_path: Path, run) -> None:
    """Only a text follow-up on the comment's trigger is a reason: a yes/no one is asked."""
    from qa_cli.models.tool import Tool
    from qa_cli.validation.returns import reason_of

    tool = Tool.model_validate(
        {
            "schema": "qa/tool@1",
            "id": "t",
            "version": 1,
            "title": "T",
            "kind": "single-agency",
            "sections": [
                {
                    "id": "s",
                    "title": "S",
                    "questions": [
                        {"id": "a", "text": "A?", "type": "yes_no", "comment_required_if": "no"},
                        {
                            "id": "why",
                            "text": "Why?",
                            "type": "text",
                            "applies_if": {"question": "a", "answer": "no"},
                        },
                        {
                            "id": "esc",
                            "text": "Escalated?",
                            "type": "yes_no",
                            "applies_if": {"question": "a", "answer": "no"},
                        },
                        {"id": "b", "text": "B?", "type": "yes_no"},
                        {
                            "id": "b-why",
                            "text": "Why?",
                            "type": "text",
                            "applies_if": {"question": "b", "answer": "no"},
                        },
                    ],
                }
            ],
        }
    )
    q = tool.questions()
    assert reason_of(tool, q["why"]) is q["a"]
    assert reason_of(tool, q["esc"]) is None  # a question of its own
    assert reason_of(tool, q["b-why"]) is None  # b asks no comment: the follow-up is the reason
