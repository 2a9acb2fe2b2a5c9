"""`qa actions` and qa_cli.yamledit: list, done, verify, acknowledge, and minimal edits.

Edits are checked byte for byte: the rest of the file (comments, blank lines, key order,
quoting, odd indentation, CRLF, byte-order mark) must stay exactly as it was. Refusals are
checked to change no file at all.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, snapshot

from qa_cli import yamledit, yamlio
from qa_cli.repository import Repository

from .test_due import MA_FINDINGS, MA_SCOPE, audit_yaml, build_repo

AUDIT = "audits/2026-09/C-AAAA0050--single-agency-safeguarding.yaml"
# Written by hand with formatting a round-trip dump would change (flow list spacing, quoted
# date, four-space block, unindented sequence, long folded line, comments everywhere).
ORIGINAL = """\
# Return written by hand, with odd formatting that a YAML dump would not keep.
schema: qa/audit@1
tool: single-agency-safeguarding@1
case: C-AAAA0050
team: team-b
social_worker: sw-b1
auditors: [ sm-x,   tm-a ]     # flow list with odd spacing
allocated: 2026-09-01
due: "2026-11-02"
status: returned
completed: 2026-10-20
overall_grade: 'requires_improvement'
answers:
    child-seen-alone:          # four-space indentation here
        answer: "no"
        comment: >-
{LONG}
actions:
- id: A1                      # sequence not indented under its key
  action: "Update the chronology: include the police notifications."
  owner: sw-b1
  due: 2026-11-19
  status: open   # the owner marks it done

- id: A2
  action: |
    Review the plan
    with the family.
  owner: tm-b
  due: 2026-12-10
# the QA review follows
qa_review:
  reviewer: qa-aud
  date: 2026-10-25
  agreed_grade: requires_improvement
