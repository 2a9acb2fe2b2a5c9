"""`yamledit.set_values`: whole values (mappings, lists, multi-line text) spliced into a file,
every byte outside the changed entries kept, the result checked before it is returned."""

from __future__ import annotations

import pytest

from qa_cli import yamledit, yamlio
from qa_cli.yamledit import Edit

BLANK = """\
# A return; this comment stays.
schema: qa/audit@1
status: allocated  # set by qa sample
answers:
  # ---- 1. Section ----
  # Q: first question
  q-one:
  # Q: second question
  q-two: yes   # given earlier
  q-three:
    answer: no
    # a comment inside an answer
    comment: Old reason.
actions:
  - id: A1
    action: Existing action.
    owner: tm-x
    due: 2026-12-01
overall_grade:
"""


def _set(text: str, *edits: Edit) -> str:
    return yamledit.set_values(text, list(edits), yamlio.load_text)


def test_only_changed_entries_change_and_comments_stay() -> None:
    answers = {
        "q-one": {"answer": "no", "comment": "Line one.\nLine two."},
        "q-two": "yes",
        "q-three": {"answer": "yes", "comment": "Old reason."},
        "q-four": "na",
    }
    out = _set(BLANK, Edit(("answers",), answers), Edit(("overall_grade",), "good"))
    assert yamlio.load_text(out)["answers"] == answers
    for line in BLANK.splitlines():
        if line.lstrip().startswith("#") or line.startswith("  q-two") or "Old reason" in line:
            assert line in out.splitlines(), line
    assert "  q-one:\n    answer: no\n    comment: |-\n      Line one.\n      Line two.\n" in out
    assert "  q-three:\n    answer: yes\n    # a comment inside an answer\n" in out
    assert "  q-four: na\nactions:" in out  # a new answer goes after the last one
    assert out.endswith("overall_grade: good\n")


def test_lists_grow_by_appending_and_items_change_in_place() -> None:
    actions = [
        {"id": "A1", "action": "Existing action.", "owner": "tm-y", "due": "2026-12-01"},
        {"id": "A2", "action": "New: with a colon", "owner": "tm-x", "due": "2027-01-10"},
    ]
    out = _set(BLANK, Edit(("actions",), actions))
    assert yamlio.load_text(out)["actions"] == actions
    assert "    owner: tm-y\n    due: 2026-12-01\n  - id: A2\n" in out
    assert out.count("\n") == BLANK.count("\n") + 4


def test_empty_flow_values_grow_into_blocks_and_new_keys_are_added() -> None:
    text = "schema: qa/audit@1\nanswers: {}  # none yet\nactions: []\n"
    out = _set(
        text,
        Edit(("answers",), {"a": "yes", "b": ["x", "y"]}),
        Edit(("actions",), [{"id": "A1", "action": "Do it.", "owner": "o", "due": "2027-01-01"}]),
        Edit(("strengths",), "Two\nlines\n"),
        Edit(("completed",), "2026-11-20"),
    )
    assert out == (
        "schema: qa/audit@1\nanswers:  # none yet\n  a: yes\n  b: [x, y]\nactions:\n"
        "  - id: A1\n    action: Do it.\n    owner: o\n    due: 2027-01-01\n"
        "strengths: |\n  Two\n  lines\ncompleted: 2026-11-20\n"
    )


@pytest.mark.parametrize(
    "value",
    [
        "  leading spaces\nsecond",
        "trailing space \nline",
        "tab\there\nline",
        "ends with two newlines\n\n",
        'quotes " and: colons\n# not a comment',
        "yes",
        "2026-01-01",
        "=SUM(A1)",
    ],
)
def test_awkward_text_reads_back_exactly(value: str) -> None:
    out = _set(
        BLANK,
        Edit(
            ("answers",),
            {"q-one": value, "q-two": "yes", "q-three": {"answer": "no", "comment": "Old reason."}},
        ),
    )
    assert yamlio.load_text(out)["answers"]["q-one"] == value