""".replace(
    "{LONG}",
    "          Seen with mother present on every visit; this is a very long line that goes on "
    "and on past any width a YAML dumper would keep as it is, on purpose.",
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "r", {AUDIT: ORIGINAL})


def read(root: Path, rel: str = AUDIT) -> bytes:
    return (root / rel).read_bytes()


def test_a_roundtrip_dump_would_not_keep_this_file() -> None:
    # why the edits are splices: ruamel's dump changes this file
    assert yamlio.dump_roundtrip(yamlio.load_roundtrip(ORIGINAL)) != ORIGINAL


A1_OPEN = "  status: open   # the owner marks it done\n"
A1_DONE = "  status: done   # the owner marks it done\n  done_on: 2026-11-28\n"


def _act(run: Any, repo: Path, before: str, args: list[str], old: str, new: str) -> tuple:
    """Run `qa actions ARGS`; the file must be ``before`` with ``old`` changed to ``new``."""
    r = run("actions", *args, "--repo", repo)
    assert r.exit_code == 0, r.output
    after = before.replace(old, new)
    assert read(repo) == after.encode()
    return r, after


def test_done_then_verify_changes_only_those_lines(run: Any, repo: Path) -> None:
    r, text = _act(
        run, repo, ORIGINAL, ["done", AUDIT, "A1", "--as-of", "2026-11-28"], A1_OPEN, A1_DONE
    )
    assert "marked done on 2026-11-28" in r.output
    verified = "  status: verified   # the owner marks it done\n  done_on: 2026-11-28\n"
    verify_a1 = ["verify", "C-AAAA0050", "A1", "--by", "qa-aud", "--as-of", "2026-11-30"]
    r, text = _act(
        run,
        repo,
        text,
        verify_a1,
        A1_DONE,
        verified + "  verified_by: qa-aud\n  verified_on: 2026-11-30\n",
    )
    assert "verified by qa-aud on 2026-11-30" in r.output
    assert "Still to verify in this file: A2 (open)" in r.output
    # the second action has no status line and ends in a block scalar before a comment
    note = ["--note", "Plan reviewed: see the minutes"]
    r, text = _act(
        run,
        repo,
        text,
        ["done", AUDIT, "A2", "--as-of", "2026-12-01", *note],
        "  due: 2026-12-10\n# the QA review follows\n",
        "  due: 2026-12-10\n  status: done\n  done_on: 2026-12-01\n"
        '  note: "Plan reviewed: see the minutes"\n# the QA review follows\n',
    )
    r = run(
        "actions", "verify", AUDIT, "A2", "--by", "qa-lead", "--as-of", "2026-12-02", "--repo", repo
    )
    assert r.exit_code == 0, r.output
    assert "ready to close" in r.output
    (lf,) = [f for f in Repository.load(repo).files if f.rel == AUDIT]
    assert lf.model is not None and lf.model.status == "returned"  # type: ignore[attr-defined]
    # and qa due no longer chases them
    r = run("due", "--as-of", "2026-12-02", "--repo", repo, "-f", "json", "--within", "400")
    assert [i for i in json.loads(r.output)["items"] if i["kind"] == "action"] == []


def test_crlf_and_byte_order_mark_are_kept(run: Any, tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + ORIGINAL.replace("\n", "\r\n").encode()
    root = build_repo(tmp_path / "r", {})
    (root / AUDIT).parent.mkdir(parents=True)
    (root / AUDIT).write_bytes(raw)
    r = run("actions", "done", AUDIT, "A1", "--as-of", "2026-11-28", "--repo", root)
    assert r.exit_code == 0, r.output
    expected = ORIGINAL.replace(A1_OPEN, A1_DONE)
    assert read(root) == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()


def test_write_is_atomic_and_leaves_no_temporary_file(run: Any, repo: Path) -> None:
    folder = (repo / AUDIT).parent
    mode = os.stat(repo / AUDIT).st_mode
    r = run("actions", "done", AUDIT, "A1", "--as-of", "2026-11-28", "--repo", repo)
    assert r.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == [Path(AUDIT).name]
    assert os.stat(repo / AUDIT).st_mode == mode


def _refused(run: Any, root: Path, *args: str, code: int, says: list[str]) -> None:
    before = snapshot(root)
    r = run(*args, "--repo", root)
    assert r.exit_code == code, r.output
    for text in says:
        assert text in r.output, r.output
    assert "Traceback" not in r.output
    assert snapshot(root) == before


# What the file has been through before the refused command.
_DONE = ("done", AUDIT, "A1", "--as-of", "2026-11-28")
_VERIFIED = ("verify", AUDIT, "A1", "--by", "qa-aud", "--as-of", AS_OF)
_BEFORE: dict[str, list[tuple[str, ...]]] = {
    "fresh": [],
    "done": [_DONE],
    "verified": [_DONE, _VERIFIED],
}
_VERIFY_A1 = ("verify", AUDIT, "A1", "--by")
# (before, the command after `qa actions`, exit code, what the message says)
REFUSALS = {
    "verify an action not done": (
        "fresh",
        (*_VERIFY_A1, "qa-aud", "--as-of", AS_OF),
        1,
        ["is not done yet", "qa actions done"],
    ),
    "unknown action id": (
        "fresh",
        ("verify", AUDIT, "A9", "--by", "qa-aud", "--as-of", AS_OF),
        2,
        ["has no action with an id `A9`", "A1, A2"],
    ),
    "action ids are case-sensitive": (
        "fresh",
        ("done", AUDIT, "a1", "--as-of", AS_OF),
        2,
        ["has no action with an id `a1`", "case-sensitive"],
    ),
    "unknown case code": (
        "fresh",
        ("done", "C-ZZZZ9999", "A1", "--as-of", AS_OF),
        2,
        ["no audit return", "qa actions list"],
    ),
    "unknown file": (
        "fresh",
        ("done", "audits/nowhere.yaml", "A1", "--as-of", AS_OF),
        2,
        ["no audit return"],
    ),
    "verifier without a QA role": (
        "done",
        (*_VERIFY_A1, "tm-b", "--as-of", AS_OF),
        1,
        ["has no QA role", "qa_auditor or qa_lead"],
    ),
    "verifier not in staff": (
        "done",
        (*_VERIFY_A1, "nobody", "--as-of", AS_OF),
        2,
        ["not a staff id"],
    ),
    "verified before it was done": (
        "done",
        (*_VERIFY_A1, "qa-aud", "--as-of", "2026-11-01"),
        1,
        ["before the action was done"],
    ),
    "done twice": (
        "done",
        ("done", AUDIT, "A1", "--as-of", AS_OF),
        1,
        ["already done (on 2026-11-28)"],
    ),
    "verified twice": (
        "verified",
        (*_VERIFY_A1, "qa-aud", "--as-of", AS_OF),
        1,
        ["already verified by qa-aud on 2026-11-29"],
    ),
    "a bad date": (
        "fresh",
        ("done", AUDIT, "A2", "--as-of", "2026-13-01"),
        2,
        ["YYYY-MM-DD"],
    ),
}


@pytest.mark.parametrize(("before", "args", "code", "says"), REFUSALS.values(), ids=REFUSALS)
def test_refusals_change_nothing(
    run: Any, repo: Path, before: str, args: tuple[str, ...], code: int, says: list[str]
) -> None:
    for step in _BEFORE[before]:
        assert run("actions", *step, "--repo", repo).exit_code == 0
    _refused(run, repo, "actions", *args, code=code, says=says)


def test_ambiguous_case_code_and_invalid_files_are_refused(run: Any, tmp_path: Path) -> None:
    other = "audits/2026-10/C-AAAA0050--single-agency-cla.yaml"
    broken = "audits/2026-10/C-AAAA0051--single-agency-safeguarding.yaml"
    root = build_repo(tmp_path / "r", {AUDIT: ORIGINAL, other: ORIGINAL})
    (root / broken).write_text(ORIGINAL.replace("case: C-AAAA0050", "case: not-a-code"))
    _refused(
        run,
        root,
        "actions",
        "done",
        "C-AAAA0050",
        "A1",
        "--as-of",
        AS_OF,
        code=2,
        says=["is in 2 files", AUDIT, other, "give the path"],
    )
    _refused(
        run,
        root,
        "actions",
        "done",
        broken,
        "A1",
        "--as-of",
        AS_OF,
        code=2,
        says=["does not pass validation", f"qa validate {broken}"],
    )
    _refused(
        run,
        root,
        "actions",
        "done",
        "qa.yaml",
        "A1",
        "--as-of",
        AS_OF,
        code=2,
        says=["has no action plan"],
    )


def test_path_relative_to_the_current_folder_and_lower_case_code(
    run: Any, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "audits")
    r = run("actions", "done", "2026-09/" + Path(AUDIT).name, "A1", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    r = run("actions", "done", "c-aaaa0050", "A2", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    assert read(repo).count(b"done_on: 2026-11-29") == 2


def test_multi_agency_action_by_audit_id(run: Any, tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        {
            "multi-agency/2026-test/scope.yaml": MA_SCOPE,
            "multi-agency/2026-test/findings.yaml": MA_FINDINGS,
        },
    )
    r = run("actions", "done", "2026-test", "M1", "--as-of", AS_OF, "--repo", root)
    assert r.exit_code == 0, r.output
    r = run(
        "actions", "verify", "2026-test", "M1", "--by", "qa-lead", "--as-of", AS_OF, "--repo", root
    )
    assert r.exit_code == 0, r.output
    assert "All actions of multi-agency/2026-test/findings.yaml are now verified" in r.output
    text = (root / "multi-agency/2026-test/findings.yaml").read_text()
    assert text == MA_FINDINGS + (
        "    status: verified\n    done_on: 2026-11-29\n"
        "    verified_by: qa-lead\n    verified_on: 2026-11-29\n"
    )


CONCERN = """\
safeguarding_concern:
  found: 2026-11-25
  description: |
    Found while auditing; escalated at once.
  escalated_to: tm-b
  escalated_on: 2026-11-25