def test_no_change_leaves_the_text_identical_and_crlf_bom_are_kept() -> None:
    data = yamlio.load_text(BLANK)
    assert _set(BLANK, Edit(("answers",), data["answers"])) == BLANK
    raw = b"\xef\xbb\xbf" + BLANK.replace("\n", "\r\n").encode()
    out = yamledit.set_values_bytes(raw, [Edit(("overall_grade",), "good")], yamlio.load_text)
    assert out.startswith(b"\xef\xbb\xbf") and b"overall_grade: good\r\n" in out
    assert b"\n" not in out.replace(b"\r\n", b"")


def test_a_missing_parent_is_refused() -> None:
    with pytest.raises(yamledit.YamlEditError):
        _set(BLANK, Edit(("nothing", "here"), 1))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=150, deadline=None)
@given(
    answer=_TEXT,
    comment=st.one_of(st.none(), _TEXT),
    strengths=st.lists(_TEXT, min_size=1, max_size=4).map("\n".join),
)
def test_any_text_from_a_form_reads_back_exactly(
    answer: str, comment: str | None, strengths: str
) -> None:
    """Whatever a person types (quotes, colons, #, newlines, leading spaces) comes back as typed,
    and the lines of the file that were not edited stay."""
    value = {"answer": answer, "comment": comment} if comment is not None else answer
    edits = [
        Edit(
            ("answers",),
            {"q-one": value, "q-two": "yes", "q-three": {"answer": "no", "comment": "Old reason."}},
        ),
        Edit(("strengths",), strengths),
    ]
    out = _set(BLANK, *edits)
    data = yamlio.load_text(out)
    assert data["answers"]["q-one"] == value and data["strengths"] == strengths
    for line in BLANK.splitlines():
        if line.lstrip().startswith("#") or line.startswith(("schema:", "  q-two", "actions:")):
            assert line in out.splitlines(), line


CHECKS = """\
answers:
  # Q: first check
  a:
    social_worker:
    manager:
  # Q: second check
  b:
    social_worker:
    manager:
summary:
"""


@pytest.mark.parametrize(
    "edits",
    [
        [Edit(("answers", "a"), {"social_worker": "no", "manager": "no", "comment": "Why."})],
        [
            Edit(("answers", "a", "social_worker"), "no"),
            Edit(("answers", "a", "manager"), "no"),
            Edit(("answers", "a", "comment"), "Why."),
        ],
    ],
)
def test_a_key_added_after_an_empty_last_value_stays_in_its_own_mapping(
    edits: list[Edit],
) -> None:
    # An empty value's marks lie at the next token (here past a comment and the next key),
    # so a new key once landed in the next mapping, `b:`, and the read-back check refused it.
    out = _set(CHECKS, *edits)
    assert out == CHECKS.replace(
        "  a:\n    social_worker:\n    manager:\n",
        "  a:\n    social_worker: no\n    manager: no\n    comment: Why.\n",
    )


def test_a_comma_inside_a_flow_list_is_quoted() -> None:
    # A plain scalar ends at a comma in flow style: "a, b" once read back as two items.
    items = ["Make identity, equality and diversity a standing item.", "Plain item."]
    out = _set("recommendations: []\n", Edit(("recommendations",), items))
    assert yamlio.load_text(out) == {"recommendations": items}
    assert yamledit.format_value(["a, b", "c"]) == '["a, b", c]'


def test_a_block_mapping_ending_in_an_empty_value_is_replaced_in_place() -> None:
    # `held:` is empty, so its marks lie at the next key; the replacement once swallowed the
    # start of `actions:` and wrote the new mapping after it.
    text = "team_exercise:\n  planned:\n  held:\nactions: []\n"
    out = _set(text, Edit(("team_exercise",), {"planned": "2026-12-08"}))
    assert out == "team_exercise:\n  planned: 2026-12-08\nactions: []\n"