# end of the return
"""


def test_acknowledge_a_safeguarding_concern(run: Any, tmp_path: Path) -> None:
    rel = "audits/a/C-AAAA0060--x.yaml"
    text = audit_yaml("C-AAAA0060", tail=CONCERN)
    root = build_repo(
        tmp_path / "r", {rel: text, "audits/a/C-AAAA0061--x.yaml": audit_yaml("C-AAAA0061")}
    )
    r = run("due", "--as-of", AS_OF, "--repo", root, "-f", "json")
    assert json.loads(r.output)["items"][0]["kind"] == "safeguarding_concern"
    for case, by, on, code, says in [
        ("C-AAAA0060", "tm-b", "2026-11-20", 1, "before the concern was escalated"),
        ("C-AAAA0061", "tm-b", AS_OF, 1, "raises no safeguarding concern"),
        ("C-AAAA0060", "nobody", AS_OF, 2, "not a staff id"),
    ]:
        ack = ["actions", "acknowledge", case, "--by", by, "--as-of", on]
        _refused(run, root, *ack, code=code, says=[says])
    r = run(
        "actions",
        "acknowledge",
        "C-AAAA0060",
        "--by",
        "tm-b",
        "--as-of",
        "2026-11-26",
        "--repo",
        root,
    )
    assert r.exit_code == 0, r.output
    assert (root / rel).read_text() == text.replace(
        "  escalated_on: 2026-11-25\n",
        "  escalated_on: 2026-11-25\n  acknowledged_by: tm-b\n  acknowledged_on: 2026-11-26\n",
    )
    r = run("due", "--as-of", AS_OF, "--repo", root, "-f", "json")
    assert "safeguarding_concern" not in {i["kind"] for i in json.loads(r.output)["items"]}
    _refused(
        run,
        root,
        "actions",
        "acknowledge",
        rel,
        "--by",
        "tm-b",
        "--as-of",
        AS_OF,
        code=1,
        says=["already acknowledged by tm-b on 2026-11-26"],
    )


def test_list_filters(run: Any, tmp_path: Path) -> None:
    from .test_due import ACTIONS

    root = build_repo(
        tmp_path / "r", {"audits/a/C-AAAA0070--x.yaml": audit_yaml("C-AAAA0070", tail=ACTIONS)}
    )

    def ids(*args: str) -> list[str]:
        r = run("actions", "list", "--as-of", AS_OF, "--repo", root, "-f", "json", *args)
        assert r.exit_code == 0, r.output
        return [a["id"] for a in json.loads(r.output)]

    # the overdue one first, then by due date
    assert ids() == ["A1", "A4", "A3", "A2"]
    assert sorted(ids("--open")) == ["A1", "A2"]
    assert ids("--overdue") == ["A1"]
    assert sorted(ids("--owner", "sw-b1")) == ["A1", "A3", "A4"]
    r = run("actions", "list", "--as-of", AS_OF, "--repo", root)
    assert "open, 10 days overdue" in r.output
    assert "4 action(s): 2 open (1 overdue), 1 done awaiting verification, 1 verified" in r.output


# --- the demo repository ----------------------------------------------------------------


def test_demo_action_from_open_to_verified_changes_only_its_lines(
    run: Any, mini_repo: Path
) -> None:
    demo_repo = mini_repo  # the demo's October returns: the same files, a fifth of the load
    target = None
    for path in sorted((demo_repo / "audits").rglob("*.yaml")):
        data = yamlio.load_text(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        for a in data.get("actions") or []:
            if a.get("status") == "open":
                target = (path, a["id"])
                break
        if target:
            break
    assert target is not None, "the demo holds open actions"
    path, aid = target
    rel = path.relative_to(demo_repo).as_posix()
    before_all = snapshot(demo_repo)
    old = path.read_text(encoding="utf-8").split("\n")
    r = run("actions", "done", rel, aid, "--as-of", AS_OF, "--repo", demo_repo)
    assert r.exit_code == 0, r.output
    r = run(
        "actions", "verify", rel, aid, "--by", "qa-abanks", "--as-of", AS_OF, "--repo", demo_repo
    )
    assert r.exit_code == 0, r.output
    new = path.read_text(encoding="utf-8").split("\n")
    changes = [
        (tag, old[i1:i2], new[j1:j2])
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes()
        if tag != "equal"
    ]
    removed = [line for _t, a, _b in changes for line in a]
    added = [line for _t, _a, b in changes for line in b]
    assert [line.strip() for line in removed] == ["status: open"]
    assert sorted(line.strip() for line in added) == sorted(
        ["status: verified", f"done_on: {AS_OF}", "verified_by: qa-abanks", f"verified_on: {AS_OF}"]
    )
    after_all = snapshot(demo_repo)
    assert {k for k in after_all if after_all[k] != before_all.get(k)} == {rel}
    r = run("validate", "--repo", demo_repo)
    assert r.exit_code == 0, r.output


def test_demo_safeguarding_concern_acknowledged(run: Any, mini_repo: Path) -> None:
    demo_repo = mini_repo  # the demo's October returns: the same files, a fifth of the load
    r = run("due", "--as-of", AS_OF, "--repo", demo_repo, "-f", "json")
    first = json.loads(r.output)["items"][0]
    assert first["kind"] == "safeguarding_concern"
    r = run(
        "actions",
        "acknowledge",
        first["ref"],
        "--by",
        first["person"],
        "--as-of",
        AS_OF,
        "--repo",
        demo_repo,
    )
    assert r.exit_code == 0, r.output
    r = run("due", "--as-of", AS_OF, "--repo", demo_repo, "-f", "json")
    items = json.loads(r.output)["items"]
    assert first["path"] not in {i["path"] for i in items if i["kind"] == "safeguarding_concern"}
    assert run("validate", "--repo", demo_repo).exit_code == 0


# --- yamledit on its own -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "no",
        "on",
        "null",
        "~",
        "123",
        "1.5",
        "0x1F",
        "2026-11-29",
        "a: b",
        "#hash",
        "a #b",
        " lead",
        "trail ",
        'quote "it"',
        "it's",
        "line\nbreak",
        "Zoë’s",
        "-",
        "- x",
        "[x]",
        "{x}",
        "*alias",
        "&anchor",
        "!tag",
        "%pct",
        "@at",
        "`tick`",
        "",
        "true",
        ".inf",
    ],
)
def test_format_scalar_reads_back_as_the_same_text(value: str) -> None:
    text = f"schema: x\nkey: {yamledit.format_scalar(value)}\n"
    data = yamlio.load_text(text)
    assert isinstance(data, dict) and data["key"] == value


def test_set_scalar_keeps_quotes_style_choice_and_comments() -> None:
    text = "a:\n  b: 'old'   # keep me\n  c: 1\n"
    assert yamledit.set_scalar(text, ["a", "b"], "new") == "a:\n  b: new   # keep me\n  c: 1\n"
    assert (
        yamledit.set_scalar(text, ["a", "d"], "x") == "a:\n  b: 'old'   # keep me\n  c: 1\n  d: x\n"
    )


def test_edits_that_cannot_be_minimal_are_refused() -> None:
    flow = "schema: x\nsc: {found: 2026-01-01}\n"
    with pytest.raises(yamledit.YamlEditError, match="one line"):
        yamledit.insert_keys(flow, ["sc"], [("acknowledged_by", "x")])
    with pytest.raises(yamledit.YamlEditError):
        yamledit.set_scalar("a: [1, 2]\n", ["a", 0], "x")
    with pytest.raises(yamledit.YamlEditError, match="not a single value"):
        yamledit.set_scalar("a:\n  b: [1]\n", ["a", "b"], "x")
    # the re-read check: a loader that disagrees with the edit stops it
    calls: list[str] = []

    def liar(text: str) -> dict[str, Any]:
        calls.append(text)
        return {"schema": "x", "a": 1} if len(calls) == 1 else {"schema": "y", "a": 2}

    with pytest.raises(yamledit.YamlEditError, match="does not read back"):
        yamledit.apply("schema: x\na: 1\n", [yamledit.Edit(("a",), 2)], liar)


def test_values_below_their_key_and_multiline_quotes_are_replaced_whole() -> None:
    text = (
        "schema: x\nactions:\n  - id: A1\n    note:\n      a long note\n      over two lines\n"
        '    status: open\n  - id: A2\n    note: "quoted\n      multi"\n'
    )
    out = yamledit.apply(
        text,
        [
            yamledit.Edit(("actions", 0, "note"), "short"),
            yamledit.Edit(("actions", 1, "note"), "x: y"),
        ],
        yamlio.load_text,
    )
    assert out == (
        "schema: x\nactions:\n  - id: A1\n    note: short\n    status: open\n"
        '  - id: A2\n    note: "x: y"\n'
    )
